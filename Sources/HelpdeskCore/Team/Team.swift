import Foundation

/// How a group hands out its waiting tickets (see `AutoAssignment`).
public enum AssignMode: String, CaseIterable, Sendable {
    case off
    case roundRobin = "round-robin"
    case leastLoaded = "least-loaded"
}

/// A team of agents that tickets are routed to (billing, technical, returns).
public struct Group: Equatable, Sendable {
    /// One word, as commands name it.
    public var name: String
    public var displayName: String
    /// Accounts, in the order they joined: the order round-robin takes turns in.
    public var members: [String] = []
    public var assignMode: AssignMode = .off
    /// The most open tickets automatic assignment gives one agent; nil: no limit.
    public var capacity: Int?

    public init(name: String, displayName: String, members: [String] = [], assignMode: AssignMode = .off,
                capacity: Int? = nil) {
        self.name = name
        self.displayName = displayName
        self.members = members
        self.assignMode = assignMode
        self.capacity = capacity
    }
}

/// Whether an agent takes tickets from automatic assignment. Said, not guessed: `until` is set
/// when they said it from the shell for a while (`available --for`), which outlasts their consoles.
public struct Availability: Equatable, Sendable {
    public var available: Bool
    public var until: Date?

    public init(available: Bool, until: Date? = nil) {
        self.available = available
        self.until = until
    }

    public func isAvailable(at now: Date) -> Bool {
        available && (until.map { $0 > now } ?? true)
    }

    /// Said from the shell for a while that has not run out: consoles closing leave it.
    public func outlastsConsoles(at now: Date) -> Bool {
        available && (until.map { $0 > now } ?? false)
    }

    /// Available until the agent's last console closes.
    public func becomesAwayWhenConsolesClose(at now: Date) -> Bool {
        available && !outlastsConsoles(at: now)
    }
}

/// The desk's groups, routing rules and who is available: everything issue 13's routing keeps.
public struct Team: Equatable, Sendable {
    public internal(set) var groups: [String: Group] = [:]
    /// In the order they are tried.
    public internal(set) var rules: [RoutingRule] = []
    public internal(set) var availability: [String: Availability] = [:]
    /// Per group, the agent round-robin gave a ticket to last.
    public internal(set) var lastTurn: [String: String] = [:]

    public init() {}

    /// A team as a snapshot saved it.
    public init(groups: [Group], rules: [RoutingRule], availability: [String: Availability], lastTurn: [String: String]) {
        self.groups = Dictionary(groups.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.rules = rules
        self.availability = availability
        self.lastTurn = lastTurn
    }

    public func rule(_ name: String) -> RoutingRule? { rules.first { $0.name == name } }

    /// The groups `account` belongs to, by name.
    public func groups(of account: String) -> [Group] {
        groups.values.filter { $0.members.contains(account) }.sorted { $0.name < $1.name }
    }

    public func isAvailable(_ account: String, at now: Date) -> Bool {
        availability[account]?.isAvailable(at: now) ?? false
    }

    /// Whether any group hands tickets out by itself.
    public var assignsAutomatically: Bool { groups.values.contains { $0.assignMode != .off } }
}

extension Desk {
    /// Agents work the tickets of their groups and ungrouped ones (at their tier); supervisors
    /// work all. A ticket of a group that no longer exists is anyone's.
    public func mayWork(_ agent: Agent, _ ticket: Ticket) -> Bool {
        guard agent.mayWork(tier: ticket.tier) else { return false }
        return agent.isSupervisor || inGroupOf(agent.account, ticket)
    }

    /// The ticket is ungrouped, or in a group the account belongs to (or one that is gone).
    func inGroupOf(_ account: String, _ ticket: Ticket) -> Bool {
        guard let name = ticket.group, let group = team.groups[name] else { return true }
        return group.members.contains(account)
    }

    /// Of `ids` (most urgent first), the ones in `account`'s groups first, each part in order:
    /// what `N` and `helpdesk next` take from.
    public func preferringGroups(of account: String, _ ids: [Int]) -> [Int] {
        let mine = Set(team.groups(of: account).map(\.name))
        let (first, rest) = ids.reduce(into: ([Int](), [Int]())) { parts, id in
            if let group = ticket(id)?.group, mine.contains(group) { parts.0.append(id) } else { parts.1.append(id) }
        }
        return first + rest
    }
}

/// The group half of who may work a ticket, for the ticket rules.
enum GroupWork {
    static func check(_ agent: Agent, _ ticket: Ticket, _ desk: Desk) throws(Refusal) {
        guard agent.isSupervisor || desk.inGroupOf(agent.account, ticket) else {
            throw Refusal(.notAllowed, "ticket \(ticket.id) is in the group \(ticket.group ?? ""); \(agent.account) is not in it")
        }
    }
}

extension Command {
    /// The recipients of the message a command takes in, for routing rules' `to=`.
    var recipients: [String] {
        switch self {
        case .takeIn(let message, _), .releaseFromQuarantine(let message, _): message.recipients
        default: []
        }
    }
}

extension Desk {
    /// Puts back the team a snapshot saved.
    public mutating func restoreTeam(_ saved: Team) {
        team = saved
    }
}
