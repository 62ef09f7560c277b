import Foundation

/// For each ticket, the earliest moment an SLA escalation could fall due if nothing more happens
/// to it: never later than the real moment, so a process looking for due breaches re-decides
/// only the tickets whose moment has come instead of walking every ticket's clocks.
///
/// A moment holds while the ticket and the policy stay as they were: whoever keeps a schedule
/// reworks the tickets that changed (`update`) and starts over when the policy changes.
public struct BreachSchedule: Equatable, Sendable {
    /// The policy the moments were worked out under.
    public let policy: SLAPolicy
    /// By ticket id - 1: seconds since the reference date, or infinity for "never".
    public private(set) var moments: [Double]

    /// Works out every ticket's moment. `now` must not be earlier than the desk's last record.
    public init(desk: Desk, now: Date) {
        policy = desk.slaPolicy
        moments = []
        update(1..<desk.nextTicketID, desk: desk, now: now)
    }

    /// A schedule as it was saved (the snapshot keeps one beside the desk).
    public init(restoring moments: [Double], policy: SLAPolicy) {
        self.policy = policy
        self.moments = moments
    }

    /// Whether the schedule still speaks for `desk` (same policy; tickets beyond it are new).
    public func fits(_ desk: Desk) -> Bool { policy == desk.slaPolicy }

    /// Reworks the given tickets (changed since, or new) against `desk` at `now`.
    public mutating func update(_ ids: some Sequence<Int>, desk: Desk, now: Date) {
        precondition(fits(desk), "a breach schedule reworked under another policy")
        if moments.count < desk.tickets.count {
            moments.append(contentsOf: repeatElement(-Double.infinity, count: desk.tickets.count - moments.count))
        }
        let calculator = SLACalculator(policy: policy)
        for id in ids {
            guard let ticket = desk.ticket(id) else { continue }
            moments[id - 1] = Self.moment(of: ticket, desk: desk, calculator: calculator, now: now)
        }
    }

    /// The tickets whose moment has come at `now` (at or after the desk's last record), in id
    /// order: the only ones that can have an escalation due (tickets the schedule has not seen
    /// yet count as come).
    public func candidates(at now: Date, ticketCount: Int) -> [Int] {
        let limit = now.timeIntervalSinceReferenceDate
        var ids: [Int] = []
        for (index, moment) in moments.enumerated() where moment <= limit { ids.append(index + 1) }
        if ticketCount > moments.count { ids.append(contentsOf: (moments.count + 1)...ticketCount) }
        return ids
    }

    /// The earliest moment after `now` at which an escalation can fall due: when a process
    /// that records them (an open console, the wallboard) must look again. Nil: none ever will
    /// unless the desk changes.
    public func nextMoment(after now: Date) -> Date? {
        let limit = now.timeIntervalSinceReferenceDate
        var earliest = Double.infinity
        for moment in moments where moment > limit && moment < earliest { earliest = moment }
        return earliest.isFinite ? Date(timeIntervalSinceReferenceDate: earliest) : nil
    }

    /// The earliest moment an escalation of `ticket` can fall due, judged at `now` (at or after
    /// its last event): a breach not yet escalated counts from when it happened; a running clock
    /// breaches exactly at its due time; a paused one resumes at the follow-up's due time at the
    /// earliest and then needs at least its time left, since business time never runs faster
    /// than the calendar.
    static func moment(of ticket: Ticket, desk: Desk, calculator: SLACalculator, now: Date) -> Double {
        guard ticket.status.isActive, ticket.tier < Rules.highestTier else { return .infinity }
        let lastEvent = ticket.history.lazy.map(\.at).max() ?? now
        let judged = max(now, lastEvent)
        let sla = calculator.evaluate(ticket, now: judged)
        var earliest = Double.infinity
        for clock in sla.clocks where clock.isOpen && !SLAEscalation.alreadyEscalated(ticket, clock) {
            if let breached = clock.breachedAt {
                earliest = min(earliest, breached.timeIntervalSinceReferenceDate)
            } else if clock.state == .running, let due = clock.due {
                earliest = min(earliest, due.timeIntervalSinceReferenceDate)
            } else if clock.state == .paused, let resumes = ticket.followUp?.due {
                earliest = min(earliest, max(resumes, judged).timeIntervalSinceReferenceDate + max(0, clock.left))
            }
        }
        return earliest
    }
}
