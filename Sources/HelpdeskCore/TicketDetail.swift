import Foundation

/// A ticket's conversation and history: held in memory, or left where a saved desk keeps them
/// and read the first time they are asked for, so that a desk opened from a snapshot does not
/// decode the history of every ticket it has ever had to answer one command.
public struct TicketDetail: Equatable, Sendable {
    var storedMessages: [Message]
    var storedHistory: [HistoryEntry]
    /// While set, `storedHistory` is empty and the history is this chain of the desk's column
    /// (a ticket a replay opened: see `HistoryColumn`).
    private var chain: HistoryChain?
    /// While set, the two arrays above are empty and the detail is the one the source holds.
    var deferred: DeferredTicketDetail?
    /// The history count while deferred (kept apart so asking for it copies no reference).
    private var deferredHistoryCount = -1

    public init(messages: [Message], history: [HistoryEntry]) {
        storedMessages = messages
        storedHistory = history
    }

    /// A new ticket's: its history recorded in the desk's `column`, and room reserved for the
    /// first few messages, which a replay would otherwise grow one copy at a time (1, 2, 4: a new
    /// buffer and a copy each).
    static func newTicket(recordingIn column: HistoryColumn) -> TicketDetail {
        var detail = TicketDetail(messages: [], history: [])
        detail.storedMessages.reserveCapacity(4)
        detail.chain = HistoryChain(column: column)
        return detail
    }

    public init(deferred: DeferredTicketDetail) {
        storedMessages = []
        storedHistory = []
        self.deferred = deferred
        deferredHistoryCount = deferred.historyCount
    }

    var messages: [Message] { deferred?.detail.messages ?? storedMessages }
    var history: [HistoryEntry] { deferred?.detail.history ?? chain?.entries ?? storedHistory }
    var historyCount: Int {
        if deferredHistoryCount >= 0 { return deferredHistoryCount }
        return chain.map { Int($0.count) } ?? storedHistory.count
    }

    mutating func appendHistory(_ entry: HistoryEntry) {
        if chain != nil {
            chain!.append(entry)
        } else {
            materialize()
            storedHistory.append(entry)
        }
    }

    /// The history held in `storedHistory` from now on, so it can be changed in place.
    mutating func materializeHistory() {
        materialize()
        guard let chain else { return }
        storedHistory = chain.entries
        self.chain = nil
    }

    /// Held from now on, so it can be changed in place (the history may stay in its chain).
    mutating func materialize() {
        guard let deferred else { return }
        (storedMessages, storedHistory) = deferred.detail
        self.deferred = nil
        deferredHistoryCount = -1
    }

    public static func == (a: TicketDetail, b: TicketDetail) -> Bool {
        a.messages == b.messages && a.history == b.history
    }
}

/// Where a saved desk keeps the details of its tickets, read on demand.
public protocol TicketDetailSource: AnyObject, Sendable {
    /// The messages and history of the `index`-th ticket it saved. A source checks them as it
    /// reads them; ones that cannot be read stop the process rather than hand out wrong ones.
    func detail(_ index: Int) -> (messages: [Message], history: [HistoryEntry])
}

/// One ticket's detail in a `TicketDetailSource`.
public struct DeferredTicketDetail: Sendable {
    public let source: any TicketDetailSource
    public let index: Int
    /// How many history entries it holds, known without reading them.
    public let historyCount: Int

    public init(source: any TicketDetailSource, index: Int, historyCount: Int) {
        self.source = source
        self.index = index
        self.historyCount = historyCount
    }

    var detail: (messages: [Message], history: [HistoryEntry]) { source.detail(index) }
}
