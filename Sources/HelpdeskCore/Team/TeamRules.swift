import Foundation

/// Who may change the groups (supervisors), the rules (supervisors) and availability (each
/// agent their own), and what a valid group or rule is.
enum TeamRules {
    static func decide(_ command: TeamCommand, by actor: String, at now: Date, on desk: Desk) throws(Refusal) -> [Event] {
        if command == .handOutWaiting {
            try Rules.recordedBy(actor, [AutoAssignment.actor], desk)
            return AutoAssignment.events(on: desk, now: now)
        }
        if case .consolesLost(let agents) = command {
            try Rules.recordedBy(actor, [AutoAssignment.actor], desk)
            return Set(agents).sorted().filter { desk.team.availability[$0]?.becomesAwayWhenConsolesClose(at: now) == true }
                .map { .agentAway(agent: $0) }
        }
        let agent = try Rules.onRoster(actor, desk)
        switch command {
        case .available(let until):
            if let until, until <= now { throw Refusal(.invalid, "the time to stay available is not in the future") }
            return [.agentAvailable(agent: actor, until: until)]
        case .away:
            return desk.team.availability[actor]?.available == true ? [.agentAway(agent: actor)] : []
        case .consolesClosed:
            guard desk.team.availability[actor]?.becomesAwayWhenConsolesClose(at: now) == true else { return [] }
            return [.agentAway(agent: actor)]
        case .setGroup(let id, let name):
            return try setGroup(id, name, by: agent, desk)
        default:
            guard agent.isSupervisor else {
                throw Refusal(.notAllowed, "only supervisors change groups and routing rules; \(actor) is an agent")
            }
            return try bySupervisor(command, desk)
        }
    }

    private static func bySupervisor(_ command: TeamCommand, _ desk: Desk) throws(Refusal) -> [Event] {
        let team = desk.team
        switch command {
        case .addGroup(let name, let displayName):
            try MacroRules.validName(name, "group")
            guard team.groups[name] == nil else { throw Refusal(.conflict, "a group named \(name) exists already") }
            let display = displayName?.trimmingWhitespaceAndNewlines()
            return [.groupAdded(name: name, displayName: display?.isEmpty == false ? display! : name)]
        case .removeGroup(let name):
            _ = try group(name, desk)
            if let rule = team.rules.first(where: { $0.parsedActions.contains(.group(name)) }) {
                throw Refusal(.conflict, "the rule \(rule.name) routes to the group \(name); remove or change it first")
            }
            let open = desk.activeTickets.filter { $0.group == name }.count
            guard open == 0 else {
                throw Refusal(.conflict, "the group \(name) still has \(open) open ticket\(open == 1 ? "" : "s"); move them first (helpdesk group set ID GROUP|none)")
            }
            return [.groupRemoved(name: name)]
        case .addMember(let name, let account):
            let group = try group(name, desk)
            _ = try agent(account, desk)
            guard !group.members.contains(account) else { throw Refusal(.conflict, "\(account) is already in the group \(name)") }
            return [.groupMemberAdded(group: name, agent: account)]
        case .removeMember(let name, let account):
            let group = try group(name, desk)
            guard group.members.contains(account) else { throw Refusal(.notFound, "\(account) is not in the group \(name)") }
            return [.groupMemberRemoved(group: name, agent: account)]
        case .setAssignMode(let name, let mode, let capacity):
            let group = try group(name, desk)
            if let capacity, capacity < 1 { throw Refusal(.invalid, "the capacity must be at least 1, not \(capacity)") }
            guard group.assignMode != mode || group.capacity != capacity else {
                throw Refusal(.conflict, "the group \(name) already assigns \(mode.rawValue)"
                              + (capacity.map { " with capacity \($0)" } ?? ""))
            }
            return [.groupAssignSet(group: name, mode: mode, capacity: capacity)]
        case .addRule(let rule):
            return [.ruleAdded(try valid(rule, desk))]
        case .removeRule(let name):
            guard team.rule(name) != nil else { throw Refusal(.notFound, "no rule \(name)") }
            return [.ruleRemoved(name: name)]
        case .moveRule(let name, let before):
            guard team.rule(name) != nil else { throw Refusal(.notFound, "no rule \(name)") }
            guard team.rule(before) != nil else { throw Refusal(.notFound, "no rule \(before)") }
            guard name != before else { throw Refusal(.invalid, "a rule cannot move before itself") }
            let names = team.rules.map(\.name)
            guard names.firstIndex(of: name)! + 1 != names.firstIndex(of: before)! else {
                throw Refusal(.conflict, "the rule \(name) is already just before \(before)")
            }
            return [.ruleMoved(name: name, before: before)]
        case .setGroup, .available, .away, .consolesClosed, .consolesLost, .handOutWaiting:
            return []  // decided in `decide`
        }
    }

    private static func setGroup(_ id: Int, _ name: String?, by agent: Agent, _ desk: Desk) throws(Refusal) -> [Event] {
        guard let ticket = desk.ticket(id) else { throw Refusal(.notFound, .noSuchTicket(id)) }
        guard ticket.status != .closed else { throw Refusal(.conflict, "ticket \(id) is closed; cannot change its group") }
        if let name { _ = try group(name, desk) }
        guard desk.mayWork(agent, ticket) else {
            throw Refusal(.notAllowed, "ticket \(id) is in the group \(ticket.group ?? "none"); \(agent.account) is not in it")
        }
        guard ticket.group != name else {
            throw Refusal(.conflict, "ticket \(id) is already " + (name.map { "in the group \($0)" } ?? "in no group"))
        }
        var events: [Event] = [.ticketGrouped(ticket: id, group: name, from: ticket.group)]
        // An assignee outside the new group lets it go, as one above its tier does.
        if let name, let assignee = ticket.assignee, let holder = desk.agents[assignee], !holder.isSupervisor,
           desk.team.groups[name]?.members.contains(assignee) == false {
            events.append(.unassigned(ticket: id, from: assignee))
        }
        return events
    }

    /// A rule that reads, names groups and agents that exist, and a name not taken.
    static func valid(_ rule: RoutingRule, _ desk: Desk) throws(Refusal) -> RoutingRule {
        try MacroRules.validName(rule.name, "rule")
        guard desk.team.rule(rule.name) == nil else { throw Refusal(.conflict, "a rule named \(rule.name) exists already") }
        guard !rule.conditions.isEmpty else { throw Refusal(.invalid, "the rule \(rule.name) has no condition (--if)") }
        guard !rule.actions.isEmpty else { throw Refusal(.invalid, "the rule \(rule.name) has no action (--then)") }
        for word in rule.conditions { _ = try RoutingRule.condition(word) }
        var groups = 0, assignees = 0, priorities = 0
        for word in rule.actions {
            switch try RoutingRule.action(word) {
            case .group(let name): _ = try group(name, desk); groups += 1
            case .assign(let account): _ = try agent(account, desk); assignees += 1
            case .priority: priorities += 1
            case .tag: break
            }
        }
        guard groups <= 1, assignees <= 1, priorities <= 1 else {
            throw Refusal(.invalid, "the rule \(rule.name) sets the group, priority or assignee more than once")
        }
        return RoutingRule(name: rule.name, conditions: rule.conditions.map { $0.trimmingWhitespace() },
                           actions: rule.actions.map { $0.trimmingWhitespace() })
    }

    private static func group(_ name: String, _ desk: Desk) throws(Refusal) -> Group {
        guard let group = desk.team.groups[name] else { throw Refusal(.notFound, "no group \(name)") }
        return group
    }

    private static func agent(_ account: String, _ desk: Desk) throws(Refusal) -> Agent {
        guard let agent = desk.agents[account] else { throw Refusal(.notFound, "no agent \(account) on the roster") }
        guard agent.active else { throw Refusal(.notAllowed, "agent \(account) is inactive") }
        return agent
    }
}
