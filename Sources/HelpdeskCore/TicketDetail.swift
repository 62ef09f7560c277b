import Foundation

/// A ticket's conversation and history: held in memory, or left where a saved desk keeps them
/// and read the first time they are asked for, so that a desk opened from a snapshot does not
/// decode the history of every ticket it has ever had to answer one command.
public struct TicketDetail: Equatable, Sendable {
    var storedMessages: [Message]
    var storedHistory: [HistoryEntry]
    /// While set, the two arrays above are empty and the detail is the one the source holds.
    var deferred: DeferredTicketDetail?
    /// The history count while deferred (kept apart so asking for it copies no reference).
    private var deferredHistoryCount = -1

    public init(messages: [Message], history: [HistoryEntry]) {
        storedMessages = messages
        storedHistory = history
    }

    /// A new ticket's: room reserved for the first few messages and events, which a replay
    /// would otherwise grow one copy at a time (1, 2, 4, 8: a new buffer and a copy each).
    static func newTicket() -> TicketDetail {
        var detail = TicketDetail(messages: [], history: [])
        detail.storedMessages.reserveCapacity(4)
        detail.storedHistory.reserveCapacity(8)
        return detail
    }

    public init(deferred: DeferredTicketDetail) {
        storedMessages = []
        storedHistory = []
        self.deferred = deferred
        deferredHistoryCount = deferred.historyCount
    }

    var messages: [Message] { deferred?.detail.messages ?? storedMessages }
    var history: [HistoryEntry] { deferred?.detail.history ?? storedHistory }
    var historyCount: Int { deferredHistoryCount >= 0 ? deferredHistoryCount : storedHistory.count }

    /// Held from now on, so it can be changed in place.
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
