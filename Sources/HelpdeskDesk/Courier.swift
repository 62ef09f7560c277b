import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskMail

/// Delivers queued mail: the log is the outbox. Under the store's delivery lock, each mail due is
/// made into a message, handed to the sendmail command, and its success or failure recorded (by
/// `mail`, through the desk's road). A mail that went out is never sent again: the lock keeps two
/// deliveries apart, and a marker in the store covers the moment between sendmail returning and
/// the log recording it. (A database desk's lock can be lost with its connection while sendmail
/// runs: the claim the store makes on each mail before it is sent keeps other deliveries off it.)
public struct Courier {
    /// The desk, acted on by `mail`.
    public let desk: DeskService
    public let config: MailConfig
    public let store: MailStore
    public var lockTimeout: TimeInterval = 60
    /// Mail sendmail took whose marker the store could not keep (a full disk): remembered so
    /// a process that goes on (`deliver --follow`) records it later instead of sending it again.
    public var unmarked = UnmarkedMail()

    /// `desk` acts as mail, via the account behind it.
    public init(desk: DeskService, config: MailConfig, store: MailStore) {
        self.desk = desk.acting(asDesk: Intake.mailActor)
        self.config = config
        self.store = store
    }

    /// Why nothing could be delivered.
    public enum Failure: Error, CustomStringConvertible {
        /// The configuration names no address for the desk.
        case notSetUp(configPath: String?)
        /// Another delivery held the store's lock the whole time.
        case locked(lockPath: String, seconds: TimeInterval)

        public var description: String {
            switch self {
            case .notSetUp(let path):
                "mail is not set up: say the desk's address in \(path ?? "the mail configuration") (address: support@example.com)"
            case .locked(let path, let seconds): "another delivery held \(path) for \(Int(seconds)) s; try again"
            }
        }
    }

    public struct Outcome {
        public var sent: [OutboundMail] = []
        public var failed: [(mail: OutboundMail, error: String)] = []
        /// Mail another delivery claimed and may be sending (see `SendingClaim.elsewhere`): left to it.
        public var elsewhere: [(mail: OutboundMail, claimedBy: String)] = []
    }

    /// Sends the mail due (or every unsent one when `all`), of one ticket or all.
    public func deliver(all: Bool, ticket: Int? = nil, numbers: Set<Int>? = nil) throws -> Outcome {
        let log = desk.log
        let outcome = try store.withDeliveryLock(timeout: lockTimeout) { () throws -> Outcome in
            try log.catchUp()
            // Surveys fall due with time alone: whoever delivers queues them (decided again under the lock).
            if !Surveys.due(on: log.desk, now: desk.clock()).isEmpty { try desk.perform(.queueDueSurveys) }
            var outcome = Outcome()
            let due = Outbox.pending(on: log.desk, now: desk.clock(), all: all, ticket: ticket)
                .filter { numbers?.contains($0.number) ?? true }
            // Without an address only replies to other channels can go; mail waits (as before, said when nothing else is due).
            let byMail = due.filter { log.desk.ticket($0.ticket)?.replyChannel ?? .email == .email }
            if config.address == nil, byMail.count == due.count { throw Failure.notSetUp(configPath: config.path) }
            for mail in due {
                let channel = log.desk.ticket(mail.ticket)?.replyChannel ?? .email
                if channel == .email, config.address == nil { continue }
                let messageID = Outbox.messageID(for: mail, domain: config.domain)
                if let block = blockCovering(mail, on: log.desk) {
                    // Blocked since it was queued (the block's own record fails such mail; this covers a block
                    // recorded while this delivery was under way).
                    let text = Outbox.blockedError(block.pattern)
                    try desk.perform(.recordMailFailed(ticket: mail.ticket, mail: mail.number, error: text))
                    outcome.failed.append((mail, text))
                    continue
                }
                if channel != .email, config.channelCommands[channel] == nil {
                    let text = Outbox.undeliverableError(channel)
                    try desk.perform(.recordMailFailed(ticket: mail.ticket, mail: mail.number, error: text))
                    outcome.failed.append((mail, text))
                    continue
                }
                if !unmarked.contains(mail) {
                    switch try store.claimSending(ticket: mail.ticket, mail: mail.number, messageID: messageID) {
                    case .handed: break
                    case .elsewhere(let claimer):
                        outcome.elsewhere.append((mail, claimer))
                        continue
                    case .mine:
                        do {
                            try hand(mail, on: channel, messageID: messageID)
                        } catch {
                            store.releaseClaim(ticket: mail.ticket, mail: mail.number)
                            let text = "\(error)"
                            try desk.perform(.recordMailFailed(ticket: mail.ticket, mail: mail.number, error: text))
                            outcome.failed.append((mail, text))
                            continue
                        }
                        do {
                            try store.markSent(ticket: mail.ticket, mail: mail.number, messageID: messageID)
                        } catch {
                            unmarked.insert(mail)
                        }
                    }
                }
                try desk.perform(.recordMailSent(ticket: mail.ticket, mail: mail.number, messageID: messageID))
                store.clearSentMarker(ticket: mail.ticket, mail: mail.number)
                unmarked.remove(mail)
                outcome.sent.append(mail)
            }
            return outcome
        }
        guard let outcome else { throw Failure.locked(lockPath: store.lockName, seconds: lockTimeout) }
        return outcome
    }

    private func blockCovering(_ mail: OutboundMail, on desk: Desk) -> BlockedSender? {
        guard let ticket = desk.ticket(mail.ticket), let customer = desk.customer(ticket.customerID) else { return nil }
        return desk.block(covering: customer.email)
    }

    /// A survey's subject (with the ticket's tag, so an answer threads even without its headers) and body.
    private func surveyText(_ kind: SurveyKind, ticket: Ticket, on desk: Desk) throws -> (String, String) {
        let templates = kind == .csat ? (config.surveySubject, config.surveyBody) : (config.npsSubject, config.npsBody)
        let values = Macro.placeholderValues(ticket: ticket, agent: ticket.assignee ?? "", deskName: config.deskName, on: desk)
        do {
            var subject = try MacroTemplate(templates.0).render(values)
            subject = subject.split(whereSeparator: \.isNewline).joined(separator: " ")
            if Intake.subjectTag(in: subject, prefix: config.subjectTag) != ticket.id {
                subject += " " + Intake.tag(ticket.id, prefix: config.subjectTag)
            }
            return (subject, try MacroTemplate(templates.1).render(values))
        } catch {
            throw CannotCompose(description: "the \(kind == .csat ? "survey" : "nps") text in \(config.path ?? "the mail configuration") "
                                + "is not usable: \(error.message)")
        }
    }

    /// Gives one mail to sendmail, or a reply on another channel to that channel's command.
    private func hand(_ mail: OutboundMail, on channel: Channel, messageID: String) throws {
        if channel == .email, let address = config.address {
            let message = try compose(mail, from: address, messageID: messageID)
            try Sendmail(command: config.sendmailCommand, timeout: config.sendmailTimeout).send(message)
        } else if let command = config.channelCommands[channel] {
            let payload = try ChannelMessage.payload(mail, id: messageID, on: desk.log, store: store)
            try Sendmail(command: command, timeout: config.sendmailTimeout).send(payload)
        }
    }

    struct CannotCompose: Error, CustomStringConvertible {
        var description: String
    }

    /// The message for one outgoing mail: a reply, or the acknowledgement of a new ticket.
    func compose(_ mail: OutboundMail, from address: String, messageID: String) throws -> [UInt8] {
        let log = desk.log
        let desk = log.desk
        guard let ticket = desk.ticket(mail.ticket), let customer = desk.customer(ticket.customerID) else {
            throw CannotCompose(description: "ticket \(mail.ticket) or its customer is missing")
        }
        let thread = Outbox.threadHeaders(ticket)
        let subject: String, body: String
        var autoSubmitted: String?
        var files: [OutgoingAttachment] = []
        if let kind = mail.survey {
            (subject, body) = try surveyText(kind, ticket: ticket, on: desk)
            autoSubmitted = "auto-generated"
        } else if let index = mail.message {
            guard ticket.messages.indices.contains(index - 1) else {
                throw CannotCompose(description: "ticket \(ticket.id) has no message \(index)")
            }
            subject = Intake.replySubject(ticket.subject, ticket: ticket.id, prefix: config.subjectTag)
            body = try log.text(of: ticket.messages[index - 1].body)
            files = try ticket.attachments.filter { $0.message == index }.map {
                OutgoingAttachment(name: $0.name, type: $0.type, bytes: try store.get($0.sha256))
            }
        } else {
            subject = config.render(config.acknowledgementSubject, customerName: customer.name, ticket: ticket.id,
                                    subject: ticket.subject)
            body = config.render(config.acknowledgementBody, customerName: customer.name, ticket: ticket.id,
                                 subject: ticket.subject)
            autoSubmitted = "auto-replied"
        }
        var outgoing = OutgoingMail(
            from: Mailbox(address: address, name: config.name),
            replyTo: Mailbox(address: config.replyTo ?? address, name: config.name),
            to: Mailbox(address: customer.email, name: customer.name),
            subject: subject, messageID: messageID, inReplyTo: thread.inReplyTo, references: thread.references,
            date: self.desk.clock(), body: body, autoSubmitted: autoSubmitted,
            extraHeaders: [("X-Helpdesk-Ticket", String(ticket.id))])
        outgoing.attachments = files
        return MailComposer.compose(outgoing)
    }
}

/// The mails a process handed to sendmail without a marker in the store to show for it.
public final class UnmarkedMail {
    private var mails: Set<[Int]> = []

    public init() {}

    func contains(_ mail: OutboundMail) -> Bool { mails.contains([mail.ticket, mail.number]) }
    func insert(_ mail: OutboundMail) { mails.insert([mail.ticket, mail.number]) }
    func remove(_ mail: OutboundMail) { mails.remove([mail.ticket, mail.number]) }
}
