import Foundation

/// The ticket an agent takes next (the console's `N`, `helpdesk next`): the most urgent of the
/// unassigned tickets still needing attention that the agent may work, in the queue's urgency order.
public enum NextTicket {
    public static func ticket(for agent: Agent, on desk: Desk, now: Date) -> Ticket? {
        let calculator = SLACalculator(policy: desk.slaPolicy)
        var best: (ticket: Ticket, key: TicketSortKey)?
        for ticket in desk.activeTickets where ticket.assignee == nil && agent.mayWork(tier: ticket.tier) {
            let key = TicketSortKey(ticket, sort: .urgency, now: now,
                                    slaDue: TicketSortKey.slaDue(ticket, calculator: calculator, now: now))
            if best.map({ key.precedes($0.key) }) ?? true { best = (ticket, key) }
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
