import Foundation

/// Who may change the roster, and what a valid roster entry is.
public enum RosterRules {
    static func add(_ account: String, _ displayName: String?, _ role: Role, _ tier: Int,
                    by actor: Agent, _ desk: Desk) throws(Refusal) -> [Event] {
        try supervisor(actor, "add agents")
        try validAccount(account)
        try notReserved(account)
        try validTier(tier)
        guard desk.agents[account] == nil else { throw Refusal(.conflict, "agent \(account) is already on the roster") }
        let name = displayName?.trimmingCharacters(in: .whitespaces)
        return [.agentAdded(account: account, displayName: name?.isEmpty == false ? name! : account, role: role, tier: tier)]
    }

    static func change(_ account: String, _ displayName: String?, _ role: Role?, _ tier: Int?, _ active: Bool?,
                       by actor: Agent, _ desk: Desk) throws(Refusal) -> [Event] {
        try supervisor(actor, "change agents")
        guard let agent = desk.agents[account] else { throw Refusal(.notFound, "no agent \(account) on the roster") }
        if let tier { try validTier(tier) }
        let name = displayName.flatMap { $0 == agent.displayName ? nil : $0 }
        let role = role.flatMap { $0 == agent.role ? nil : $0 }
        let tier = tier.flatMap { $0 == agent.tier ? nil : $0 }
        let active = active.flatMap { $0 == agent.active ? nil : $0 }
        guard name != nil || role != nil || tier != nil || active != nil else {
            throw Refusal(.conflict, "agent \(account) already looks like that; nothing to change")
        }
        let staysSupervisor = (role ?? agent.role) == .supervisor && (active ?? agent.active)
        let otherSupervisors = desk.agents.values.filter { $0.account != account && $0.isSupervisor && $0.active }
        if agent.isSupervisor, agent.active, !staysSupervisor, otherSupervisors.isEmpty {
            throw Refusal(.conflict, "\(account) is the desk's last active supervisor; add another supervisor first")
        }
        return [.agentChanged(account: account, displayName: name, role: role, tier: tier, active: active)]
    }

    static func allowActing(_ role: String, by actor: Agent, _ desk: Desk) throws(Refusal) -> [Event] {
        try supervisor(actor, "name acting roles")
        try validRole(role)
        guard !desk.actingRoles.contains(role) else { throw Refusal(.conflict, "the role \(role) may already act as any agent") }
        return [.actingRoleAdded(role: role)]
    }

    static func disallowActing(_ role: String, by actor: Agent, _ desk: Desk) throws(Refusal) -> [Event] {
        try supervisor(actor, "name acting roles")
        guard desk.actingRoles.contains(role) else { throw Refusal(.notFound, "the role \(role) is not an acting role") }
        return [.actingRoleRemoved(role: role)]
    }

    /// A PostgreSQL role name as `CREATE ROLE` takes it unquoted (lower case).
    static func validRole(_ role: String) throws(Refusal) {
        let bytes = Array(role.utf8)
        let first = bytes.first.map { ($0 >= 97 && $0 <= 122) || $0 == 95 } ?? false
        let rest = bytes.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 || $0 == 36 }
        guard first, rest, bytes.count <= 63 else {
            throw Refusal(.invalid, "bad role name '\(role)': use a PostgreSQL role name (lower case letters, digits, '_', '$')")
        }
    }

    private static func supervisor(_ actor: Agent, _ action: String) throws(Refusal) {
        guard actor.isSupervisor else { throw Refusal(.notAllowed, "only supervisors may \(action); \(actor.account) is an agent") }
    }

    /// Unix account names as useradd accepts them by default.
    static func validAccount(_ account: String) throws(Refusal) {
        let bytes = Array(account.utf8)
        let first = bytes.first.map { ($0 >= 97 && $0 <= 122) || $0 == 95 } ?? false
        let rest = bytes.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 || $0 == 45 || $0 == 46 }
        guard first, rest, bytes.count <= 32 else {
            throw Refusal(.invalid, "bad account name '\(account)': use a Unix account name (lower case letters, digits, '_', '-', '.')")
        }
    }

    /// Names the desk writes records under itself (SLA escalations, mail, JSON intake) or uses
    /// for customers: an agent with one of them could pass off their work as the desk's.
    public static let reservedAccounts: [String] = [SLAEscalation.actor, Intake.mailActor, Intake.intakeActor, "customer"]

    /// Refuses a name the desk keeps for itself, naming it.
    public static func notReserved(_ account: String) throws(Refusal) {
        guard !reservedAccounts.contains(account) else {
            throw Refusal(.invalid, "'\(account)' is reserved: the desk uses the names "
                          + reservedAccounts.joined(separator: ", ") + " for itself; it cannot be an agent")
        }
    }

    static func validTier(_ tier: Int) throws(Refusal) {
        guard (1...Rules.highestTier).contains(tier) else {
            throw Refusal(.invalid, "bad tier \(tier): tiers run from 1 to \(Rules.highestTier)")
        }
    }
}
