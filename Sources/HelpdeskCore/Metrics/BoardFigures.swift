import Foundation

/// What the wallboard (`helpdesk watch`) shows, computed from the desk at one moment.
public struct BoardFigures: Equatable, Sendable {
    /// A ticket on the breached or at-risk list.
    public struct Alert: Equatable, Sendable {
        public var ticket: Int
        public var subject: String
        public var priority: Priority
        public var assignee: String?
        public var tier: Int
        public var target: SLATarget
        /// Calendar time until due; negative once breached.
        public var timeLeft: TimeInterval
        /// Share of the target left (business time).
        public var fractionLeft: Double
        public var paused: Bool
    }

    public struct AgentLoad: Equatable, Sendable {
        public var account: String
        public var assignedOpen: Int
        /// Tickets whose last solve today was theirs.
        public var solvedToday: Int
        /// Of the first responses the agent gave today.
        public var medianFirstResponseToday: TimeInterval?
        /// Takes tickets from automatic assignment now (`available`), or is away.
        public var available: Bool = false
    }

    /// One group's queue (only on a desk with groups).
    public struct GroupLoad: Equatable, Sendable {
        public var name: String
        /// Its active tickets.
        public var backlog: Int
        public var unassigned: Int
        /// Unassigned tickets the group would hand out, waiting for an available agent under capacity.
        public var waiting: Int
    }

    public struct Comment: Equatable, Sendable {
        public var ticket: Int
        public var score: Int
        public var comment: String
        public var at: Date
    }

    public var summary: DeskSummary
    public var unassigned: Int
    /// The unassigned active ticket waiting longest, and since when.
    public var oldestUnassigned: (ticket: Int, since: Date)?
    /// Breached and still open, longest breached first.
    public var breached: [Alert]
    /// Under a quarter of a target left, soonest due first.
    public var atRisk: [Alert]
    /// Active tickets at tiers 2 and 3.
    public var escalatedByTier: [(tier: Int, count: Int)]
    /// Roster order, active agents and anyone holding tickets.
    public var agents: [AgentLoad]
    /// By name; empty on a desk without groups.
    public var groups: [GroupLoad] = []
    /// Whether the desk uses availability (it has groups, or someone said available or away).
    public var showsAvailability = false
    public var followUpsDue: Int
    /// Ratings of the last seven days.
    public var ratingCount: Int
    public var averageRating: Double?
    /// The NPS answers of the last 30 days.
    public var nps: SurveyFigures
    /// The latest comments, newest first (at most three).
    public var lastComments: [Comment]
    /// Active tickets at each hour of the last 24 (25 samples, the last one now).
    public var backlogSeries: [Int]
    /// The next moment a clock falls due or comes under a quarter left (for a screen's timer).
    public var nextChange: Date?

    public static func == (a: BoardFigures, b: BoardFigures) -> Bool {
        a.summary == b.summary && a.unassigned == b.unassigned
            && a.oldestUnassigned?.ticket == b.oldestUnassigned?.ticket && a.oldestUnassigned?.since == b.oldestUnassigned?.since
            && a.breached == b.breached && a.atRisk == b.atRisk
            && a.escalatedByTier.elementsEqual(b.escalatedByTier, by: ==) && a.agents == b.agents
            && a.groups == b.groups && a.showsAvailability == b.showsAvailability
            && a.followUpsDue == b.followUpsDue && a.ratingCount == b.ratingCount && a.averageRating == b.averageRating
            && a.nps == b.nps
            && a.lastComments == b.lastComments && a.backlogSeries == b.backlogSeries && a.nextChange == b.nextChange
    }

    /// The figures at `now`; "today" is the local day in `timeZone` (the business hours' zone
    /// when the policy has hours, else the one given).
    public static func make(desk: Desk, now: Date, timeZone: TimeZone = .current) -> BoardFigures {
        make(desk: desk, now: now, timeZone: timeZone, tickets: desk.tickets)
    }

    /// The same, looking at `tickets` alone: the caller vouches that every other ticket of the
    /// desk is one that `mayCount` says no of (the wallboard of a large desk reads only those).
    public static func make(desk: Desk, now: Date, timeZone: TimeZone = .current,
                            tickets: some Sequence<Ticket>) -> BoardFigures {
        let reader = Reader(desk: desk, now: now)
        return make(desk: desk, now: now, timeZone: timeZone, readings: tickets.lazy.map(reader.read))
    }

    /// The same, from tickets read apart (`Reader`), so a large desk's can be read on every core.
    public static func make(desk: Desk, now: Date, timeZone: TimeZone = .current,
                            readings: some Sequence<Reading>) -> BoardFigures {
        let calculator = SLACalculator(policy: desk.slaPolicy)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = desk.slaPolicy.hours?.timeZone ?? timeZone
        let today = calendar.startOfDay(for: now)
        let weekAgo = now.addingTimeInterval(-window)
        let windowStart = Reader.windowStart(now)
        var unassigned = 0
        var oldest: (ticket: Int, since: Date)?
        var breached: [Alert] = [], atRisk: [Alert] = []
        var tiers = [Int: Int]()
        var assigned = [String: Int](), solvedToday = [String: Int](), firstToday = [String: [TimeInterval]]()
        var scores: [Int] = []
        var comments: [Comment] = []
        var series = [Int](repeating: 0, count: 25)
        var nextChange: Date?
        let samples = (0...24).map { windowStart.addingTimeInterval(Double($0) * 3600) }

        for reading in readings where reading.ticket.createdAt <= now {
            let ticket = reading.ticket
            if let rating = ticket.rating {
                if rating.at >= weekAgo, rating.at <= now { scores.append(rating.score) }
                if let comment = rating.comment, rating.at <= now {
                    comments.append(Comment(ticket: ticket.id, score: rating.score, comment: comment, at: rating.at))
                }
            }
            if let first = ticket.firstResponseAt, first >= today, first <= now, let who = ticket.firstResponder {
                firstToday[who, default: []].append(first.timeIntervalSince(ticket.createdAt))
            }
            // The backlog series: most tickets did not change status in the last day.
            if let timeline = reading.timeline {
                if ticket.updatedAt >= today {
                    if let last = timeline.solves(from: today, to: now).last { solvedToday[last.actor, default: 0] += 1 }
                }
                let settled = timeline.changes.last!.at < windowStart
                for (index, sample) in samples.enumerated() {
                    let status = settled ? (ticket.createdAt <= sample ? ticket.status : nil) : timeline.status(at: sample)
                    if status?.isActive == true { series[index] += 1 }
                }
            }
            guard ticket.status.isActive else { continue }
            if ticket.tier > 1 { tiers[ticket.tier, default: 0] += 1 }
            if let assignee = ticket.assignee {
                assigned[assignee, default: 0] += 1
            } else {
                unassigned += 1
                let since = ticket.waitingSince(now: now) ?? ticket.createdAt
                if since < (oldest?.since ?? .distantFuture) { oldest = (ticket.id, since) }
            }
            if let due = ticket.followUp?.due, due > now, due < (nextChange ?? .distantFuture) { nextChange = due }
            guard let sla = reading.sla else { continue }
            for clock in sla.clocks where clock.state == .running && !clock.isBreached {
                var moments = [clock.due]
                if !clock.isAtRisk { moments.append(calculator.calendar.date(adding: clock.left - clock.limit / 4, to: now)) }
                for case let moment? in moments where moment > now && moment < (nextChange ?? .distantFuture) {
                    nextChange = moment
                }
            }
            let alerting = sla.clocks.filter { $0.isOpen && ($0.isBreached || $0.isAtRisk) }
            guard let clock = alerting.min(by: { ($0.due ?? .distantFuture) < ($1.due ?? .distantFuture) }) else { continue }
            let left = clock.timeLeft(now: now) ?? clock.left
            let alert = Alert(ticket: ticket.id, subject: ticket.subject, priority: ticket.priority, assignee: ticket.assignee,
                              tier: ticket.tier, target: clock.target, timeLeft: left, fractionLeft: clock.fractionLeft,
                              paused: clock.state == .paused)
            if clock.isBreached { breached.append(alert) } else { atRisk.append(alert) }
        }
        breached.sort { ($0.timeLeft, $0.ticket) < ($1.timeLeft, $1.ticket) }
        atRisk.sort { ($0.timeLeft, $0.ticket) < ($1.timeLeft, $1.ticket) }
        comments.sort { ($0.at, $0.ticket) > ($1.at, $1.ticket) }
        let summary = desk.summary(now: now)
        let accounts = desk.roster.filter { desk.agents[$0]?.active == true || assigned[$0] != nil }
        var figures = BoardFigures(
            summary: summary, unassigned: unassigned, oldestUnassigned: oldest,
            breached: breached, atRisk: atRisk,
            escalatedByTier: (2...Rules.highestTier).map { ($0, tiers[$0] ?? 0) },
            agents: accounts.map { account in
                AgentLoad(account: account, assignedOpen: assigned[account] ?? 0, solvedToday: solvedToday[account] ?? 0,
                          medianFirstResponseToday: Distribution(firstToday[account] ?? []).median)
            },
            followUpsDue: summary.followUpsDue,
            ratingCount: scores.count,
            averageRating: scores.isEmpty ? nil : Double(scores.reduce(0, +)) / Double(scores.count),
            nps: SurveyFigures(kind: .nps, scores: desk.surveys.recentNPS.filter {
                $0.at <= now && now.timeIntervalSince($0.at) <= SurveyState.recentWindow
            }.map(\.score)),
            lastComments: Array(comments.prefix(3)), backlogSeries: series, nextChange: nextChange)
        figures.groups = groupLoads(on: desk)
        figures.showsAvailability = !desk.team.groups.isEmpty || !desk.team.availability.isEmpty
        for index in figures.agents.indices {
            figures.agents[index].available = desk.team.isAvailable(figures.agents[index].account, at: now)
        }
        return figures
    }

    /// A ticket as the figures read it: what needs its history, worked out with the history
    /// decoded once (a desk opened from a snapshot reads it from there).
    public struct Reading {
        let ticket: Ticket
        /// Its status changes, when it was active in the last day (the backlog series).
        let timeline: StatusTimeline?
        /// Its clocks at the moment, when it is active.
        let sla: TicketSLA?
    }

    /// Reads tickets for the figures at one moment; it may read from any thread.
    public struct Reader: Sendable {
        let calculator: SLACalculator
        let now: Date

        public init(desk: Desk, now: Date) {
            calculator = SLACalculator(policy: desk.slaPolicy)
            self.now = now
        }

        /// The start of the backlog series: a day before `now`.
        static func windowStart(_ now: Date) -> Date { now.addingTimeInterval(-24 * 3600) }

        public func read(_ ticket: Ticket) -> Reading {
            guard ticket.createdAt <= now,
                  ticket.status.isActive || ticket.updatedAt >= Self.windowStart(now) else {
                return Reading(ticket: ticket, timeline: nil, sla: nil)
            }
            var held = ticket  // dropped once read: the figures keep no history
            held.detail.materialize()
            return Reading(ticket: ticket, timeline: StatusTimeline(held),
                           sla: held.status.isActive ? calculator.evaluate(held, now: now) : nil)
        }
    }

    /// How far back the ratings counted go.
    public static let window: TimeInterval = 7 * 86_400

    /// Whether `ticket`, as it is, can count in the figures at `now` or later, apart from its
    /// rating's comment (the latest comments are the newest of the whole desk: see `lastComments`).
    /// A ticket that cannot stays so until it changes: every window only moves forward.
    public static func mayCount(_ ticket: Ticket, now: Date) -> Bool {
        // Two days: "today" starts less than a day ago, but a day can have 25 hours.
        let day = now.addingTimeInterval(-2 * 86_400), week = now.addingTimeInterval(-window)
        return ticket.status.isActive || ticket.updatedAt >= day || (ticket.firstResponseAt ?? .distantPast) >= day
            || (ticket.rating?.at ?? .distantPast) >= week
    }

    /// Each group's backlog, unassigned and waiting tickets, by name.
    static func groupLoads(on desk: Desk) -> [GroupLoad] {
        guard !desk.team.groups.isEmpty else { return [] }
        var loads = Dictionary(uniqueKeysWithValues: desk.team.groups.keys.map {
            ($0, GroupLoad(name: $0, backlog: 0, unassigned: 0, waiting: 0))
        })
        for ticket in desk.activeTickets {
            guard let name = ticket.group, loads[name] != nil else { continue }
            loads[name]!.backlog += 1
            if ticket.assignee == nil { loads[name]!.unassigned += 1 }
        }
        for ticket in AutoAssignment.waiting(on: desk) { loads[ticket.group ?? ""]?.waiting += 1 }
        return loads.values.sorted { $0.name < $1.name }
    }
}
