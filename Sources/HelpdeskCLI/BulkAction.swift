import ArgumentParser
import Foundation
import HelpdeskCore

/// What `helpdesk bulk` does to each ticket: the action word, its words after it, and the
/// options only some actions take.
enum BulkAction {
    case take, give(String), release, priority(Priority), tag(TagChanges), resolve, close
    case escalate(reason: String, tier: Int?), followUp(TimeInterval), macro(String)

    static let names = "take, give AGENT, release, priority P, tag +A -B, resolve, close, escalate --reason R, "
        + "follow-up --in D, macro NAME"

    init(_ name: String, words: [String], reason: String?, tier: Int?, after: TimeInterval?) throws {
        func one(_ what: String) throws -> String {
            guard words.count == 1 else { throw ValidationError("bulk \(name) takes one \(what)") }
            return words[0]
        }
        func none() throws {
            guard words.isEmpty else { throw ValidationError("bulk \(name) takes no arguments; got \(words.joined(separator: " "))") }
        }
        switch name {
        case "take": try none(); self = .take
        case "give": self = .give(try one("agent"))
        case "release": try none(); self = .release
        case "priority":
            let word = try one("priority")
            guard let priority = Priority(rawValue: word) else {
                throw ValidationError("bad priority '\(word)': low, normal, high or urgent")
            }
            self = .priority(priority)
        case "tag":
            guard !words.isEmpty else { throw ValidationError("bulk tag takes at least one +TAG or -TAG") }
            self = .tag(TagChanges(words: words))
        case "resolve": try none(); self = .resolve
        case "close": try none(); self = .close
        case "escalate":
            try none()
            guard let reason else { throw ValidationError("bulk escalate needs --reason") }
            self = .escalate(reason: reason, tier: tier)
        case "follow-up":
            try none()
            guard let after else { throw ValidationError("bulk follow-up needs --in") }
            self = .followUp(after)
        case "macro": self = .macro(try one("macro name"))
        default: throw ValidationError("unknown bulk action '\(name)': \(Self.names)")
        }
        if reason != nil || tier != nil, !isEscalate { throw ValidationError("--reason and --tier go with escalate") }
        if after != nil, !isFollowUp { throw ValidationError("--in goes with follow-up") }
    }

    private var isEscalate: Bool { if case .escalate = self { true } else { false } }
    private var isFollowUp: Bool { if case .followUp = self { true } else { false } }

    /// The step for ticket `id`, decided at `now`.
    func step(_ id: Int, now: Date) -> Command {
        switch self {
        case .take: .take(ticket: id, steal: false)
        case .give(let agent): .give(ticket: id, to: agent)
        case .release: .release(ticket: id)
        case .priority(let priority): .setPriority(ticket: id, priority: priority)
        case .tag(let tags): .changeTags(ticket: id, add: tags.add, remove: tags.remove)
        case .resolve: .resolve(ticket: id)
        case .close: .close(ticket: id)
        case .escalate(let reason, let tier): .escalate(ticket: id, reason: reason, tier: tier)
        case .followUp(let after): .scheduleFollowUp(ticket: id, due: now.addingTimeInterval(after), note: nil)
        case .macro(let name): .applyMacro(ticket: id, name: name, text: nil)
        }
    }

    /// What was done to a ticket, after its id.
    var done: String {
        switch self {
        case .take: "taken"
        case .give(let agent): "given to \(agent)"
        case .release: "released"
        case .priority(let priority): "now \(priority.rawValue) priority"
        case .tag: "tags changed"
        case .resolve: "solved"
        case .close: "closed"
        case .escalate: "escalated"
        case .followUp: "pending until its follow-up"
        case .macro(let name): "macro \(name) applied"
        }
    }
}

/// Ticket ids as typed: separated by commas, spaces or lines; anything else is named.
enum TicketIDList {
    static func parse(_ text: String, from source: String) throws -> [Int] {
        let words = text.split { $0 == "," || $0.isWhitespace }
        let ids = try words.map { word -> Int in
            guard word.allSatisfy({ $0.isASCII && $0.isNumber }), let id = Int(word), id > 0 else {
                throw UserError(message: "not a ticket id in \(source): '\(VisibleText.sanitize(String(word.prefix(64))))'",
                                code: ExitStatus.usage)
            }
            return id
        }
        guard !ids.isEmpty else { throw UserError(message: "no ticket ids in \(source)", code: ExitStatus.usage) }
        return ids
    }
}
