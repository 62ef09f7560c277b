import CGMime
import Foundation

/// One mail the desk sends, before it is made into bytes.
public struct OutgoingMail: Equatable, Sendable {
    public var from: Mailbox
    public var replyTo: Mailbox?
    public var to: Mailbox
    public var subject: String
    /// Without <>.
    public var messageID: String
    public var inReplyTo: String?
    public var references: [String]
    public var date: Date
    public var body: String
    /// `auto-replied` for the acknowledgement (RFC 3834), so other robots do not answer it.
    public var autoSubmitted: String?
    /// Extra headers, e.g. X-Helpdesk-Ticket.
    public var extraHeaders: [(String, String)]
    /// Files sent with it, each a MIME part of its own after the text.
    public var attachments: [OutgoingAttachment] = []

    public init(from: Mailbox, replyTo: Mailbox? = nil, to: Mailbox, subject: String, messageID: String,
                inReplyTo: String? = nil, references: [String] = [], date: Date, body: String,
                autoSubmitted: String? = nil, extraHeaders: [(String, String)] = []) {
        self.from = from
        self.replyTo = replyTo
        self.to = to
        self.subject = subject
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.date = date
        self.body = body
        self.autoSubmitted = autoSubmitted
        self.extraHeaders = extraHeaders
    }

    public static func == (a: OutgoingMail, b: OutgoingMail) -> Bool {
        a.from == b.from && a.replyTo == b.replyTo && a.to == b.to && a.subject == b.subject
            && a.messageID == b.messageID && a.inReplyTo == b.inReplyTo && a.references == b.references
            && a.date == b.date && a.body == b.body && a.autoSubmitted == b.autoSubmitted
            && a.extraHeaders.elementsEqual(b.extraHeaders) { $0 == $1 } && a.attachments == b.attachments
    }
}

/// A file a mail carries.
public struct OutgoingAttachment: Equatable, Sendable {
    public var name: String
    /// A MIME type, `type/subtype`; anything else goes as application/octet-stream.
    public var type: String
    public var bytes: [UInt8]

    public init(name: String, type: String, bytes: [UInt8]) {
        self.name = name
        self.type = type
        self.bytes = bytes
    }
}

/// Makes RFC 5322 messages with GMime: names and subjects RFC 2047 encoded when they need it,
/// the body UTF-8 in quoted-printable (or 7bit when it is plain ASCII), lines ending in LF as
/// sendmail expects.
public enum MailComposer {
    public static func compose(_ mail: OutgoingMail) -> [UInt8] {
        _ = GMime.started
        let message = g_mime_message_new(1)!
        defer { hd_unref(message) }
        let object = hd_object(message)
        g_mime_message_add_mailbox(message, GMIME_ADDRESS_TYPE_FROM, mail.from.name ?? "", mail.from.address)
        if let replyTo = mail.replyTo {
            g_mime_message_add_mailbox(message, GMIME_ADDRESS_TYPE_REPLY_TO, replyTo.name ?? "", replyTo.address)
        }
        g_mime_message_add_mailbox(message, GMIME_ADDRESS_TYPE_TO, mail.to.name ?? "", mail.to.address)
        g_mime_message_set_subject(message, oneLine(mail.subject), "utf-8")
        let date = g_date_time_new_from_unix_utc(gint64(mail.date.timeIntervalSince1970))
        g_mime_message_set_date(message, date)
        g_date_time_unref(date)
        g_mime_message_set_message_id(message, mail.messageID)
        if let inReplyTo = mail.inReplyTo { g_mime_object_set_header(object, "In-Reply-To", "<\(inReplyTo)>", nil) }
        if !mail.references.isEmpty {
            g_mime_object_set_header(object, "References", mail.references.map { "<\($0)>" }.joined(separator: " "), nil)
        }
        if let autoSubmitted = mail.autoSubmitted {
            g_mime_object_set_header(object, "Auto-Submitted", autoSubmitted, nil)
            g_mime_object_set_header(object, "X-Auto-Response-Suppress", "All", nil)
        }
        for (name, value) in mail.extraHeaders { g_mime_object_set_header(object, name, oneLine(value), "utf-8") }

        let part = g_mime_text_part_new_with_subtype("plain")!
        defer { hd_unref(part) }
        var body = mail.body.replacingOccurrences(of: "\r\n", with: "\n")
        if !body.hasSuffix("\n") { body += "\n" }
        g_mime_text_part_set_text(part, body)
        let leaf = hd_part(hd_object(part))
        g_mime_part_set_content_encoding(leaf, g_mime_part_get_best_content_encoding(leaf, GMIME_ENCODING_CONSTRAINT_7BIT))
        if mail.attachments.isEmpty {
            g_mime_message_set_mime_part(message, hd_object(part))
        } else {
            let mixed = g_mime_multipart_new_with_subtype("mixed")!
            defer { hd_unref(mixed) }
            g_mime_multipart_add(mixed, hd_object(part))
            for attachment in mail.attachments {
                let kind = mimeType(attachment.type)
                let file = attachment.bytes.withUnsafeBytes {
                    hd_attachment_part(kind.type, kind.subtype, oneLine(attachment.name), $0.baseAddress, $0.count)!
                }
                g_mime_multipart_add(mixed, hd_object(file))
                hd_unref(file)
            }
            g_mime_message_set_mime_part(message, hd_object(mixed))
        }

        guard let array = hd_message_bytes(message) else { return [] }
        defer { g_byte_array_unref(array) }
        return array.pointee.data.map { Array(UnsafeBufferPointer(start: $0, count: Int(array.pointee.len))) } ?? []
    }

    /// `type/subtype` of a well-formed MIME type (RFC 2045 tokens), else application/octet-stream.
    static func mimeType(_ text: String) -> (type: String, subtype: String) {
        let parts = text.lowercased().split(separator: "/", omittingEmptySubsequences: false)
        let token = { (word: Substring) in
            !word.isEmpty && word.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 32 && !"()<>@,;:\\\"/[]?=".unicodeScalars.contains($0) }
        }
        guard parts.count == 2, token(parts[0]), token(parts[1]) else { return ("application", "octet-stream") }
        return (String(parts[0]), String(parts[1]))
    }

    /// Header text on one line: a customer's subject must not add headers of its own.
    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
}
