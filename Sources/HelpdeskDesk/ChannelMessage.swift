import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskMail

/// What a channel's delivery command reads on stdin for one reply: one JSON object.
///
/// `{"id","channel","external_id","ticket","customer":{"email","name","phone"},"body",
/// "attachments":[{"name","type","size","sha256","content_base64"}]}`; `id` is the same on every
/// attempt, so a bridge can drop a second copy.
enum ChannelMessage {
    static func payload(_ mail: OutboundMail, id: String, on log: DeskLog, store: MailStore) throws -> [UInt8] {
        let desk = log.desk
        guard let ticket = desk.ticket(mail.ticket), let customer = desk.customer(ticket.customerID),
              let index = mail.message, ticket.messages.indices.contains(index - 1) else {
            throw Courier.CannotCompose(description: "ticket \(mail.ticket) has no reply \(mail.message ?? 0) to deliver")
        }
        let attachments = try ticket.attachments.filter { $0.message == index }.map { file -> JSONValue in
            .object([("name", .string(file.name)), ("type", .string(file.type)), ("size", JSONValue(file.size)),
                     ("sha256", .string(file.sha256)),
                     ("content_base64", .string(Data(try store.get(file.sha256)).base64EncodedString()))])
        }
        let object: JSONValue = .object([
            ("id", .string(id)), ("channel", JSONValue(ticket.replyChannel?.rawValue)),
            ("external_id", JSONValue(ticket.externalConversation)), ("ticket", JSONValue(ticket.id)),
            ("customer", .object([("email", .string(customer.email)), ("name", .string(customer.name)),
                                  ("phone", JSONValue(customer.phone))])),
            ("body", .string(try log.text(of: ticket.messages[index - 1].body))),
            ("attachments", .array(attachments)),
        ])
        return Array((object.serializedString() + "\n").utf8)
    }
}
