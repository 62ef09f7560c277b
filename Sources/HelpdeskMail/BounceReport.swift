import Foundation

/// What a bounce says went wrong: read from its delivery status report (RFC 3464,
/// `message/delivery-status`, as Postfix and Exim send), else from the headers a mailer-daemon
/// message carries. Only what a person needs on the ticket: who, the status code, the reason.
public struct BounceReport: Equatable, Sendable {
    /// `nosuchuser@example.com: 5.1.1 unknown user: "nosuchuser"`, on one line.
    public var reason: String
    /// Message-IDs the report names besides the copy it carries (Original-Envelope-Id,
    /// X-Original-Message-ID), without <>.
    public var originalIDs: [String]

    /// The longest reason kept: a remote server's diagnostic can be anything.
    public static let longestReason = 300

    public init(reason: String, originalIDs: [String] = []) {
        self.reason = reason
        self.originalIDs = originalIDs
    }

    /// The report of a bounce, from its delivery-status part when it has one.
    public static func read(_ mail: ParsedMail) -> BounceReport {
        var ids = mail.header("X-Original-Message-ID").flatMap(MailParser.cleanID).map { [$0] } ?? []
        var reasons: [String] = []
        for part in mail.attachments where part.type == "message/delivery-status" {
            let fields = deliveryStatusFields(String(decoding: part.data, as: UTF8.self))
            for group in fields {
                if let envelope = group["original-envelope-id"], let id = MailParser.cleanID(envelope) { ids.append(id) }
                guard let action = group["action"]?.lowercased(), action.hasPrefix("failed") || action.hasPrefix("delayed")
                else { continue }
                let recipient = (group["final-recipient"] ?? group["original-recipient"]).map(afterType)
                let diagnostic = group["diagnostic-code"].map(afterType)
                let words = [group["status"], diagnostic].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
                reasons.append([recipient, words.isEmpty ? action : words].compactMap { $0 }.joined(separator: ": "))
            }
        }
        if reasons.isEmpty {
            let failed = mail.header("X-Failed-Recipients").map { $0 + ": " } ?? ""
            reasons.append(failed + (mail.subject.isEmpty ? "the mail system returned it" : mail.subject))
        }
        return BounceReport(reason: oneLine(reasons.joined(separator: "; ")), originalIDs: ids)
    }

    /// The field groups of a delivery status: the per-message group, then one per recipient,
    /// separated by blank lines; names lowercased, folded lines joined.
    static func deliveryStatusFields(_ text: String) -> [[String: String]] {
        var groups: [[String: String]] = []
        var current: [String: String] = [:]
        var last: String?
        for rawLine in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if !current.isEmpty { groups.append(current) }
                current = [:]
                last = nil
            } else if line.first == " " || line.first == "\t", let name = last {
                current[name, default: ""] += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                current[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                last = name
            }
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }

    /// `rfc822; someone@example.com` without its type, `smtp; 550 …` likewise.
    private static func afterType(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";") else { return value }
        return value[value.index(after: semicolon)...].trimmingCharacters(in: .whitespaces)
    }

    /// Control characters and runs of space made one space, cut to `longestReason`.
    private static func oneLine(_ text: String) -> String {
        var result = ""
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let space = scalar.properties.generalCategory == .control || scalar == " " || scalar.properties.isWhitespace
            if space {
                if !lastWasSpace && !result.isEmpty { result.append(" ") }
            } else {
                result.unicodeScalars.append(scalar)
            }
            lastWasSpace = space
        }
        let trimmed = result.trimmingCharacters(in: .whitespaces)
        return trimmed.count > longestReason ? String(trimmed.prefix(longestReason)) + "…" : trimmed
    }
}
