import Foundation

/// The escalation rule: a ticket whose clock breached is escalated one tier, by the desk
/// itself, once per breach. A pure function of the desk and the moment: whoever appends to the
/// log asks it under the lock against the freshly caught-up desk, so of two processes noticing
/// the same breach the second finds it already escalated.
public enum SLAEscalation {
    /// The actor of automatic escalations (not an account; the record's `via` says whose
    /// process noticed).
    public static let actor = "desk"

    /// The escalations due at `now`: for each active ticket below the highest tier, one
    /// `escalated` event per breached clock that is still open and was not escalated since it
    /// started, and the unassignment an escalation implies.
    public static func events(on desk: Desk, now: Date) -> [Event] {
        let calculator = SLACalculator(policy: desk.slaPolicy)
        var events: [Event] = []
        for ticket in desk.activeTickets where ticket.tier < Rules.highestTier {
            events += escalations(of: ticket, desk: desk, sla: calculator.evaluate(ticket, now: now))
        }
        return events
    }

    /// The same, for the given tickets only: under the log's lock a writer re-decides just the
    /// tickets a scan made before taking the lock found due, so the lock is held for
    /// milliseconds, not for a scan of the whole desk.
    public static func events(on desk: Desk, now: Date, tickets ids: [Int]) -> [Event] {
        let calculator = SLACalculator(policy: desk.slaPolicy)
        var events: [Event] = []
        for id in ids {
            guard let ticket = desk.ticket(id), ticket.status.isActive, ticket.tier < Rules.highestTier else { continue }
            events += escalations(of: ticket, desk: desk, sla: calculator.evaluate(ticket, now: now))
        }
        return events
    }

    /// The tickets with an escalation due at `now`.
    public static func dueTickets(on desk: Desk, now: Date) -> [Int] {
        ticketsEscalated(by: events(on: desk, now: now))
    }

    /// Of the given tickets (e.g. a `BreachSchedule`'s candidates), those with an escalation due.
    public static func dueTickets(on desk: Desk, now: Date, among ids: [Int]) -> [Int] {
        ticketsEscalated(by: events(on: desk, now: now, tickets: ids))
    }

    private static func ticketsEscalated(by events: [Event]) -> [Int] {
        var ids: [Int] = []
        for case .escalated(let id, _, _) in events where ids.last != id { ids.append(id) }
        return ids
    }

    static func escalations(of ticket: Ticket, desk: Desk, sla: TicketSLA) -> [Event] {
        var tier = ticket.tier
        var events: [Event] = []
        for clock in sla.openBreaches where tier < Rules.highestTier {
            guard !alreadyEscalated(ticket, clock) else { continue }
            tier += 1
            events.append(.escalated(ticket: ticket.id, tier: tier, reason: clock.target.escalationReason))
        }
        guard !events.isEmpty else { return [] }
        // As a person's escalation: an assignee who does not work at the new tier lets it go.
        if let assignee = ticket.assignee, let holder = desk.agents[assignee], !holder.mayWork(tier: tier) {
            events.append(.unassigned(ticket: ticket.id, from: assignee))
        }
        return events
    }

    /// The desk escalated this run's breach already: an escalation by the desk for this target
    /// recorded after the run started.
    static func alreadyEscalated(_ ticket: Ticket, _ clock: SLAClock) -> Bool {
        let reason = clock.target.escalationReason
        return ticket.history.contains { entry in
            guard entry.actor == actor, entry.seq > clock.startSeq, case .escalated(_, _, let given) = entry.event
            else { return false }
            return given == reason
        }
    }
}
