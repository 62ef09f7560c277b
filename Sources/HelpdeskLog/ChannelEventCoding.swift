import Foundation
import HelpdeskCore

/// How the channel events (mail in and out, JSON intake) are spelled in the log.
extension EventCoding {
    static func encodeChannel(_ event: Event) -> JSONValue? {
        switch event {
        case .messageReceived(let ticket, let message, let channel, let externalID, let from, let raw, let automatic):
            var fields: [(String, JSONValue)] = [
                ("type", "message.received"), ("ticket", JSONValue(ticket)), ("message", JSONValue(message)),
                ("channel", .string(channel.rawValue)), ("external_id", .string(externalID)), ("from", .string(from)),
            ]
            if let raw { fields.append(("raw", .string(raw))) }
            if let automatic { fields.append(("automatic", .string(automatic.rawValue))) }
            return .object(fields)
        case .attachmentAdded(let ticket, let message, let name, let type, let size, let sha256):
            return .object([("type", "attachment.added"), ("ticket", JSONValue(ticket)), ("message", JSONValue(message)),
                            ("name", .string(name)), ("mime_type", .string(type)), ("size", JSONValue(size)),
                            ("sha256", .string(sha256))])
        case .mailQueued(let ticket, let mail, let message):
            var fields: [(String, JSONValue)] = [("type", "mail.queued"), ("ticket", JSONValue(ticket)),
                                                 ("mail", JSONValue(mail))]
            if let message { fields.append(("message", JSONValue(message))) }
            return .object(fields)
        case .mailSent(let ticket, let mail, let messageID):
            return .object([("type", "mail.sent"), ("ticket", JSONValue(ticket)), ("mail", JSONValue(mail)),
                            ("message_id", .string(messageID))])
        case .mailFailed(let ticket, let mail, let error):
            return .object([("type", "mail.failed"), ("ticket", JSONValue(ticket)), ("mail", JSONValue(mail)),
                            ("error", .string(error))])
        case .mailQuarantined(let raw, let reason):
            return .object([("type", "mail.quarantined"), ("raw", .string(raw)), ("reason", .string(reason))])
        default:
            return nil
        }
    }

    static func decodeChannel(_ type: String, _ fields: Fields) throws(Invalid) -> Event? {
        switch type {
        case "message.received":
            return .messageReceived(ticket: try fields.int("ticket"), message: try fields.int("message"),
                                    channel: try fields.enumeration("channel"),
                                    externalID: try fields.string("external_id"), from: try fields.string("from"),
                                    raw: try fields.optionalString("raw"),
                                    automatic: try fields.optionalEnumeration("automatic"))
        case "attachment.added":
            return .attachmentAdded(ticket: try fields.int("ticket"), message: try fields.int("message"),
                                    name: try fields.string("name"), type: try fields.string("mime_type"),
                                    size: try fields.int("size"), sha256: try fields.string("sha256"))
        case "mail.queued":
            return .mailQueued(ticket: try fields.int("ticket"), mail: try fields.int("mail"),
                               message: try fields.optionalInt("message"))
        case "mail.sent":
            return .mailSent(ticket: try fields.int("ticket"), mail: try fields.int("mail"),
                             messageID: try fields.string("message_id"))
        case "mail.failed":
            return .mailFailed(ticket: try fields.int("ticket"), mail: try fields.int("mail"),
                               error: try fields.string("error"))
        case "mail.quarantined":
            return .mailQuarantined(raw: try fields.string("raw"), reason: try fields.string("reason"))
        default:
            return nil
        }
    }
}
