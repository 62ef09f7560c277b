import Foundation

/// The orders a listing of tickets can take: `helpdesk list --sort` and the console's queue.
public enum TicketSort: String, CaseIterable, Sendable {
    /// The SLA clock that breaches soonest, then priority, a due follow-up, the longest wait.
    case urgency
    case newest
    case oldest
    case updated
    case id
}

/// What a ticket is sorted by; the id breaks every tie, so no two keys are equal.
public struct TicketSortKey: Sendable {
    /// Urgency: the soonest SLA due time. Other sorts: their one value.
    var first: Double
    /// Urgency: the priority, most urgent first.
    var rank = 0
    /// Urgency: a due follow-up first.
    var due = false
    /// Urgency: the longest wait first.
    var waiting = 0.0
    var tie: Int

    public func precedes(_ other: TicketSortKey) -> Bool {
        if first != other.first { return first < other.first }
        if rank != other.rank { return rank < other.rank }
        if due != other.due { return due }
        if waiting != other.waiting { return waiting < other.waiting }
        return tie < other.tie
    }

    /// `ticket`'s key in `sort`. For urgency, `slaDue` is `TicketSortKey.slaDue` of the ticket
    /// (callers that keep it between keystrokes pass what they kept); other sorts ignore it.
    public init(_ ticket: Ticket, sort: TicketSort, now: Date, slaDue: Double) {
        switch sort {
        case .id, .oldest: self.init(first: Double(ticket.id), tie: ticket.id)
        case .newest: self.init(first: -Double(ticket.id), tie: -ticket.id)
        case .updated: self.init(first: -ticket.updatedAt.timeIntervalSince1970, tie: -ticket.id)
        case .urgency:
            self.init(first: ticket.status.isActive ? slaDue : .infinity,
                      rank: Priority.allCases.count - Priority.allCases.firstIndex(of: ticket.priority)!,
                      due: ticket.isFollowUpDue(now: now),
                      waiting: ticket.waitingSince(now: now)?.timeIntervalSince1970 ?? .infinity,
                      tie: ticket.id)
        }
    }

    private init(first: Double, rank: Int = 0, due: Bool = false, waiting: Double = 0, tie: Int) {
        self.first = first
        self.rank = rank
        self.due = due
        self.waiting = waiting
        self.tie = tie
    }

    /// When the ticket's most pressing SLA clock falls due (seconds since 1970; breached ones
    /// are in the past), or infinity when it is not active or no clock counts.
    public static func slaDue(_ ticket: Ticket, calculator: SLACalculator, now: Date) -> Double {
        ticket.status.isActive
            ? calculator.evaluate(ticket, now: now).pressing?.due?.timeIntervalSince1970 ?? .infinity
            : .infinity
    }
}

extension Desk {
    /// `tickets` in `sort` order as of `now`.
    public func sorted(_ tickets: [Ticket], by sort: TicketSort, now: Date) -> [Ticket] {
        let calculator = SLACalculator(policy: slaPolicy)
        let keys = tickets.map { ticket in
            TicketSortKey(ticket, sort: sort, now: now,
                          slaDue: sort == .urgency ? TicketSortKey.slaDue(ticket, calculator: calculator, now: now) : .infinity)
        }
        return tickets.indices.sorted { keys[$0].precedes(keys[$1]) }.map { tickets[$0] }
    }
}
