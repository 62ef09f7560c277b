import Foundation

/// Automatic assignment: the tickets waiting in groups that hand tickets out (`round-robin`,
/// `least-loaded`) given to available members under their capacity, oldest and most urgent
/// first. A pure function of the desk and the moment, recorded by the desk (`actor desk`) under
/// the log's lock against the caught-up desk, like SLA escalations: of several processes
/// noticing the same moment, the first records it and the others find nothing left to do.
public enum AutoAssignment {
    public static let actor = SLAEscalation.actor

    /// The assignments due at `now`: per ticket, `ticket.routed` naming the mode, then `assigned`.
    public static func events(on desk: Desk, now: Date) -> [Event] {
        // Most appends find no one available to give to: then no ticket need be looked at.
        let receiving = Set(desk.team.groups.values.filter { group in
            group.assignMode != .off
                && group.members.contains { desk.agents[$0]?.active == true && desk.team.isAvailable($0, at: now) }
        }.map(\.name))
        guard !receiving.isEmpty else { return [] }
        var load = openLoad(on: desk)
        var turns = desk.team.lastTurn
        var events: [Event] = []
        for ticket in waiting(on: desk, in: receiving) {
            guard let group = desk.team.groups[ticket.group ?? ""],
                  let account = pick(for: ticket, in: group, desk: desk, now: now, load: load, lastTurn: turns[group.name])
            else { continue }
            events += [.ticketRouted(ticket: ticket.id, rule: nil, mode: group.assignMode),
                       .assigned(ticket: ticket.id, to: account, from: nil)]
            load[account, default: 0] += 1
            turns[group.name] = account
        }
        return events
    }

    /// Unassigned tickets that need work, in groups that hand them out: the oldest of the most
    /// urgent first.
    public static func waiting(on desk: Desk) -> [Ticket] {
        waiting(on: desk, in: Set(desk.team.groups.values.filter { $0.assignMode != .off }.map(\.name)))
    }

    static func waiting(on desk: Desk, in handing: Set<String>) -> [Ticket] {
        desk.activeTickets
            .filter { $0.assignee == nil && ($0.status == .new || $0.status == .open) && handing.contains($0.group ?? "") }
            .sorted { ($1.priority, $0.createdAt, $0.id) < ($0.priority, $1.createdAt, $1.id) }
    }

    /// Open (not solved or closed) tickets per assignee.
    public static func openLoad(on desk: Desk) -> [String: Int] {
        var load: [String: Int] = [:]
        for ticket in desk.activeTickets { if let assignee = ticket.assignee { load[assignee, default: 0] += 1 } }
        return load
    }

    /// Who of the group gets the ticket: available, active, working its tier, under capacity;
    /// round-robin the next after the last one given one, least-loaded the one with fewest.
    static func pick(for ticket: Ticket, in group: Group, desk: Desk, now: Date, load: [String: Int],
                     lastTurn: String?) -> String? {
        let eligible = group.members.filter { account in
            guard let agent = desk.agents[account], agent.active, agent.mayWork(tier: ticket.tier),
                  desk.team.isAvailable(account, at: now) else { return false }
            return group.capacity.map { load[account, default: 0] < $0 } ?? true
        }
        guard !eligible.isEmpty else { return nil }
        switch group.assignMode {
        case .off: return nil
        case .leastLoaded:
            return eligible.enumerated().min { (load[$0.element, default: 0], $0.offset) < (load[$1.element, default: 0], $1.offset) }?.element
        case .roundRobin:
            let start = lastTurn.flatMap { group.members.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
            let order = group.members[start...] + group.members[..<start]
            return order.first(where: eligible.contains)
        }
    }
}
