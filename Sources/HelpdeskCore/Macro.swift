import Foundation

/// A canned reply or note with actions, saved on the desk (`macro.saved`) and applied to a
/// ticket in one record. Its text is a Mustache template over `Macro.placeholders`; rendering
/// needs the template library, so it happens outside Core (HelpdeskDesk) and the rules get
/// the rendered text.
public struct Macro: Equatable, Sendable {
    public var name: String
    /// The reply or note, as a template.
    public var text: Text?
    /// The status it leaves the ticket in: open, on-hold, solved or closed.
    public var status: Status?
    public var priority: Priority?
    public var addTags: [String]
    public var removeTags: [String]
    /// A follow-up due this many seconds after the macro is applied.
    public var followUp: Int?
    public var assignment: Assignment?
    /// Escalates the ticket one tier with this reason.
    public var escalation: String?

    public struct Text: Equatable, Sendable {
        /// `.reply` or `.note`.
        public var kind: MessageKind
        public var template: String

        public init(kind: MessageKind, template: String) {
            self.kind = kind
            self.template = template
        }
    }

    public enum Assignment: Equatable, Sendable {
        /// Whoever applies it.
        case me
        case agent(String)
        case nobody

        /// As the log and the command line spell it: `me`, `none` or the agent's account.
        public var word: String {
            switch self {
            case .me: "me"
            case .agent(let account): account
            case .nobody: "none"
            }
        }

        public init(word: String) {
            switch word {
            case "me": self = .me
            case "none": self = .nobody
            default: self = .agent(word)
            }
        }
    }

    public init(name: String, text: Text? = nil, status: Status? = nil, priority: Priority? = nil,
                addTags: [String] = [], removeTags: [String] = [], followUp: Int? = nil,
                assignment: Assignment? = nil, escalation: String? = nil) {
        self.name = name
        self.text = text
        self.status = status
        self.priority = priority
        self.addTags = addTags
        self.removeTags = removeTags
        self.followUp = followUp
        self.assignment = assignment
        self.escalation = escalation
    }

    /// The statuses a macro may set (pending comes with a follow-up; new never comes back).
    public static let settableStatuses: [Status] = [.open, .onHold, .solved, .closed]

    /// The names a template may use, each `object.field`.
    public static let placeholders = ["customer.name", "customer.first_name", "customer.email", "ticket.id",
                                      "ticket.subject", "agent.name", "desk.name"]

    /// Whether it does anything besides adding its text.
    public var hasActions: Bool {
        status != nil || priority != nil || !addTags.isEmpty || !removeTags.isEmpty || followUp != nil
            || assignment != nil || escalation != nil
    }

    /// What it does, one phrase per action, for lists and the console: "reply", "status solved", "tags +a -b".
    public var actionWords: [String] {
        var words: [String] = []
        if let text { words.append(text.kind == .note ? "note" : "reply") }
        if let assignment { words.append("assign \(assignment.word)") }
        if let priority { words.append("priority \(priority.rawValue)") }
        if !addTags.isEmpty || !removeTags.isEmpty {
            words.append("tags " + (addTags.map { "+\($0)" } + removeTags.map { "-\($0)" }).joined(separator: " "))
        }
        if let escalation { words.append("escalate: \(escalation)") }
        if let followUp { words.append("follow-up in \(DurationText.format(TimeInterval(followUp)))") }
        if let status { words.append("status \(status.rawValue)") }
        return words
    }

    /// The values of the placeholders for `ticket` on `desk`, applied by `agent`, on a desk
    /// called `deskName`: by object, then field.
    public static func placeholderValues(ticket: Ticket, agent: String, deskName: String, on desk: Desk) -> [String: [String: String]] {
        let customer = desk.customer(ticket.customerID)
        let name = customer?.name ?? ""
        return [
            "customer": ["name": name, "first_name": name.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? "",
                         "email": customer?.email ?? ""],
            "ticket": ["id": String(ticket.id), "subject": ticket.subject],
            "agent": ["name": desk.agents[agent]?.displayName ?? agent],
            "desk": ["name": deskName],
        ]
    }
}
