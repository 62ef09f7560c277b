import Foundation

/// A listing saved under a name for the whole desk (`view.saved`): `helpdesk list --view NAME`.
/// "Mine" is kept as such, so it means whoever uses the view.
public struct SavedView: Equatable, Sendable {
    public enum Assignment: Equatable, Sendable {
        case anyone
        case mine
        case agent(String)
        case unassigned
    }

    public var name: String
    /// Nil: every ticket that is not closed.
    public var status: Status?
    public var allStatuses: Bool
    public var assignment: Assignment
    public var tier: Int?
    public var priority: Priority?
    public var tags: [String]
    public var channel: Channel?
    public var sort: TicketSort?
    /// Only tickets of this group ("none": those in no group).
    public var group: String?
    /// A full-text search the tickets must also match (`list --text`; see `SearchQuery`).
    public var text: String?

    public init(name: String, status: Status? = nil, allStatuses: Bool = false, assignment: Assignment = .anyone,
                tier: Int? = nil, priority: Priority? = nil, tags: [String] = [], channel: Channel? = nil,
                sort: TicketSort? = nil, group: String? = nil, text: String? = nil) {
        self.name = name
        self.status = status
        self.allStatuses = allStatuses
        self.assignment = assignment
        self.tier = tier
        self.priority = priority
        self.tags = tags
        self.channel = channel
        self.sort = sort
        self.group = group
        self.text = text
    }

    /// The agent it is narrowed to, if one is named.
    public var agent: String? {
        if case .agent(let account) = assignment { account } else { nil }
    }

    /// The query it stands for when `me` uses it.
    public func query(for me: String) -> TicketQuery {
        let statuses: TicketQuery.Statuses = allStatuses ? .all : status.map { .only($0) } ?? .notClosed
        let assignment: TicketQuery.Assignment = switch self.assignment {
        case .anyone: .anyone
        case .mine: .assigned(to: me)
        case .agent(let account): .assigned(to: account)
        case .unassigned: .unassigned
        }
        var query = TicketQuery(statuses: statuses, assignment: assignment, tier: tier, priority: priority, tags: tags,
                                channel: channel, sort: sort ?? .id)
        query.group = group
        return query
    }

    /// Its filters as `helpdesk list` spells them: "--priority urgent --tag vip".
    public var arguments: [String] {
        var words: [String] = []
        if allStatuses { words += ["--status", "all"] } else if let status { words += ["--status", status.rawValue] }
        switch assignment {
        case .anyone: break
        case .mine: words.append("--mine")
        case .agent(let account): words += ["--assignee", account]
        case .unassigned: words.append("--unassigned")
        }
        if let tier { words += ["--tier", String(tier)] }
        if let priority { words += ["--priority", priority.rawValue] }
        for tag in tags { words += ["--tag", tag] }
        if let channel { words += ["--channel", channel.rawValue] }
        if let sort { words += ["--sort", sort.rawValue] }
        if let group { words += ["--group", group] }
        if let text { words += ["--text", text] }
        return words
    }
}

/// Who may save and remove views: supervisors, as with macros (a view is shared by the whole
/// desk, like the desk's wording); every agent uses them.
enum SavedViewRules {
    static func save(_ view: SavedView, replacing: Bool, by agent: Agent, _ desk: Desk) throws(Refusal) -> [Event] {
        guard agent.isSupervisor else {
            throw Refusal(.notAllowed, "only supervisors may save views; \(agent.account) is an agent")
        }
        try MacroRules.validName(view.name, "view")
        if !replacing, desk.views[view.name] != nil {
            throw Refusal(.conflict, "a view named \(view.name) exists already; replace it or choose another name")
        }
        if view.allStatuses, view.status != nil { throw Refusal(.invalid, "a view has one status, or all") }
        if let tier = view.tier, !(1...Rules.highestTier).contains(tier) {
            throw Refusal(.invalid, "bad tier \(tier): tiers run from 1 to \(Rules.highestTier)")
        }
        if case .agent(let account) = view.assignment, desk.agents[account] == nil {
            throw Refusal(.notFound, "no agent \(account) on the roster")
        }
        if let group = view.group, group != "none", desk.team.groups[group] == nil {
            throw Refusal(.notFound, "no group \(group)")
        }
        if let text = view.text { _ = try SearchQuery.parse(text) }
        var view = view
        view.tags = try Tags.normalise(view.tags)
        return [.viewSaved(view)]
    }

    static func remove(_ name: String, by agent: Agent, _ desk: Desk) throws(Refusal) -> [Event] {
        guard agent.isSupervisor else {
            throw Refusal(.notAllowed, "only supervisors may remove views; \(agent.account) is an agent")
        }
        guard desk.views[name] != nil else { throw Refusal(.notFound, "no view \(name)") }
        return [.viewRemoved(name: name)]
    }
}
