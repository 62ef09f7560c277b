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

    // Channels: mail in and out, JSON intake (see Intake.swift, Outbox.swift).
    /// Message `message` (1-based) of the ticket came in on `channel`: its id there (a Message-ID,
    /// a bridge's external id), its sender, the raw message kept beside the log (content address),
    /// and what kind of automatic mail it was, if it was (recorded, but it changes nothing else).
    indirect case messageReceived(ticket: Int, message: Int, channel: Channel, externalID: String, from: String,
                                  raw: String?, automatic: AutomaticMail?)
    /// A file that came with message `message`, kept beside the log under its SHA-256.
    indirect case attachmentAdded(ticket: Int, message: Int, name: String, type: String, size: Int, sha256: String)
    /// Outgoing mail number `mail` of the ticket waits to go out: the reply `message`, or the
    /// acknowledgement of a new ticket when nil. The log is the outbox.
    case mailQueued(ticket: Int, mail: Int, message: Int?)
    indirect case mailSent(ticket: Int, mail: Int, messageID: String)
    indirect case mailFailed(ticket: Int, mail: Int, error: String)
    /// Mail set aside in the quarantine beside the log (unreadable, or automatic mail for no ticket).
    indirect case mailQuarantined(raw: String, reason: String)

    // The SLA policy (see SLA/SLAPolicy.swift): supervisors change it; every clock follows it.
    /// The targets of one priority, in whole seconds of business time.
    case slaTargetsSet(priority: Priority, firstResponse: Int, nextResponse: Int, resolution: Int)
    /// Business hours as written ("mon-fri 09:00-17:00") in an IANA time zone.
    indirect case businessHoursSet(hours: String, timeZone: String)
    /// Back to clocks that run around the clock.
    case businessHoursCleared
    /// A day ("YYYY-MM-DD", in the business hours' time zone) without business time.
    indirect case holidayAdded(date: String)
    indirect case holidayRemoved(date: String)

    /// The ticket the event is about, if any.
    public var ticketID: Int? {
        switch self {
        case .deskCreated, .agentAdded, .agentChanged, .customerCreated, .customerUpdated, .mailQuarantined:
            return nil
        case .slaTargetsSet, .businessHoursSet, .businessHoursCleared, .holidayAdded, .holidayRemoved:
            return nil
        case .ticketOpened(let id, _, _, _, _), .messageAdded(let id, _, _), .assigned(let id, _, _),
             .unassigned(let id, _), .priorityChanged(let id, _, _), .statusChanged(let id, _, _),
             .escalated(let id, _, _), .followUpScheduled(let id, _, _), .followUpCleared(let id),
             .tagsChanged(let id, _, _), .satisfactionRated(let id, _, _),
             .messageReceived(let id, _, _, _, _, _, _), .attachmentAdded(let id, _, _, _, _, _),
             .mailQueued(let id, _, _), .mailSent(let id, _, _), .mailFailed(let id, _, _):
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
