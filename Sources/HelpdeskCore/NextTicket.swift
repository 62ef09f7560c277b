import Foundation

/// The ticket an agent takes next (the console's `N`, `helpdesk next`): the most urgent of the
/// unassigned tickets still needing attention that the agent may work (tier and group), in the
/// queue's urgency order; one of the agent's groups' before any other.
public enum NextTicket {
    public static func ticket(for agent: Agent, on desk: Desk, now: Date) -> Ticket? {
        let calculator = SLACalculator(policy: desk.slaPolicy)
        let groups = Set(desk.team.groups(of: agent.account).map(\.name))
        var best: (ticket: Ticket, ours: Bool, key: TicketSortKey)?
        for ticket in desk.activeTickets where ticket.assignee == nil && desk.mayWork(agent, ticket) {
            let ours = ticket.group.map(groups.contains) ?? false
            if let best, best.ours, !ours { continue }
            let key = TicketSortKey(ticket, sort: .urgency, now: now,
                                    slaDue: TicketSortKey.slaDue(ticket, calculator: calculator, now: now))
            if best.map({ ours && !$0.ours || key.precedes($0.key) }) ?? true { best = (ticket, ours, key) }
        }
        return best?.ticket
    }

    /// Taking that ticket, decided on the fresh desk; refused when there is none.
    public static func take(by account: String, on desk: Desk, now: Date) throws(Refusal) -> Command {
        let agent = try Rules.onRoster(account, desk)
        guard let next = ticket(for: agent, on: desk, now: now) else {
            throw Refusal(.notFound, "nothing to take: no unassigned ticket you may work")
        }
        return .take(ticket: next.id, steal: false)
    }
}
