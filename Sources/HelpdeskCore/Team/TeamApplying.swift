import Foundation

extension Team {
    /// Applies one of the team's events; returns why it does not fit, if it does not.
    mutating func apply(_ event: Event) -> String? {
        switch event {
        case .groupAdded(let name, let displayName):
            guard groups[name] == nil else { return "the group \(name) exists already" }
            groups[name] = Group(name: name, displayName: displayName)
        case .groupRemoved(let name):
            guard groups.removeValue(forKey: name) != nil else { return "no group \(name)" }
            lastTurn[name] = nil
        case .groupMemberAdded(let name, let agent):
            guard groups[name] != nil else { return "no group \(name)" }
            if !groups[name]!.members.contains(agent) { groups[name]!.members.append(agent) }
        case .groupMemberRemoved(let name, let agent):
            guard groups[name] != nil else { return "no group \(name)" }
            groups[name]!.members.removeAll { $0 == agent }
        case .groupAssignSet(let name, let mode, let capacity):
            guard groups[name] != nil else { return "no group \(name)" }
            groups[name]!.assignMode = mode
            groups[name]!.capacity = capacity
        case .ruleAdded(let rule):
            guard self.rule(rule.name) == nil else { return "the rule \(rule.name) exists already" }
            rules.append(rule)
        case .ruleRemoved(let name):
            guard self.rule(name) != nil else { return "no rule \(name)" }
            rules.removeAll { $0.name == name }
        case .ruleMoved(let name, let before):
            guard let rule = self.rule(name), self.rule(before) != nil, name != before else {
                return "cannot move the rule \(name) before \(before)"
            }
            rules.removeAll { $0.name == name }
            rules.insert(rule, at: rules.firstIndex { $0.name == before }!)
        case .agentAvailable(let agent, let until):
            availability[agent] = Availability(available: true, until: until)
        case .agentAway(let agent):
            availability[agent] = Availability(available: false)
        default:
            break
        }
        return nil
    }
}
