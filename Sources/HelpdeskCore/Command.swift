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
    /// A reply with files already kept beside the log; they go out with it.
    case replyAttaching(ticket: Int, body: String, attachments: [AttachmentRef])
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

    /// Saves a macro (supervisors only); `replacing` lets it take the place of one of that name.
    /// Its placeholders are checked on the way (`DeskService`): Core cannot parse templates.
    case saveMacro(Macro, replacing: Bool)
    case removeMacro(name: String)
    /// Applies a macro's text and actions in one record. `text` is the macro's text rendered for
    /// the ticket (and perhaps edited); nil has `DeskService` render it on the fresh desk.
    case applyMacro(ticket: Int, name: String, text: String?)
    /// Saves a listing for the whole desk (supervisors only); `replacing` as for macros.
    case saveView(SavedView, replacing: Bool)
    case removeView(name: String)
    /// Blocks an address or `@domain` (supervisors): its mail is quarantined, nothing is sent to it.
    case blockSender(pattern: String, reason: String?)
    case unblockSender(pattern: String)
    /// Turns a survey on (`every`: CSAT's delay after a solve, NPS's period, in seconds) or off (supervisors).
    case configureSurvey(kind: SurveyKind, every: Int?)
    /// A customer opts out of surveys (`allowed` false), or back in.
    case allowSurveys(email: String, allowed: Bool)
    /// Queues the surveys due now, by `mail` (delivery runs it before sending).
    case queueDueSurveys
    /// One step for each of several tickets (`take`, `give`, `release`, `note`, a follow-up,
    /// `escalate`, priority, tags, a status, a macro), all in one record: all or none, or with
    /// `partial` those that may be changed (see `BulkRules`).
    indirect case bulk([Command], partial: Bool)
    /// Moves `source`'s conversation and mail into `target` and closes it (see `MergeRules`).
    case merge(source: Int, target: Int)
    /// `other` becomes `ticket`'s `kind`; `unlink` removes the link whatever its kind.
    case link(ticket: Int, other: Int, kind: LinkKind)
    case unlink(ticket: Int, other: Int)
    /// Undoes the actor's last change on `ticket`, or on any ticket when nil (see `UndoRules`).
    case undo(ticket: Int?)

    /// A change to the SLA policy (supervisors only).
    case changePolicy(SLAPolicyCommand)
    /// Lets a database role act as any agent, or no longer (supervisors only).
    case allowActingRole(String)
    case disallowActingRole(String)
    /// Rows of a customer CSV under its header: new customers created, known ones updated.
    case importCustomers(header: [String], rows: [[String]])

    // What the desk itself records, each by its own actor (see `Rules.systemActors`).
    /// A message from outside (mail by `mail`, JSON intake by `intake`) threaded onto a ticket.
    case takeIn(InboundMessage, settings: IntakeSettings)
    /// An agent puts a quarantined mail on a ticket after all (automatic mail treated as a person's).
    case releaseFromQuarantine(InboundMessage, settings: IntakeSettings)
    /// Mail kept in the quarantine beside the log, by `mail`.
    case quarantineMail(raw: String, reason: String)
    /// What became of outgoing mail: sent with this Message-ID, by `mail` (nothing when the log
    /// already says it went out).
    case recordMailSent(ticket: Int, mail: Int, messageID: String)
    case recordMailFailed(ticket: Int, mail: Int, error: String)
    /// The SLA escalations due among these tickets, decided on the fresh desk, by `desk`.
    case escalateDueBreaches(tickets: [Int])
    /// Groups, routing rules, availability, and the desk handing out waiting tickets.
    case team(TeamCommand)
}

/// Why a command was refused: its kind, what it is about when an adapter has its own words
/// for it (a console names a key where the command line names a flag), and the words that fit
/// every adapter.
public struct Refusal: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable { case notFound, conflict, notAllowed, invalid }
    /// The refusals an adapter may word itself or act on, each with what it is about.
    public enum Subject: Equatable, Sendable {
        /// Taking a ticket someone else holds needs a deliberate steal.
        case assignedToOther(ticket: Int, holder: String)
        case noSuchTicket(Int)
        /// An address the desk does not take for a customer.
        case badEmail(String)
        /// The actor is not an agent of the desk, or not an active one.
        case notOnRoster(account: String)
        case inactiveAgent(account: String)
    }
    public var kind: Kind
    public var subject: Subject?
    public var message: String
    public var description: String { message }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public init(_ kind: Kind, _ subject: Subject) {
        self.kind = kind
        self.subject = subject
        switch subject {
        case .assignedToOther(let ticket, let holder): message = "ticket \(ticket) is assigned to \(holder)"
        case .noSuchTicket(let id): message = "no ticket \(id)"
        case .badEmail(let raw): message = "bad email address '\(raw)'"
        case .notOnRoster(let account): message = "account '\(account)' is not on the desk's roster"
        case .inactiveAgent(let account): message = "agent '\(account)' is inactive"
        }
    }
}
