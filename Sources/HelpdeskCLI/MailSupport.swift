import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskMail

/// Options of the commands that take or send mail.
struct MailOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The mail configuration (default: LOG.mail/config.yaml beside the log).", valueName: "path"))
    var mailConfig: String?

    func configPath(logPath: String) -> String {
        mailConfig ?? MailConfig.defaultPath(forLog: logPath)
    }

    func load(logPath: String) throws -> MailConfig {
        do {
            return try MailConfig.load(path: configPath(logPath: logPath), logPath: logPath, required: mailConfig != nil)
        } catch {
            throw UserError(message: error.message, code: error.unsafe ? ExitStatus.unsafe : ExitStatus.usage)
        }
    }
}

/// Delivers queued mail: the log is the outbox. Under the store's delivery lock, each mail due is
/// made into a message, handed to the sendmail command, and its success or failure appended.
/// A mail that went out is never sent again: the lock keeps two deliveries apart, and a marker in
/// the store covers the moment between sendmail returning and the log recording it.
struct Courier {
    let log: DeskLog
    let config: MailConfig
    let store: MailStore
    let via: String?
    var lockTimeout: TimeInterval = 60

    struct Outcome {
        var sent: [OutboundMail] = []
        var failed: [(mail: OutboundMail, error: String)] = []
    }

    /// Sends the mail due (or every unsent one when `all`), of one ticket or all.
    func deliver(all: Bool, ticket: Int? = nil, numbers: Set<Int>? = nil) throws -> Outcome {
        guard let address = config.address else {
            throw UserError(message: "mail is not set up: say the desk's address in \(config.path ?? "the mail configuration") (address: support@example.com)")
        }
        let outcome = try store.withDeliveryLock(timeout: lockTimeout) { () throws -> Outcome in
            try log.catchUp()
            var outcome = Outcome()
            let due = Outbox.pending(on: log.desk, now: Date(), all: all, ticket: ticket)
                .filter { numbers?.contains($0.number) ?? true }
            for mail in due {
                let messageID = Outbox.messageID(for: mail, domain: config.domain)
                if store.sentMarker(ticket: mail.ticket, mail: mail.number) == nil {
                    do {
                        let message = try compose(mail, from: address, messageID: messageID)
                        try Sendmail(command: config.sendmail, timeout: config.sendmailTimeout).send(message)
                    } catch {
                        let text = "\(error)"
                        try record(.mailFailed(ticket: mail.ticket, mail: mail.number, error: text))
                        outcome.failed.append((mail, text))
                        continue
                    }
                    try? store.markSent(ticket: mail.ticket, mail: mail.number, messageID: messageID)
                }
                try record(.mailSent(ticket: mail.ticket, mail: mail.number, messageID: messageID))
                store.clearSentMarker(ticket: mail.ticket, mail: mail.number)
                outcome.sent.append(mail)
            }
            return outcome
        }
        guard let outcome else {
            throw UserError(message: "another delivery held \(store.root)/deliver.lock for \(Int(lockTimeout)) s; try again",
                            code: ExitStatus.locked)
        }
        return outcome
    }

    /// Appends a delivery event, unless the log already says the mail went out.
    private func record(_ event: Event) throws {
        _ = try log.append(actor: Intake.mailActor, via: via) { desk, _ throws(Refusal) in
            guard case .mailSent(let id, let number, _) = event else { return [event] }
            let already = desk.ticket(id)?.outbound.first { $0.number == number }?.state == .sent
            return already ? [] : [event]
        }
    }

    struct CannotCompose: Error, CustomStringConvertible {
        var description: String
    }

    /// The message for one outgoing mail: a reply, or the acknowledgement of a new ticket.
    func compose(_ mail: OutboundMail, from address: String, messageID: String) throws -> [UInt8] {
        let desk = log.desk
        guard let ticket = desk.ticket(mail.ticket), let customer = desk.customer(ticket.customerID) else {
            throw CannotCompose(description: "ticket \(mail.ticket) or its customer is missing")
        }
        let thread = Outbox.threadHeaders(ticket)
        let subject: String, body: String
        var autoSubmitted: String?
        if let index = mail.message {
            guard ticket.messages.indices.contains(index - 1) else {
                throw CannotCompose(description: "ticket \(ticket.id) has no message \(index)")
            }
            subject = Intake.replySubject(ticket.subject, ticket: ticket.id, prefix: config.subjectTag)
            body = try log.text(of: ticket.messages[index - 1].body)
        } else {
            subject = config.render(config.acknowledgementSubject, customerName: customer.name, ticket: ticket.id,
                                    subject: ticket.subject)
            body = config.render(config.acknowledgementBody, customerName: customer.name, ticket: ticket.id,
                                 subject: ticket.subject)
            autoSubmitted = "auto-replied"
        }
        let outgoing = OutgoingMail(
            from: Mailbox(address: address, name: config.name),
            replyTo: Mailbox(address: config.replyTo ?? address, name: config.name),
            to: Mailbox(address: customer.email, name: customer.name),
            subject: subject, messageID: messageID, inReplyTo: thread.inReplyTo, references: thread.references,
            date: Date(), body: body, autoSubmitted: autoSubmitted,
            extraHeaders: [("X-Helpdesk-Ticket", String(ticket.id))])
        return MailComposer.compose(outgoing)
    }
}

extension DeskLog.Appended {
    /// The mails a record queued, by ticket.
    var queuedMail: [(ticket: Int, mail: Int)] {
        record?.events.compactMap { event in
            if case .mailQueued(let ticket, let mail, _) = event { return (ticket, mail) }
            return nil
        } ?? []
    }
}

enum MailDelivery {
    /// Tries to send the mail a record just queued, now; says what happened in one line. A
    /// failure is recorded and left for `helpdesk deliver`; it never fails the command.
    static func sendQueued(_ queued: [(ticket: Int, mail: Int)], logPath: String, options: MailOptions,
                           via: String?) -> String? {
        guard let first = queued.first else { return nil }
        do {
            let config = try options.load(logPath: logPath)
            guard config.address != nil else {
                return "mail queued; mail is not set up (no address in \(options.configPath(logPath: logPath))), so it waits for helpdesk deliver"
            }
            let log = try DeskLog(path: logPath, writable: true).reportingRepairs()
            let courier = Courier(log: log, config: config, store: MailStore(logPath: logPath), via: via)
            let outcome = try courier.deliver(all: true, ticket: first.ticket, numbers: Set(queued.map(\.mail)))
            if let failure = outcome.failed.first {
                return "mail not sent yet (\(failure.error)); helpdesk deliver will try again"
            }
            if !outcome.sent.isEmpty, let ticket = log.desk.ticket(first.ticket),
               let customer = log.desk.customer(ticket.customerID) {
                return "mailed to \(customer.email)"
            }
            return nil
        } catch {
            let reason = (error as? UserError)?.message ?? "\(error)"
            return "mail queued, not sent yet (\(reason)); helpdesk deliver will send it"
        }
    }
}
