import Foundation

/// The report's sums over tickets, kept per period: one walk through the desk serves the
/// one-period report (`DeskReport`) and the report per day, week or month (`TrendReport`).
struct ReportTally {
    /// What happened in one period.
    struct Period {
        var opened = 0, solved = 0, reopened = 0, rated = 0
        var firstResponses: [TimeInterval] = [], resolutions: [TimeInterval] = []
        var met = [SLATarget: Int](), breached = [SLATarget: Int]()
        var scores: [Int] = []
        var solvedBy = [String: Int](), replies = [String: Int](), firstBy = [String: [TimeInterval]]()
        var csat = SurveyFigures(kind: .csat), nps = SurveyFigures(kind: .nps)
        /// CSAT answers by the agent the ticket was assigned to when it was answered.
        var csatBy = [String: SurveyFigures]()
        /// Tickets opened and solved, and CSAT answers, by the ticket's group (now).
        var byGroup = [String: GroupPart]()

        var compliance: [DeskReport.Compliance] {
            SLATarget.allCases.map { DeskReport.Compliance(target: $0, metInTime: met[$0] ?? 0, breached: breached[$0] ?? 0) }
        }
        var averageRating: Double? { scores.isEmpty ? nil : Double(scores.reduce(0, +)) / Double(scores.count) }
    }

    struct GroupPart {
        var opened = 0, solved = 0
        var csat = SurveyFigures(kind: .csat)
    }

    /// Period i is [boundaries[i], boundaries[i + 1]); the last one includes its end.
    let boundaries: [Date]
    var periods: [Period]

    init(boundaries: [Date]) {
        precondition(boundaries.count >= 2, "a tally needs at least one period")
        self.boundaries = boundaries
        periods = Array(repeating: Period(), count: boundaries.count - 1)
    }

    /// The period a moment falls in; nil outside them all.
    func period(of date: Date?) -> Int? {
        guard let date, date >= boundaries[0], date <= boundaries[boundaries.count - 1] else { return nil }
        var low = 0, high = periods.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if boundaries[middle] <= date { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// Adds one ticket's events. `runsAt` evaluates its clocks at a moment: a clock met in a period
    /// counts as the report run at that period's end saw it (a reopen afterwards runs it again).
    mutating func add(_ ticket: Ticket, timeline: StatusTimeline, runsAt: (Date) -> [SLAClock]) {
        if let index = period(of: ticket.createdAt) {
            periods[index].opened += 1
            if let group = ticket.group { periods[index].byGroup[group, default: GroupPart()].opened += 1 }
        }
        if let first = ticket.firstResponseAt, let index = period(of: first) {
            let time = first.timeIntervalSince(ticket.createdAt)
            periods[index].firstResponses.append(time)
            if let who = ticket.firstResponder { periods[index].firstBy[who, default: []].append(time) }
        }
        for message in ticket.messages where message.kind == .reply {
            if let index = period(of: message.at) { periods[index].replies[message.author, default: 0] += 1 }
        }
        var solves = [Int: (first: Date, last: (at: Date, actor: String))]()
        for solve in timeline.solves(from: boundaries[0], to: boundaries[boundaries.count - 1]) {
            guard let index = period(of: solve.at) else { continue }
            solves[index] = (solves[index]?.first ?? solve.at, solve)
        }
        for (index, solve) in solves {
            periods[index].solved += 1
            periods[index].resolutions.append(solve.last.at.timeIntervalSince(ticket.createdAt))
            if timeline.reopened(after: solve.first, until: boundaries[index + 1]) { periods[index].reopened += 1 }
            if ticket.rating != nil { periods[index].rated += 1 }
            periods[index].solvedBy[solve.last.actor, default: 0] += 1
            if let group = ticket.group { periods[index].byGroup[group, default: GroupPart()].solved += 1 }
        }
        if let rating = ticket.rating, let index = period(of: rating.at) { periods[index].scores.append(rating.score) }
        addSurveys(of: ticket)
        let final = runsAt(boundaries[boundaries.count - 1])
        var outcomePeriods = Set(ticket.history.compactMap { period(of: $0.at) })
        outcomePeriods.formUnion(final.compactMap { period(of: $0.breachedAt) })
        let lastChange = ticket.history.last?.at ?? ticket.createdAt
        // A response met stays met; a resolution met by a solve runs again when the ticket is reopened.
        let closings = Set(timeline.changes.filter { $0.status == .solved || $0.status == .closed }.compactMap { period(of: $0.at) })
        for index in outcomePeriods {
            let end = boundaries[index + 1]
            let undone = lastChange > end && closings.contains(index) && !final.contains {
                $0.target == .resolution && $0.state == .met && period(of: $0.metAt) == index
            }
            for run in undone ? runsAt(end) : final {
                if let at = run.breachedAt {
                    if period(of: at) == index { periods[index].breached[run.target, default: 0] += 1 }
                } else if run.state == .met, period(of: run.metAt) == index {
                    periods[index].met[run.target, default: 0] += 1
                }
            }
        }
    }

    /// The surveys sent and answered, each in its period; CSAT also under the ticket's assignee then
    /// and under its group now.
    /// A customer who answers again re-rates: only their latest answer counts.
    private mutating func addSurveys(of ticket: Ticket) {
        var assignee: String?
        var latest: [SurveyKind: (event: Event, at: Date, assignee: String?)] = [:]
        for entry in ticket.history {
            switch entry.event {
            case .assigned(_, let to, _): assignee = to
            case .unassigned: assignee = nil
            case .surveyQueued(_, _, let kind): count(entry.event, kind, at: entry.at, assignee: assignee, group: ticket.group)
            case .surveyAnswered(_, let kind, _, _): latest[kind] = (entry.event, entry.at, assignee)
            default: continue
            }
        }
        for (kind, answer) in latest { count(answer.event, kind, at: answer.at, assignee: answer.assignee, group: ticket.group) }
    }

    private mutating func count(_ event: Event, _ kind: SurveyKind, at: Date, assignee: String?, group: String?) {
        guard let index = period(of: at) else { return }
        if kind == .csat {
            periods[index].csat.count(event)
            if let assignee { periods[index].csatBy[assignee, default: SurveyFigures(kind: .csat)].count(event) }
            if let group { periods[index].byGroup[group, default: GroupPart()].csat.count(event) }
        } else {
            periods[index].nps.count(event)
        }
    }
}

extension Ticket {
    /// Whether anything a report counts from `moment` on can concern it: a change recorded since
    /// (each one sets `updatedAt`), or a clock that may still run out (it is active). A ticket
    /// solved or closed before, and quiet since, adds nothing to any period from `moment` on, and
    /// most of a long-lived desk is such tickets, so the reports read them no further. (Mail
    /// delivery, the one change that leaves `updatedAt` alone, counts in no report.)
    func mayCount(since moment: Date) -> Bool {
        status.isActive || updatedAt >= moment
    }
}
