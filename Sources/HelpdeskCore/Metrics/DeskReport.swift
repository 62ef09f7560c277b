import Foundation

/// The desk's figures over a period, for scripts and mail (`helpdesk report`). Every figure is
/// derived from the tickets' history, the policy and the period; times are calendar durations.
public struct DeskReport: Equatable, Sendable {
    public struct Compliance: Equatable, Sendable {
        public var target: SLATarget
        /// Clock runs whose outcome fell in the period: met in time, or breached.
        public var metInTime: Int
        public var breached: Int
        /// metInTime / (metInTime + breached); nil when there were none.
        public var rate: Double? {
            metInTime + breached == 0 ? nil : Double(metInTime) / Double(metInTime + breached)
        }
    }

    public struct AgeBucket: Equatable, Sendable {
        public var label: String
        /// The bucket holds ages below this; nil for the last ("older").
        public var below: TimeInterval?
        public var count: Int
    }

    public struct AgentFigures: Equatable, Sendable {
        public var account: String
        public var name: String
        /// Active tickets assigned to the agent now.
        public var assignedOpen: Int
        /// Tickets whose last solve in the period was the agent's.
        public var solved: Int
        /// Replies the agent wrote in the period.
        public var replies: Int
        /// First responses the agent gave in the period, and their times.
        public var firstResponse: Distribution
        /// Satisfaction surveys sent and answered on tickets assigned to the agent.
        public var csat: SurveyFigures
    }

    /// A group's part (`helpdesk report` per group), the tickets counted by their group now.
    public struct GroupFigures: Equatable, Sendable {
        public var name: String
        public var displayName: String
        public var opened: Int
        public var solved: Int
        /// Its active tickets now.
        public var backlog: Int
        public var csat: SurveyFigures
    }

    public var since: Date
    public var until: Date
    /// Only the tickets of this group (`none`: of no group), when given.
    public var group: String?
    public var opened: Int
    /// Tickets solved at least once in the period.
    public var solved: Int
    /// From opening to the first reply, for tickets first answered in the period.
    public var firstResponse: Distribution
    /// From opening to solved, for tickets solved in the period (their last solve in it).
    public var resolution: Distribution
    public var compliance: [Compliance]
    /// Active tickets now, by age: <1h, <8h, <1d, <3d, older.
    public var backlogByAge: [AgeBucket]
    public var backlog: Int
    /// Of the tickets solved in the period, how many were reopened afterwards.
    public var reopened: Int
    public var reopenRate: Double? { solved == 0 ? nil : Double(reopened) / Double(solved) }
    /// Ratings given in the period.
    public var ratings: Int
    public var averageRating: Double?
    /// Of the tickets solved in the period, how many were rated.
    public var rated: Int
    public var ratingResponseRate: Double? { solved == 0 ? nil : Double(rated) / Double(solved) }
    /// The satisfaction (1-5) and recommendation (0-10) surveys sent and answered in the period.
    public var csat: SurveyFigures
    public var nps: SurveyFigures
    /// Roster order.
    public var agents: [AgentFigures]
    /// By name; empty on a desk without groups (with `group`, only that one).
    public var groups: [GroupFigures]

    public static let ageBuckets: [(String, TimeInterval?)] = [
        ("<1h", 3600), ("<8h", 8 * 3600), ("<1d", 86_400), ("<3d", 3 * 86_400), ("older", nil),
    ]

    /// The figures for [since, now], of the tickets of `group` when given (`none`: of no group).
    /// `everyTicket` reads even the tickets `mayCount(since:)` rules out (for tests: the figures must
    /// not change).
    public static func make(desk: Desk, since: Date, now: Date, group: String? = nil, everyTicket: Bool = false) -> DeskReport {
        let calculator = SLACalculator(policy: desk.slaPolicy)
        var tally = ReportTally(boundaries: [since, now])
        var backlog = 0
        var buckets = [Int](repeating: 0, count: ageBuckets.count)
        var assigned = [String: Int](), groupBacklog = [String: Int]()

        for ticket in desk.tickets where (everyTicket || ticket.mayCount(since: since)) && ticket.createdAt <= now
            && group.map({ TicketQuery.ticket(ticket, isInGroup: $0) }) ?? true {
            tally.add(ticket, timeline: StatusTimeline(ticket), runsAt: { calculator.evaluate(ticket, now: $0).runs })
            if ticket.status.isActive {
                backlog += 1
                if let assignee = ticket.assignee { assigned[assignee, default: 0] += 1 }
                if let name = ticket.group { groupBacklog[name, default: 0] += 1 }
                let age = now.timeIntervalSince(ticket.createdAt)
                let index = ageBuckets.firstIndex { $0.1.map { age < $0 } ?? true }!
                buckets[index] += 1
            }
        }
        let period = tally.periods[0]
        let agents = desk.roster.compactMap { desk.agents[$0] }.map { agent in
            AgentFigures(account: agent.account, name: agent.displayName, assignedOpen: assigned[agent.account] ?? 0,
                         solved: period.solvedBy[agent.account] ?? 0, replies: period.replies[agent.account] ?? 0,
                         firstResponse: Distribution(period.firstBy[agent.account] ?? []),
                         csat: period.csatBy[agent.account] ?? SurveyFigures(kind: .csat))
        }
        let groups = desk.team.groups.values.filter { group == nil || $0.name == group }.sorted { $0.name < $1.name }
            .map { team in
                let part = period.byGroup[team.name] ?? ReportTally.GroupPart()
                return GroupFigures(name: team.name, displayName: team.displayName, opened: part.opened, solved: part.solved,
                                    backlog: groupBacklog[team.name] ?? 0, csat: part.csat)
            }
        return DeskReport(
            since: since, until: now, group: group, opened: period.opened, solved: period.solved,
            firstResponse: Distribution(period.firstResponses), resolution: Distribution(period.resolutions),
            compliance: period.compliance,
            backlogByAge: zip(ageBuckets, buckets).map { AgeBucket(label: $0.0.0, below: $0.0.1, count: $0.1) },
            backlog: backlog, reopened: period.reopened, ratings: period.scores.count,
            averageRating: period.averageRating, rated: period.rated, csat: period.csat, nps: period.nps, agents: agents,
            groups: groups)
    }
}
