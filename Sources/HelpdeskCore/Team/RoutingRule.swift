import Foundation

/// A routing rule (`helpdesk rule add NAME --if … --then …`): when every condition holds for a
/// new ticket, its actions are done to it. Kept as the words it was added with; the words are
/// checked when it is added, so a rule in the log always reads.
public struct RoutingRule: Equatable, Sendable {
    public var name: String
    public var conditions: [String]
    public var actions: [String]

    public init(name: String, conditions: [String], actions: [String]) {
        self.name = name
        self.conditions = conditions
        self.actions = actions
    }

    public enum Condition: Equatable, Sendable {
        case channel(Channel)
        /// The mail's recipient address.
        case to(String)
        /// The sender's address, or every address of a domain (`@bigcorp.com`).
        case from(String)
        /// A word or phrase in the subject, or in the first message; case does not count.
        case subject(String)
        case body(String)
        case organisation(String)
    }

    public enum Action: Equatable, Sendable {
        case group(String)
        case priority(Priority)
        case tag(add: String?, remove: String?)
        case assign(String)
    }

    public static let conditionFields = ["channel", "to", "from", "subject", "body", "organisation"]
    public static let actionFields = ["group", "priority", "tag", "assign"]

    /// A condition as written: `field=value`, or `subject~words`, `body~words` (quotes around
    /// the words are dropped).
    public static func condition(_ word: String) throws(Refusal) -> Condition {
        let trimmed = word.trimmingWhitespace()
        guard let cut = trimmed.firstIndex(where: { $0 == "=" || $0 == "~" }) else {
            throw Refusal(.invalid, "bad condition '\(word)': write FIELD=VALUE or subject~WORDS, body~WORDS")
        }
        let field = String(trimmed[..<cut]).lowercased(), contains = trimmed[cut] == "~"
        let value = unquoted(String(trimmed[trimmed.index(after: cut)...]))
        guard conditionFields.contains(field) else {
            throw Refusal(.invalid, "unknown field '\(field)' in the condition '\(word)'; conditions are on "
                          + conditionFields.joined(separator: ", "))
        }
        guard !value.isEmpty else { throw Refusal(.invalid, "the condition '\(word)' has no value") }
        guard contains == (field == "subject" || field == "body") else {
            throw Refusal(.invalid, contains ? "'\(field)' is matched with =, not ~ ('\(word)')"
                          : "'\(field)' is matched with ~ (words it contains), not = ('\(word)')")
        }
        switch field {
        case "channel":
            guard let channel = Channel(rawValue: value.lowercased()) else {
                throw Refusal(.invalid, "unknown channel '\(value)' in '\(word)'; channels are "
                              + Channel.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return .channel(channel)
        case "to": return .to(Desk.emailKey(value))
        case "from": return .from(Desk.emailKey(value))
        case "subject": return .subject(value.lowercased())
        case "body": return .body(value.lowercased())
        default: return .organisation(value)
        }
    }

    /// An action as written: `group=NAME`, `priority=P`, `tag=+a` or `tag=-b`, `assign=AGENT`.
    public static func action(_ word: String) throws(Refusal) -> Action {
        let trimmed = word.trimmingWhitespace()
        guard let cut = trimmed.firstIndex(of: "=") else {
            throw Refusal(.invalid, "bad action '\(word)': write group=NAME, priority=P, tag=+a, tag=-b or assign=AGENT")
        }
        let field = String(trimmed[..<cut]).lowercased(), value = unquoted(String(trimmed[trimmed.index(after: cut)...]))
        guard actionFields.contains(field) else {
            throw Refusal(.invalid, "unknown field '\(field)' in the action '\(word)'; actions are "
                          + actionFields.joined(separator: ", "))
        }
        guard !value.isEmpty else { throw Refusal(.invalid, "the action '\(word)' has no value") }
        switch field {
        case "group": return .group(value)
        case "assign": return .assign(value)
        case "priority":
            guard let priority = Priority(rawValue: value.lowercased()) else {
                throw Refusal(.invalid, "unknown priority '\(value)' in '\(word)'; priorities are "
                              + Priority.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return .priority(priority)
        default:
            guard let sign = value.first, sign == "+" || sign == "-", value.count > 1 else {
                throw Refusal(.invalid, "bad tag action '\(word)': write tag=+a to add or tag=-b to remove")
            }
            let tag = try Tags.normalise([String(value.dropFirst())])[0]
            return sign == "+" ? .tag(add: try Tags.normaliseAdded([tag])[0], remove: nil) : .tag(add: nil, remove: tag)
        }
    }

    private static func unquoted(_ text: String) -> String {
        var text = text.trimmingWhitespace()
        for quote in ["\"", "'"] where text.count >= 2 && text.hasPrefix(quote) && text.hasSuffix(quote) {
            text = String(text.dropFirst().dropLast())
        }
        return text
    }

    /// The conditions and actions, read (a word that no longer reads matches nothing).
    public var parsedConditions: [Condition]? {
        var parsed: [Condition] = []
        for word in conditions {
            guard let condition = try? Self.condition(word) else { return nil }
            parsed.append(condition)
        }
        return parsed
    }

    public var parsedActions: [Action] { actions.compactMap { try? Self.action($0) } }

    /// Whether every condition holds for `facts`.
    public func matches(_ facts: RoutingFacts) -> Bool {
        guard let conditions = parsedConditions else { return false }
        return conditions.allSatisfy { facts.satisfies($0) }
    }
}

/// What routing rules look at in a new ticket.
public struct RoutingFacts: Equatable, Sendable {
    public var channel: Channel
    /// The mail's recipients (none for other channels).
    public var recipients: [String]
    public var from: String
    public var subject: String
    public var body: String
    public var organisation: String?

    public init(channel: Channel, recipients: [String], from: String, subject: String, body: String,
                organisation: String?) {
        self.channel = channel
        self.recipients = recipients
        self.from = from
        self.subject = subject
        self.body = body
        self.organisation = organisation
    }

    func satisfies(_ condition: RoutingRule.Condition) -> Bool {
        switch condition {
        case .channel(let channel): return self.channel == channel
        case .to(let address): return recipients.contains { Desk.emailKey($0) == address }
        case .from(let pattern):
            let sender = Desk.emailKey(from)
            return pattern.hasPrefix("@") ? sender.hasSuffix(pattern) : sender == pattern
        case .subject(let words): return subject.lowercased().contains(words)
        case .body(let words): return body.lowercased().contains(words)
        case .organisation(let name):
            return organisation.map { $0.trimmingWhitespace().lowercased() == name.lowercased() } ?? false
        }
    }
}
