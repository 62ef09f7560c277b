import Foundation

/// The desk at a glance: what `helpdesk status` prints.
public struct DeskSummary: Equatable, Sendable {
    /// Every status, including zeros, in the order of `Status.allCases`.
    public var byStatus: [(status: Status, count: Int)]
    /// Active tickets (neither solved nor closed) only, below.
    public var byPriority: [(priority: Priority, count: Int)]
    public var byTier: [(tier: Int, count: Int)]
    /// Roster order; `nil` is the unassigned tickets.
    public var byAssignee: [(assignee: String?, count: Int)]
    public var active: Int
    public var followUpsDue: Int
    /// The active ticket whose customer has waited longest for us, and since when.
    public var oldestWaiting: (ticket: Int, since: Date)?

    public static func == (a: DeskSummary, b: DeskSummary) -> Bool {
        a.byStatus.elementsEqual(b.byStatus, by: ==) && a.byPriority.elementsEqual(b.byPriority, by: ==)
            && a.byTier.elementsEqual(b.byTier, by: ==) && a.byAssignee.elementsEqual(b.byAssignee, by: ==)
            && a.active == b.active && a.followUpsDue == b.followUpsDue
            && a.oldestWaiting?.ticket == b.oldestWaiting?.ticket && a.oldestWaiting?.since == b.oldestWaiting?.since
    }
}

extension Ticket {
    /// Since when the customer has been waiting for us, or nil when the ball is in their court.
    public func waitingSince(now: Date) -> Date? {
        ActiveFacts(self).waitingSince(now: now)
    }
}

extension Desk {
    public func summary(now: Date) -> DeskSummary {
        var byPriority = [Priority: Int](), byTier = [Int: Int]()
        var byAssignee = [String: Int](), unassigned = 0, active = 0, due = 0
        var oldest: (ticket: Int, since: Date)?
        for ticket in activeFacts {
            active += 1
            byPriority[ticket.priority, default: 0] += 1
            byTier[ticket.tier, default: 0] += 1
            if let assignee = ticket.assignee { byAssignee[assignee, default: 0] += 1 } else { unassigned += 1 }
            if ticket.isFollowUpDue(now: now) { due += 1 }
            if let since = ticket.waitingSince(now: now), since < (oldest?.since ?? .distantFuture) {
                oldest = (ticket.id, since)
            }
        }
        return DeskSummary(
            byStatus: Status.allCases.map { ($0, statusIndex.count($0)) },
            byPriority: Priority.allCases.reversed().map { ($0, byPriority[$0] ?? 0) },
            byTier: (1...Rules.highestTier).map { ($0, byTier[$0] ?? 0) },
            byAssignee: roster.compactMap { account in byAssignee[account].map { (account, $0) } }
                + [(nil, unassigned)],
            active: active, followUpsDue: due, oldestWaiting: oldest)
    }
}
