import Foundation

/// The report's figures per day, week or month (`helpdesk report --by`): each period counted as
/// `DeskReport` counts its one period, and the backlog as it stood at each period's end.
public struct TrendReport: Equatable, Sendable {
    public struct Period: Equatable, Sendable {
        /// 2026-11-30, 2026-W49, 2026-11.
        public var label: String
        public var since: Date
        /// The next period's start; now for the current one.
        public var until: Date
        public var opened: Int
        public var solved: Int
        /// Tickets active at `until`.
        public var backlog: Int
        public var firstResponse: Distribution
        public var resolution: Distribution
        public var compliance: [DeskReport.Compliance]
        /// Ratings given in the period, and their average.
        public var ratings: Int
        public var averageRating: Double?
    }

    public var length: PeriodLength
    public var timeZone: TimeZone
    /// Only this agent's tickets (their assignee now), when given.
    public var agent: String?
    /// Only this group's tickets (their group now; `none`: of no group), when given.
    public var group: String?
    /// Oldest first; the last one ends now.
    public var periods: [Period]

    /// The time zone periods are cut in: the business hours' when the policy has hours, else `otherwise`.
    public static func timeZone(of desk: Desk, otherwise: TimeZone) -> TimeZone {
        desk.slaPolicy.hours?.timeZone ?? otherwise
    }

    /// The periods from the one holding `since` to the one holding `now`.
    /// `everyTicket`: as `DeskReport.make`'s.
    public static func make(desk: Desk, by length: PeriodLength, since: Date, now: Date, timeZone: TimeZone,
                            agent: String? = nil, group: String? = nil, everyTicket: Bool = false) -> TrendReport {
        let boundaries = length.boundaries(since: since, now: now, in: timeZone)
        let ends = Array(boundaries.dropFirst())
        let calculator = SLACalculator(policy: desk.slaPolicy)
        var tally = ReportTally(boundaries: boundaries)
        // backlogChange[i] adds to the backlog of period i and every later one.
        var backlogChange = [Int](repeating: 0, count: ends.count + 1)

        for ticket in desk.tickets where (everyTicket || ticket.mayCount(since: boundaries[0])) && ticket.createdAt <= now
            && (agent == nil || ticket.assignee == agent)
            && group.map({ TicketQuery.ticket(ticket, isInGroup: $0) }) ?? true {
            let timeline = StatusTimeline(ticket)
            tally.add(ticket, timeline: timeline, runsAt: { calculator.evaluate(ticket, now: $0).runs })
            for (index, change) in timeline.changes.enumerated() where change.status.isActive {
                let until = index + 1 < timeline.changes.count ? timeline.changes[index + 1].at : .distantFuture
                backlogChange[firstIndex(in: ends, atOrAfter: change.at)] += 1
                backlogChange[firstIndex(in: ends, atOrAfter: until)] -= 1
            }
        }
        var backlog = 0
        let periods = tally.periods.enumerated().map { index, period in
            backlog += backlogChange[index]
            return Period(label: length.label(of: boundaries[index], in: timeZone), since: boundaries[index],
                          until: boundaries[index + 1], opened: period.opened, solved: period.solved, backlog: backlog,
                          firstResponse: Distribution(period.firstResponses), resolution: Distribution(period.resolutions),
                          compliance: period.compliance, ratings: period.scores.count, averageRating: period.averageRating)
        }
        return TrendReport(length: length, timeZone: timeZone, agent: agent, group: group, periods: periods)
    }

    /// The index of the first of the sorted `dates` at or after `date` (`dates.count` when none is).
    private static func firstIndex(in dates: [Date], atOrAfter date: Date) -> Int {
        var low = 0, high = dates.count
        while low < high {
            let middle = (low + high) / 2
            if dates[middle] < date { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
