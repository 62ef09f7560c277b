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
    }

    public var since: Date
    public var until: Date
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
    /// Roster order.
    public var agents: [AgentFigures]

    public static let ageBuckets: [(String, TimeInterval?)] = [
        ("<1h", 3600), ("<8h", 8 * 3600), ("<1d", 86_400), ("<3d", 3 * 86_400), ("older", nil),
    ]

    /// The figures for [since, now].
    public static func make(desk: Desk, since: Date, now: Date) -> DeskReport {
        let calculator = SLACalculator(policy: desk.slaPolicy)
        func inPeriod(_ date: Date?) -> Bool { date.map { $0 >= since && $0 <= now } ?? false }
        var opened = 0, solvedTickets = 0, reopened = 0, rated = 0, backlog = 0
        var firstResponses: [TimeInterval] = [], resolutions: [TimeInterval] = []
        var met = [SLATarget: Int](), breached = [SLATarget: Int]()
        var buckets = [Int](repeating: 0, count: ageBuckets.count)
        var scores: [Int] = []
        var assigned = [String: Int](), solvedBy = [String: Int](), replies = [String: Int]()
        var firstBy = [String: [TimeInterval]]()

        for ticket in desk.tickets where ticket.createdAt <= now {
            if inPeriod(ticket.createdAt) { opened += 1 }
            if let first = ticket.firstResponseAt, inPeriod(first) {
                let time = first.timeIntervalSince(ticket.createdAt)
                firstResponses.append(time)
                if let who = ticket.firstResponder { firstBy[who, default: []].append(time) }
            }
            for message in ticket.messages where message.kind == .reply && inPeriod(message.at) {
                replies[message.author, default: 0] += 1
            }
            let timeline = StatusTimeline(ticket)
            let solves = timeline.solves(from: since, to: now)
            if let last = solves.last {
                solvedTickets += 1
                resolutions.append(last.at.timeIntervalSince(ticket.createdAt))
                if timeline.reopened(after: solves[0].at, until: now) { reopened += 1 }
                if ticket.rating != nil { rated += 1 }
                solvedBy[last.actor, default: 0] += 1
            }
            if let rating = ticket.rating, inPeriod(rating.at) { scores.append(rating.score) }
            if ticket.status.isActive {
                backlog += 1
                if let assignee = ticket.assignee { assigned[assignee, default: 0] += 1 }
                let age = now.timeIntervalSince(ticket.createdAt)
                let index = ageBuckets.firstIndex { $0.1.map { age < $0 } ?? true }!
                buckets[index] += 1
            }
            for run in calculator.evaluate(ticket, now: now).runs {
                if let at = run.breachedAt {
                    if inPeriod(at) { breached[run.target, default: 0] += 1 }
                } else if run.state == .met, inPeriod(run.metAt) {
                    met[run.target, default: 0] += 1
                }
            }
        }
        let agents = desk.roster.compactMap { desk.agents[$0] }.map { agent in
            AgentFigures(account: agent.account, name: agent.displayName, assignedOpen: assigned[agent.account] ?? 0,
                         solved: solvedBy[agent.account] ?? 0, replies: replies[agent.account] ?? 0,
                         firstResponse: Distribution(firstBy[agent.account] ?? []))
        }
        return DeskReport(
            since: since, until: now, opened: opened, solved: solvedTickets,
            firstResponse: Distribution(firstResponses), resolution: Distribution(resolutions),
            compliance: SLATarget.allCases.map { Compliance(target: $0, metInTime: met[$0] ?? 0, breached: breached[$0] ?? 0) },
            backlogByAge: zip(ageBuckets, buckets).map { AgeBucket(label: $0.0.0, below: $0.0.1, count: $0.1) },
            backlog: backlog, reopened: reopened, ratings: scores.count,
            averageRating: scores.isEmpty ? nil : Double(scores.reduce(0, +)) / Double(scores.count),
            rated: rated, agents: agents)
    }
}
