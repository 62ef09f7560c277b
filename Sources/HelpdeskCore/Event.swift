import Foundation

/// The only way the desk's state changes. Each case is one fact in the log; `Desk.apply`
/// turns a sequence of them into state. Who and when come from the record that carries it.
public enum Event: Equatable, Sendable {
    /// The first record of every log: the format it is written in.
    case deskCreated(format: Int)

    indirect case agentAdded(account: String, displayName: String, role: Role, tier: Int)
    indirect case agentChanged(account: String, displayName: String?, role: Role?, tier: Int?, active: Bool?)

    indirect case customerCreated(id: Int, email: String, name: String, phone: String?, organisation: String?, notes: String?)
    indirect case customerUpdated(id: Int, email: String?, name: String?, phone: String?, organisation: String?, notes: String?)

    case ticketOpened(ticket: Int, subject: String, customer: Int, channel: Channel, priority: Priority)
    case messageAdded(ticket: Int, kind: MessageKind, body: MessageBody)
    /// `from` is the previous assignee when the ticket was given away or stolen.
    case assigned(ticket: Int, to: String, from: String?)
    case unassigned(ticket: Int, from: String)
    case priorityChanged(ticket: Int, from: Priority, to: Priority)
    case statusChanged(ticket: Int, from: Status, to: Status)
    case escalated(ticket: Int, tier: Int, reason: String)
    case followUpScheduled(ticket: Int, due: Date, note: String?)
    case followUpCleared(ticket: Int)
    case tagsChanged(ticket: Int, added: [String], removed: [String])
    case satisfactionRated(ticket: Int, score: Int, comment: String?)

    /// The ticket the event is about, if any.
    public var ticketID: Int? {
        switch self {
        case .deskCreated, .agentAdded, .agentChanged, .customerCreated, .customerUpdated:
            return nil
        case .ticketOpened(let id, _, _, _, _), .messageAdded(let id, _, _), .assigned(let id, _, _),
             .unassigned(let id, _), .priorityChanged(let id, _, _), .statusChanged(let id, _, _),
             .escalated(let id, _, _), .followUpScheduled(let id, _, _), .followUpCleared(let id),
             .tagsChanged(let id, _, _), .satisfactionRated(let id, _, _):
            return id
        }
    }
}

/// Where and by whom an event was recorded: the record that carries it.
public struct EventContext: Sendable {
    public var seq: Int
    public var at: Date
    public var actor: String

    public init(seq: Int, at: Date, actor: String) {
        self.seq = seq
        self.at = at
        self.actor = actor
    }
}
