import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskMail

/// `helpdesk attachment ID N`: one of a ticket's attachments, as it came, on stdout.
struct AttachmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachment",
        abstract: "Write a ticket's attachment N to standard output (or list them without N).")

    @OptionGroup var desk: DeskOptions
    @Argument(help: "Ticket id.") var id: Int
    @Argument(help: "The attachment's number, as `show` lists them.") var number: Int?
    @Option(name: .shortAndLong, help: "Write it to this file instead.") var output: String?
    @Flag(help: "Print JSON (the list).") var json = false
    @Flag(help: "Write the attachment to standard output even when it is a terminal.") var force = false

    func run() throws {
        let log = try desk.openForReading()
        guard let ticket = log.desk.ticket(id) else { throw Refusal(.notFound, "no ticket \(id)") }
        let attachments = ticket.attachments
        guard let number else {
            if json {
                Output.printJSON(.array(attachments.map(ChannelOutput.attachmentJSON)))
            } else {
                Output.printTable(header: ["N", "NAME", "TYPE", "SIZE", "MESSAGE"], rows: attachments.map {
                    [String($0.number), $0.name, $0.type, ChannelOutput.size($0.size), String($0.message)]
                })
            }
            return
        }
        guard let attachment = attachments.first(where: { $0.number == number }) else {
            throw Refusal(.notFound, "ticket \(id) has no attachment \(number)"
                          + (attachments.isEmpty ? " (it has none)" : " (it has 1 to \(attachments.count))"))
        }
        let store = MailStore(location: desk.location)
        let bytes: [UInt8]
        do {
            bytes = try store.get(attachment.sha256)
        } catch {
            throw UserError(message: "\(error)", code: ExitStatus.io)
        }
        try BinaryOutput.write(bytes, what: attachment.name, to: output, force: force)
    }
}

/// How channel details of a ticket are printed by show, attachment and export.
enum ChannelOutput {
    static func size(_ bytes: Int) -> String { ByteSize.words(bytes) }

    static func attachmentJSON(_ attachment: Attachment) -> JSONValue {
        .object([("number", JSONValue(attachment.number)), ("message", JSONValue(attachment.message)),
                 ("name", .string(attachment.name)), ("type", .string(attachment.type)),
                 ("size", JSONValue(attachment.size)), ("sha256", .string(attachment.sha256))])
    }

    static func deliveryJSON(_ mail: OutboundMail?) -> JSONValue {
        guard let mail else { return .null }
        return .object([("state", .string(mail.state.rawValue)), ("attempts", JSONValue(mail.attempts)),
                        ("message_id", JSONValue(mail.messageID)), ("sent_at", Output.time(mail.sentAt)),
                        ("last_error", JSONValue(mail.lastError)), ("last_attempt_at", Output.time(mail.lastAttemptAt)),
                        ("bounce", JSONValue(mail.bounce))])
    }

    static func receivedJSON(_ received: ReceivedMessage?) -> JSONValue {
        guard let received else { return .null }
        return .object([("channel", .string(received.channel.rawValue)), ("id", .string(received.externalID)),
                        ("from", .string(received.from)),
                        ("automatic", JSONValue(received.automatic?.rawValue))])
    }

    /// `show --json`: a message that came in on a channel gets `received`, a reply that goes out
    /// by mail gets `delivery`, and the ticket gets `attachments`.
    /// The messages are `conversation`'s, each looked up on the ticket that holds it; a merged
    /// ticket's attachments say `from`.
    static func addToShowJSON(_ fields: inout [(String, JSONValue)], conversation: [ConversationEntry], of ticket: Ticket,
                              desk: Desk) {
        if let index = fields.firstIndex(where: { $0.0 == "messages" }), case .array(let messages) = fields[index].1 {
            fields[index].1 = .array(zip(messages, conversation).map { message, entry in
                guard case .object(var item) = message, let holder = desk.ticket(entry.ticket) else { return message }
                // Only on messages that came in on a channel or went out by mail: the fields of
                // every other message stay kind, author, at and body.
                if let received = holder.received(message: entry.number) {
                    item.append(("received", receivedJSON(received)))
                }
                if entry.message.kind == .reply, let mail = holder.outbound(message: entry.number) {
                    item.append(("delivery", deliveryJSON(mail)))
                }
                return .object(item)
            })
        }
        var attachments = ticket.attachments.map(attachmentJSON)
        for source in desk.mergedTickets(into: ticket.id) {
            for attachment in desk.ticket(source)?.attachments ?? [] {
                guard case .object(let item) = attachmentJSON(attachment) else { continue }
                attachments.append(.object(item + [("from", JSONValue(source))]))
            }
        }
        fields.append(("attachments", .array(attachments)))
    }

    static func addAttachments(of ticket: Ticket, to answer: inout Answer) {
        let attachments = ticket.attachments
        if !attachments.isEmpty { answer.line("attachments (helpdesk attachment \(ticket.id) N):") }
        for attachment in attachments {
            answer.line(VisibleText.sanitize("  \(attachment.number)  \(attachment.name)  \(attachment.type)  "
                                             + "\(size(attachment.size))  (message \(attachment.message))"))
        }
        for mail in ticket.outbound where mail.message == nil {
            answer.line("\(mail.purpose) mail \(mail.state.rawValue)" + (mail.lastError.map { ": \(VisibleText.sanitize($0))" } ?? ""))
        }
    }

    /// The words after a message's author in `show`: how it came or how it went out.
    static func label(for index: Int, of ticket: Ticket, customerEmail: String?) -> String {
        let message = ticket.messages[index - 1]
        var parts: [String] = []
        if let received = ticket.received(message: index) {
            parts.append("by \(received.channel.rawValue)")
            if let automatic = received.automatic { parts.append("automatic: \(automatic.rawValue)") }
            if message.kind == .customer, let customerEmail,
               received.from.lowercased() != customerEmail.lowercased() {
                parts.append("NOT the ticket's customer")
            }
        }
        if message.kind == .reply, let mail = ticket.outbound(message: index) {
            let byMail = (ticket.replyChannel ?? .email) == .email
            switch mail.state {
            case .sent where !byMail: parts.append("delivered" + (mail.sentAt.map { " \(Timestamp.format($0))" } ?? ""))
            case .sent: parts.append("mailed" + (mail.sentAt.map { " \(Timestamp.format($0))" } ?? ""))
            case .queued: parts.append(byMail ? "mail queued" : "delivery queued")
            case .failed where mail.bounce != nil: parts.append("mail FAILED: \(mail.bounce ?? "")")
            case .failed where mail.isFinal: parts.append("NOT SENT: \(mail.lastError ?? "")")
            case .failed:
                parts.append("mail FAILED (\(mail.attempts) tr\(mail.attempts == 1 ? "y" : "ies")): \(mail.lastError ?? "?")")
            }
        }
        let count = ticket.attachments.filter { $0.message == index }.count
        if count > 0 { parts.append("\(count) attachment\(count == 1 ? "" : "s")") }
        return parts.isEmpty ? "" : " · " + parts.joined(separator: " · ")
    }
}
