import Foundation

/// What someone asks the desk to do. `Rules.decide` turns it into events or a refusal.
public enum Command: Equatable, Sendable {
    case createDesk(displayName: String?)
    case addAgent(account: String, displayName: String?, role: Role, tier: Int)
    case changeAgent(account: String, displayName: String?, role: Role?, tier: Int?, active: Bool?)
    /// Creates the customer if the email is new, else updates the fields given.
    case saveCustomer(email: String, name: String?, phone: String?, organisation: String?, notes: String?)

    case openTicket(customerEmail: String, customerName: String?, subject: String,
                    channel: Channel, priority: Priority, body: String?)
    case addCustomerMessage(ticket: Int, body: String)
    case take(ticket: Int, steal: Bool)
    case give(ticket: Int, to: String)
    case release(ticket: Int)
    case reply(ticket: Int, body: String)
    case note(ticket: Int, body: String)
    case scheduleFollowUp(ticket: Int, due: Date, note: String?)
    case clearFollowUp(ticket: Int)
    case escalate(ticket: Int, reason: String, tier: Int?)
    case setPriority(ticket: Int, priority: Priority)
    case changeTags(ticket: Int, add: [String], remove: [String])
    case resolve(ticket: Int)
    case reopen(ticket: Int)
    case close(ticket: Int)
    case hold(ticket: Int)
    case rate(ticket: Int, score: Int, comment: String?)
}

/// Why a command was refused, in words for the person who gave it.
public struct Refusal: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable { case notFound, conflict, notAllowed, invalid }
    public var kind: Kind
    public var message: String
    public var description: String { message }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}
