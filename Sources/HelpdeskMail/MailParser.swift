import CGMime
import Foundation
import HelpdeskCore

/// One mailbox: an address and the name that goes with it (RFC 2047 decoded).
public struct Mailbox: Equatable, Sendable {
    public var address: String
    public var name: String?

    public init(address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }
}

/// A file that came with a message, decoded (base64 or quoted-printable undone).
public struct ParsedAttachment: Equatable, Sendable {
    public var name: String
    public var type: String
    public var data: [UInt8]
}

/// What the desk needs of one RFC 5322 message, as GMime reads it.
public struct ParsedMail: Sendable {
    /// Every header, names as written and values unfolded and RFC 2047 decoded, in order.
    public var headers: [(name: String, value: String)]
    public var from: Mailbox?
    public var replyTo: Mailbox?
    public var to: [Mailbox]
    public var subject: String
    /// Without <>; nil when the message has none.
    public var messageID: String?
    public var inReplyTo: [String]
    public var references: [String]
    public var date: Date?
    /// The top-level content type, e.g. `multipart/alternative`.
    public var contentType: String
    /// The body as text: text/plain preferred, HTML turned into text when it is all there is.
    public var text: String
    /// True when the text was made from HTML.
    public var textFromHTML: Bool
    public var attachments: [ParsedAttachment]
    /// Message-IDs of messages carried inside this one (a bounce's copy of what bounced).
    public var embeddedMessageIDs: [String] = []

    /// Who the message is from for the desk: From, else Reply-To.
    public var sender: Mailbox? { from ?? replyTo }

    /// Ids this message answers, most likely first.
    public var threadReferences: [String] {
        var result: [String] = []
        for id in inReplyTo + references.reversed() where !result.contains(id) { result.append(id) }
        return result
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Reads RFC 5322 messages with GMime.
public enum MailParser {
    public struct Unreadable: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    public static func parse(_ bytes: [UInt8]) throws(Unreadable) -> ParsedMail {
        _ = GMime.started
        guard !bytes.isEmpty else { throw Unreadable(reason: "the message is empty") }
        guard let message = bytes.withUnsafeBytes({ hd_parse_message($0.baseAddress, $0.count) }) else {
            throw Unreadable(reason: "no message could be read from it (no headers)")
        }
        defer { hd_unref(message) }
        let object = hd_object(message)
        let headers = headerList(g_mime_object_get_header_list(object))
        guard !headers.isEmpty else { throw Unreadable(reason: "no message could be read from it (no headers)") }

        var mail = ParsedMail(
            headers: headers,
            from: mailboxes(g_mime_message_get_from(message)).first,
            replyTo: mailboxes(g_mime_message_get_reply_to(message)).first,
            to: mailboxes(g_mime_message_get_to(message)),
            subject: string(g_mime_message_get_subject(message)) ?? "",
            messageID: string(g_mime_message_get_message_id(message)).flatMap(cleanID),
            inReplyTo: references(g_mime_object_get_header(object, "In-Reply-To")),
            references: references(g_mime_object_get_header(object, "References")),
            date: g_mime_message_get_date(message).map { Date(timeIntervalSince1970: TimeInterval(g_date_time_to_unix($0))) },
            contentType: "text/plain", text: "", textFromHTML: false, attachments: [])
        if let body = g_mime_message_get_mime_part(message) {
            mail.contentType = mimeType(body)
            var walker = BodyWalker()
            walker.walk(body)
            mail.text = walker.bodyText()
            mail.textFromHTML = walker.fromHTML
            mail.attachments = walker.attachments
            mail.embeddedMessageIDs = walker.embeddedMessageIDs
        }
        return mail
    }

    static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) }
    }

    static func cleanID(_ id: String) -> String? {
        var text = id.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("<") { text.removeFirst() }
        if text.hasSuffix(">") { text.removeLast() }
        return text.isEmpty ? nil : text
    }

    static func headerList(_ list: UnsafeMutablePointer<GMimeHeaderList>?) -> [(name: String, value: String)] {
        guard let list else { return [] }
        var headers: [(name: String, value: String)] = []
        for index in 0..<g_mime_header_list_get_count(list) {
            guard let header = g_mime_header_list_get_header_at(list, index),
                  let name = string(g_mime_header_get_name(header)) else { continue }
            headers.append((name, string(g_mime_header_get_value(header)) ?? ""))
        }
        return headers
    }

    static func mailboxes(_ list: UnsafeMutablePointer<InternetAddressList>?) -> [Mailbox] {
        guard let list else { return [] }
        var result: [Mailbox] = []
        func collect(_ list: UnsafeMutablePointer<InternetAddressList>) {
            for index in 0..<internet_address_list_length(list) {
                guard let address = internet_address_list_get_address(list, index) else { continue }
                if hd_is_mailbox(address) != 0 {
                    guard let addr = string(internet_address_mailbox_get_addr(hd_mailbox(address))), addr.contains("@")
                    else { continue }
                    let name = string(internet_address_get_name(address))?.trimmingCharacters(in: .whitespaces)
                    result.append(Mailbox(address: addr, name: name?.isEmpty == false ? name : nil))
                } else if hd_is_group(address) != 0, let members = internet_address_group_get_members(hd_group(address)) {
                    collect(members)
                }
            }
        }
        collect(list)
        return result
    }

    static func references(_ header: UnsafePointer<CChar>?) -> [String] {
        guard let header, let parsed = g_mime_references_parse(nil, header) else { return [] }
        defer { g_mime_references_free(parsed) }
        return (0..<g_mime_references_length(parsed)).compactMap {
            string(g_mime_references_get_message_id(parsed, $0)).flatMap(cleanID)
        }
    }

    static func mimeType(_ object: UnsafeMutablePointer<GMimeObject>) -> String {
        guard let type = g_mime_object_get_content_type(object), let text = g_mime_content_type_get_mime_type(type) else {
            return "application/octet-stream"
        }
        defer { g_free(text) }
        return (string(text) ?? "application/octet-stream").lowercased()
    }
}

/// Walks a message's MIME tree: the text a person reads, and every file that came with it.
struct BodyWalker {
    /// Text parts in order, each as (text, was it HTML).
    var texts: [(String, Bool)] = []
    var attachments: [ParsedAttachment] = []
    var fromHTML = false
    var embeddedMessageIDs: [String] = []

    func bodyText() -> String {
        texts.map(\.0).map { $0.trimmingCharacters(in: .newlines) }.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    mutating func walk(_ object: UnsafeMutablePointer<GMimeObject>) {
        let type = MailParser.mimeType(object)
        if hd_is_multipart(object) != 0 {
            let multipart = hd_multipart(object)
            let count = g_mime_multipart_get_count(multipart)
            let children = (0..<count).compactMap { g_mime_multipart_get_part(multipart, $0) }
            switch type {
            case "multipart/alternative":
                // The plain text if there is one, else the richest part we can read.
                if let plain = children.last(where: { MailParser.mimeType($0) == "text/plain" && !isAttachment($0) }) {
                    walk(plain)
                } else if let html = children.last(where: { MailParser.mimeType($0) == "text/html" }) {
                    walk(html)
                } else if let nested = children.last(where: { hd_is_multipart($0) != 0 }) {
                    walk(nested)
                } else if let first = children.first {
                    walk(first)
                }
            case "multipart/signed":
                if let first = children.first { walk(first) }
                for signature in children.dropFirst() { attach(signature, index: attachments.count + 1) }
            default:
                for child in children { walk(child) }
            }
            return
        }
        if hd_is_message_part(object) != 0 {
            attachMessage(object)
            return
        }
        guard hd_is_part(object) != 0 else { return }
        if (type == "text/plain" || type == "text/html"), !isAttachment(object) {
            let part = hd_part(object)
            let text = decodedText(part)
            if type == "text/html" {
                texts.append((HTMLText.text(fromHTML: text), true))
                if texts.count == 1 { fromHTML = true }
            } else {
                texts.append((text, false))
            }
            return
        }
        attach(object, index: attachments.count + 1)
    }

    /// A part meant as a file: `Content-Disposition: attachment`, or a name of its own.
    func isAttachment(_ object: UnsafeMutablePointer<GMimeObject>) -> Bool {
        if let disposition = g_mime_object_get_content_disposition(object),
           g_mime_content_disposition_is_attachment(disposition) != 0 { return true }
        if hd_is_part(object) != 0, g_mime_part_get_filename(hd_part(object)) != nil { return true }
        return false
    }

    func decodedText(_ part: UnsafeMutablePointer<GMimePart>?) -> String {
        guard let part else { return "" }
        let charset = MailParser.string(g_mime_object_get_content_type_parameter(hd_object(part), "charset"))
        return Charset.decode(bytes(part), charset: charset)
    }

    func bytes(_ part: UnsafeMutablePointer<GMimePart>?) -> [UInt8] {
        guard let part, let array = hd_part_bytes(part) else { return [] }
        defer { g_byte_array_unref(array) }
        guard let data = array.pointee.data else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(array.pointee.len)))
    }

    mutating func attach(_ object: UnsafeMutablePointer<GMimeObject>, index: Int) {
        guard hd_is_part(object) != 0 else {
            if hd_is_message_part(object) != 0 { attachMessage(object) }
            return
        }
        let part = hd_part(object)
        let type = MailParser.mimeType(object)
        if type == "text/rfc822-headers" {
            let headers = bytes(part) + [10, 10]
            if let inner = headers.withUnsafeBytes({ hd_parse_message($0.baseAddress, $0.count) }) {
                if let id = MailParser.string(g_mime_message_get_message_id(inner)).flatMap(MailParser.cleanID) {
                    embeddedMessageIDs.append(id)
                }
                hd_unref(inner)
            }
        }
        let given = MailParser.string(g_mime_part_get_filename(part)).map(Self.safeName) ?? ""
        let name = given.isEmpty ? "part-\(index)\(Self.extensionFor(type))" : given
        attachments.append(ParsedAttachment(name: name, type: type, data: bytes(part)))
    }

    mutating func attachMessage(_ object: UnsafeMutablePointer<GMimeObject>) {
        guard let inner = g_mime_message_part_get_message(hd_message_part(object)),
              let array = hd_message_bytes(inner) else { return }
        defer { g_byte_array_unref(array) }
        let data = array.pointee.data.map { Array(UnsafeBufferPointer(start: $0, count: Int(array.pointee.len))) } ?? []
        if let id = MailParser.string(g_mime_message_get_message_id(inner)).flatMap(MailParser.cleanID) {
            embeddedMessageIDs.append(id)
        }
        let subject = MailParser.string(g_mime_message_get_subject(inner)).map(Self.safeName) ?? ""
        let name = subject.isEmpty ? "message-\(attachments.count + 1).eml" : String(subject.prefix(80)) + ".eml"
        attachments.append(ParsedAttachment(name: name, type: "message/rfc822", data: data))
    }

    /// A file name without directories or control characters.
    static func safeName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(String.UnicodeScalarView(last.unicodeScalars.filter {
            $0.value >= 32 && $0.value != 127 && !(0x80...0x9F).contains($0.value)
        })).trimmingCharacters(in: .whitespaces)
        return clean == "." || clean == ".." ? "" : clean
    }

    static func extensionFor(_ type: String) -> String {
        switch type {
        case "text/plain": ".txt"
        case "text/html": ".html"
        case "image/png": ".png"
        case "image/jpeg": ".jpg"
        case "image/gif": ".gif"
        case "application/pdf": ".pdf"
        case "message/delivery-status": ".txt"
        default: ".bin"
        }
    }
}

extension ParsedMail {
    /// Where the mail was sent: To, and the address the mail system delivered it for
    /// (Delivered-To, X-Original-To: an alias's own address when To names a list), for routing.
    public var recipientAddresses: [String] {
        let delivered = headers.filter { ["delivered-to", "x-original-to"].contains($0.name.lowercased()) }
            .map { $0.value.trimmingCharacters(in: CharacterSet(charactersIn: " \t<>")) }
        return to.map(\.address) + delivered.filter { !$0.isEmpty }
    }
}
