import Foundation

/// How a ticket reached the desk.
public enum Channel: String, CaseIterable, Sendable {
    case email, phone, chat, social, web
    case inPerson = "in-person"

    // From the cases listed once: the synthesized initialiser builds an array of every spelling
    // on each call, and a replay reads one of these enumerations for nearly every event.
    public init?(rawValue: String) {
        guard let value = Self.spelled(rawValue, among: Self.every) else { return nil }
        self = value
    }
    private static let every = allCases
}

/// Most urgent last, so that `Comparable` sorts by urgency.
public enum Priority: String, CaseIterable, Sendable, Comparable {
    case low, normal, high, urgent

    // From the cases listed once, as `Channel`'s.
    public init?(rawValue: String) {
        guard let value = Self.spelled(rawValue, among: Self.every) else { return nil }
        self = value
    }
    private static let every = allCases

    var rank: Int { Priority.allCases.firstIndex(of: self)! }
    public static func < (a: Priority, b: Priority) -> Bool { a.rank < b.rank }
}

public enum Status: String, CaseIterable, Sendable {
    case new, open, pending
    case onHold = "on-hold"
    case solved, closed

    // From the cases listed once, as `Channel`'s.
    public init?(rawValue: String) {
        guard let value = Self.spelled(rawValue, among: Self.every) else { return nil }
        self = value
    }
    private static let every = allCases

    /// Still needs the desk's attention (not solved or closed).
    public var isActive: Bool { self != .solved && self != .closed }
}

public enum Role: String, CaseIterable, Sendable {
    case agent, supervisor
}

public enum MessageKind: String, CaseIterable, Sendable {
    /// Written by the customer (or typed in for them, e.g. from a phone call).
    case customer
    /// From an agent to the customer.
    case reply
    /// Internal, never shown to the customer.
    case note

    // From the cases listed once, as `Channel`'s.
    public init?(rawValue: String) {
        guard let value = Self.spelled(rawValue, among: Self.every) else { return nil }
        self = value
    }
    private static let every = allCases
}

public struct Agent: Equatable, Sendable {
    /// The Unix account name.
    public var account: String
    public var displayName: String
    public var role: Role
    /// The escalation tier this agent works at, 1 to 3.
    public var tier: Int
    public var active: Bool

    public var isSupervisor: Bool { role == .supervisor }

    /// Agents work tickets at or below their tier; supervisors work any. The one place this rule lives.
    public func mayWork(tier ticketTier: Int) -> Bool { isSupervisor || ticketTier <= tier }
}

public struct Customer: Equatable, Sendable {
    public var id: Int
    public var name: String
    public var email: String
    public var phone: String?
    public var organisation: String?
    public var notes: String?
}

/// Where a message body lives. Replayed bodies stay in the log and are read on demand, so
/// the desk's state does not grow with the size of its conversations.
public enum MessageBody: Equatable, Sendable {
    case text(String)
    /// The `event`-th event of the record of `length` bytes at byte `offset` of the log.
    case logged(offset: Int64, length: Int, event: Int)
}

public struct Message: Equatable, Sendable {
    public var kind: MessageKind
    public var author: String
    public var at: Date
    public var body: MessageBody
    /// Taken back by its author (`undo` of a note): kept in the history, left out of the conversation.
    public var withdrawn = false
}

public struct FollowUp: Equatable, Sendable {
    public var due: Date
    public var note: String?
}

public struct Rating: Equatable, Sendable {
    public var score: Int
    public var comment: String?
    public var at: Date
}

/// One line of a ticket's history: an event, who caused it and when.
public struct HistoryEntry: Equatable, Sendable {
    public var seq: Int
    public var at: Date
    public var actor: String
    /// The account that acted as `actor` (`--as`), when it was not the actor.
    public var via: String?
    public var event: Event
}

public struct Ticket: Equatable, Sendable {
    public var id: Int
    public var subject: String
    public var customerID: Int
    public var channel: Channel
    public var priority: Priority
    public var status: Status
    public var assignee: String?
    public var tier: Int
    public var tags: [String]
    public var createdAt: Date
    public var updatedAt: Date
    public var firstResponseAt: Date?
    /// When the customer last wrote; nil until they have.
    public var lastCustomerMessageAt: Date?
    /// When the customer last heard from us (a reply); nil until they have.
    public var lastReplyAt: Date?
    public var followUp: FollowUp?
    public var rating: Rating?
    /// The ticket this one was merged into (see `Event.ticketMerged`); it is closed then.
    public var mergedInto: Int?
    /// The tickets merged into this one, in the order they were.
    public var mergedFrom: [Int] = []
    /// Links to other tickets, each as seen from this one (see `TicketLink`).
    public var links: [TicketLink] = []
    var detail: TicketDetail
    /// The group it belongs to, if any (see `Team`).
    public var group: String? = nil

    /// The conversation, oldest first.
    public var messages: [Message] {
        get { detail.messages }
        _modify {
            detail.materialize()
            yield &detail.storedMessages
        }
    }

    /// Records an event about the ticket (see `Desk.record`): cheaper than `history.append`,
    /// which first gathers a replayed ticket's history into an array of its own.
    mutating func appendHistory(_ entry: HistoryEntry) {
        detail.appendHistory(entry)
    }

    /// Where the messages and history still are when they have not been read yet (a desk
    /// opened from a snapshot); nil once they are held.
    public var deferredDetail: DeferredTicketDetail? { detail.deferred }

    /// How many events the ticket has had, without reading its history: grows with every change,
    /// so it tells whether a ticket changed since it was last looked at.
    public var historyCount: Int { detail.historyCount }

    /// Every event about the ticket, oldest first.
    public var history: [HistoryEntry] {
        get { detail.history }
        _modify {
            detail.materializeHistory()
            yield &detail.storedHistory
        }
    }

    /// A pending ticket whose follow-up is due is back in the working queue: derived from the
    /// time passed in, so no process has to be running when it falls due.
    public func isFollowUpDue(now: Date) -> Bool {
        guard let followUp else { return false }
        return followUp.due <= now
    }

    /// Waiting on the desk rather than on the customer or a third party.
    public func needsWork(now: Date) -> Bool {
        ActiveFacts(self).needsWork(now: now)
    }
}

extension CaseIterable where Self: RawRepresentable, RawValue == String {
    /// The case of `all` spelled `text` (a few comparisons of short strings: cheaper than hashing).
    static func spelled(_ text: String, among all: [Self]) -> Self? {
        all.first { $0.rawValue == text }
    }
}
