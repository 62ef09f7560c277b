import Foundation

/// What the desk asks customers: how a solved ticket went (CSAT, 1-5), and now and then how
/// likely they are to recommend us (NPS, 0-10).
public enum SurveyKind: String, CaseIterable, Sendable {
    case csat, nps

    public var scores: ClosedRange<Int> { self == .csat ? 1...5 : 0...10 }
}

/// The supervisor's settings (`survey.configured`): nil is off.
public struct SurveySettings: Equatable, Sendable {
    /// Seconds after a mail ticket is solved before its CSAT survey is mailed.
    public var csatDelay: Int?
    /// Seconds a customer is asked for NPS at most once in.
    public var npsEvery: Int?

    public init(csatDelay: Int? = nil, npsEvery: Int? = nil) {
        self.csatDelay = csatDelay
        self.npsEvery = npsEvery
    }
}

/// A customer's mail ticket solved while NPS is on: what makes them one to ask.
public struct NPSSolve: Equatable, Sendable {
    public var ticket: Int
    public var at: Date

    public init(ticket: Int, at: Date) {
        self.ticket = ticket
        self.at = at
    }
}

/// What the desk keeps to know which surveys fall due without walking every ticket.
public struct SurveyState: Equatable, Sendable {
    public internal(set) var settings = SurveySettings()
    /// Customers (ids) who asked not to be surveyed.
    public internal(set) var optedOut: Set<Int> = []
    /// Solved mail tickets whose CSAT survey is still to go: ticket id → when it was solved.
    public internal(set) var csatWaiting: [Int: Date] = [:]
    /// Customers with a mail ticket solved since they were last asked for NPS: customer id → that solve.
    public internal(set) var npsSolved: [Int: NPSSolve] = [:]
    /// When each customer was last asked for NPS.
    public internal(set) var npsAsked: [Int: Date] = [:]
    /// The NPS answers of the last `recentWindow` before the latest one (for the wallboard), oldest first.
    public internal(set) var recentNPS: [(score: Int, at: Date)] = []

    public static let recentWindow: TimeInterval = 30 * 86_400

    public init() {}

    public static func == (a: SurveyState, b: SurveyState) -> Bool {
        a.settings == b.settings && a.optedOut == b.optedOut && a.csatWaiting == b.csatWaiting && a.npsSolved == b.npsSolved
            && a.npsAsked == b.npsAsked && a.recentNPS.elementsEqual(b.recentNPS, by: ==)
    }

    /// Puts back what a snapshot saved.
    public init(settings: SurveySettings, optedOut: Set<Int>, csatWaiting: [Int: Date], npsSolved: [Int: NPSSolve],
                npsAsked: [Int: Date], recentNPS: [(score: Int, at: Date)]) {
        self.recentNPS = recentNPS
        self.settings = settings
        self.optedOut = optedOut
        self.csatWaiting = csatWaiting
        self.npsSolved = npsSolved
        self.npsAsked = npsAsked
    }

    /// Whether `observe` needs the ticket of `event`: only a solve while surveys are on and
    /// an NPS survey queued do (so a replay does not copy a ticket for every change of status).
    func looksAtTicket(_ event: Event) -> Bool {
        switch event {
        case .statusChanged(_, _, .solved): settings.csatDelay != nil || settings.npsEvery != nil
        case .surveyQueued(_, _, .nps): true
        default: false
        }
    }

    /// Follows an event already applied to `ticket` (nil for events about no ticket, or when
    /// `looksAtTicket` says it is not needed).
    mutating func observe(_ event: Event, ticket: Ticket?, at: Date) {
        switch event {
        case .surveyConfigured(.csat, let delay):
            settings.csatDelay = delay
            if delay == nil { csatWaiting = [:] }
        case .surveyConfigured(.nps, let every):
            settings.npsEvery = every
            if every == nil { npsSolved = [:] }
        case .customerSurveys(let customer, let allowed):
            if allowed {
                optedOut.remove(customer)
            } else {
                optedOut.insert(customer)
                npsSolved[customer] = nil
            }
        case .statusChanged(let id, _, let to):
            if to == .solved {
                // Settings first: with surveys off, a solve costs no walk through the ticket's history.
                guard settings.csatDelay != nil || settings.npsEvery != nil, let ticket,
                      !optedOut.contains(ticket.customerID), ticket.isMailThread else { return }
                if settings.csatDelay != nil, ticket.rating == nil { csatWaiting[id] = at }
                if settings.npsEvery != nil { npsSolved[ticket.customerID] = NPSSolve(ticket: id, at: at) }
            } else if to.isActive {
                csatWaiting[id] = nil
            }
        case .satisfactionRated(let id, _, _), .surveyAnswered(let id, .csat, _, _), .surveyQueued(let id, _, .csat):
            csatWaiting[id] = nil
        case .surveyAnswered(_, .nps, let score, _):
            recentNPS.removeAll { at.timeIntervalSince($0.at) > Self.recentWindow }
            recentNPS.append((score, at))
        case .surveyQueued(_, _, .nps):
            guard let ticket else { return }
            npsAsked[ticket.customerID] = at
            npsSolved[ticket.customerID] = nil
        default:
            break
        }
    }
}

/// The pure rules of surveys: settings, who is asked when, and reading an answer.
public enum Surveys {
    /// The actor of history entries that are the customer's own answer.
    public static let customerActor = "customer"

    /// The surveys due at `now`, as the events that queue them (the outbox mails them).
    public static func due(on desk: Desk, now: Date) -> [Event] {
        var events: [Event] = []
        let state = desk.surveys
        if let delay = state.settings.csatDelay {
            for (id, solvedAt) in state.csatWaiting.sorted(by: { $0.key < $1.key })
            where now.timeIntervalSince(solvedAt) >= TimeInterval(delay) {
                guard let ticket = desk.ticket(id), !ticket.status.isActive, ticket.rating == nil,
                      askable(ticket.customerID, on: desk) else { continue }
                events.append(.surveyQueued(ticket: id, mail: ticket.outbound.count + 1, kind: .csat))
            }
        }
        if let every = state.settings.npsEvery {
            for (customer, solve) in state.npsSolved.sorted(by: { $0.key < $1.key })
            where now.timeIntervalSince(solve.at) < TimeInterval(every) && askable(customer, on: desk) {
                if let asked = state.npsAsked[customer], now.timeIntervalSince(asked) < TimeInterval(every) { continue }
                guard let ticket = desk.ticket(solve.ticket) else { continue }
                events.append(.surveyQueued(ticket: solve.ticket, mail: ticket.outbound.count + 1, kind: .nps))
            }
        }
        return events
    }

    private static func askable(_ customer: Int, on desk: Desk) -> Bool {
        guard !desk.surveys.optedOut.contains(customer), let email = desk.customer(customer)?.email else { return false }
        return desk.block(covering: email) == nil
    }

    /// The survey a message answers: one the desk sent on `ticket` that the message replies to, or
    /// else the ticket's latest survey when the ticket is no longer active.
    public static func answered(by message: InboundMessage, on ticket: Ticket) -> OutboundMail? {
        let surveys = ticket.outbound.filter { $0.survey != nil && $0.state == .sent }
        if let named = surveys.last(where: { mail in message.references.contains { $0 == mail.messageID } }) { return named }
        return ticket.status.isActive ? nil : surveys.last
    }

    /// A score and a comment read from the start of a reply: a number in the survey's range
    /// ("4", "4/5", "9 - great") or, for CSAT, a word ("great", "bad"). Quoted text is left out.
    public static func answer(_ text: String, kind: SurveyKind) -> (score: Int, comment: String?)? {
        let own = ownText(text)
        let trimmed = own.drop { $0.isWhitespace }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        var score: Int?
        var rest: Substring
        if !digits.isEmpty {
            guard digits.count <= 2, let number = Int(digits), kind.scores.contains(number) else { return nil }
            rest = trimmed.dropFirst(digits.count)
            if let next = rest.first, next.isLetter || next == "." && rest.dropFirst().first?.isNumber == true { return nil }
            score = number
            if rest.hasPrefix("/") {
                rest = rest.dropFirst().drop { $0.isASCII && $0.isNumber }
            }
        } else {
            guard kind == .csat else { return nil }
            let word = trimmed.prefix { $0.isLetter }
            guard let meant = wordScores[word.lowercased()] else { return nil }
            score = meant
            rest = trimmed.dropFirst(word.count)
        }
        guard let score else { return nil }
        let comment = String(rest.drop { $0.isWhitespace || $0.isPunctuation || $0 == "-" })
            .trimmingWhitespaceAndNewlines()
        return (score, comment.isEmpty ? nil : String(comment.prefix(commentLimit)))
    }

    /// A comment longer than this is kept whole in the note beside the rating, not in the rating.
    public static let commentLimit = 2000

    static let wordScores: [String: Int] = [
        "excellent": 5, "great": 5, "amazing": 5, "perfect": 5, "fantastic": 5, "superb": 5,
        "good": 4, "fine": 4, "nice": 4,
        "ok": 3, "okay": 3, "average": 3, "meh": 3,
        "bad": 2, "poor": 2, "disappointing": 2,
        "terrible": 1, "awful": 1, "horrible": 1, "useless": 1,
    ]

    /// The reply's own words: up to the quoted message ("> …", "On … wrote:", a signature "-- ").
    static func ownText(_ text: String) -> String {
        var lines: [Substring] = []
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let bare = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if bare.hasPrefix(">") || bare == "--" { break }
            if bare.hasPrefix("On "), bare.hasSuffix("wrote:") { break }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// The events that take a survey answer in: the message as a note (it does not reopen the
    /// ticket), where it came from, and the answer itself.
    static func take(_ message: InboundMessage, answering survey: OutboundMail, on ticket: Ticket, from email: String,
                     score: Int, comment: String?, attachments: [Event]) -> [Event] {
        let kind = survey.survey ?? .csat
        let index = ticket.messages.count + 1
        let note = "The customer answered the \(kind == .csat ? "satisfaction" : "recommendation") survey "
            + "(\(score) of \(kind.scores.upperBound)):\n\n\(message.body)"
        return [.messageAdded(ticket: ticket.id, kind: .note, body: .text(note)),
                .messageReceived(ticket: ticket.id, message: index, channel: message.channel, externalID: message.externalID,
                                 from: email, raw: message.raw, automatic: nil)]
            + attachments
            + [.surveyAnswered(ticket: ticket.id, kind: kind, score: score, comment: comment)]
    }
}

enum SurveyRules {
    static func configure(_ kind: SurveyKind, every seconds: Int?, by agent: Agent, _ desk: Desk) throws(Refusal) -> [Event] {
        guard agent.isSupervisor else {
            throw Refusal(.notAllowed, "only supervisors may change surveys; \(agent.account) is an agent")
        }
        if let seconds, seconds < 0 { throw Refusal(.invalid, "a survey's delay cannot be negative") }
        if kind == .nps, let seconds, seconds < 86_400 {
            throw Refusal(.invalid, "asking for NPS more often than once a day would pester customers; say --every 90d")
        }
        let current = kind == .csat ? desk.surveys.settings.csatDelay : desk.surveys.settings.npsEvery
        return current == seconds ? [] : [.surveyConfigured(kind: kind, every: seconds)]
    }

    static func allow(_ email: String, _ allowed: Bool, _ desk: Desk) throws(Refusal) -> [Event] {
        guard let customer = desk.customer(email: email) else { throw Refusal(.notFound, "no customer \(email)") }
        return desk.surveys.optedOut.contains(customer.id) == !allowed ? [] : [.customerSurveys(customer: customer.id,
                                                                                                 allowed: allowed)]
    }
}
