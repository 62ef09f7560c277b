import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskLog

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The desk's figures over a period: response and resolution times, SLA compliance, backlog, reopens, satisfaction, per agent.",
        discussion: """
            --since takes a duration back from now (7d, 24h, 1w) or a time (2026-11-01, 2026-11-01 09:00, RFC 3339). \
            Times are calendar durations; compliance counts each clock run whose outcome (met or breached) fell in \
            the period. --by cuts the range into days, weeks (ISO, from Monday) or months in the business hours' \
            time zone (else TZ), from the start of the period holding --since to now; in a terminal each figure \
            gets a sparkline. --format html writes one self-contained page with charts (-o FILE).
            """)
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv, html }

    @OptionGroup var desk: DeskOptions
    @OptionGroup var moment: MomentOption
    @Option(help: "The start: a duration back from now (default 7d; with --by 30d, 12w or 365d) or a time.")
    var since: String?
    @Option(help: "The figures per period: day, week or month (csv and html default to day).") var by: PeriodLength?
    @Option(help: "Per period, only the tickets assigned to this agent.") var agent: String?
    @Option(help: "Only the tickets of this group (none: those in no group).") var group: String?
    @Option(help: "text (default), json, csv or html.") var format: Format?
    @Flag(help: "Print JSON (--format json).") var json = false
    @Option(name: .shortAndLong, help: "Write csv or html to this file instead of standard output.") var output: String?

    func validate() throws {
        if json, let format, format != .json { throw ValidationError("--json and --format \(format.rawValue) disagree") }
        if output != nil, format != .csv, format != .html { throw ValidationError("-o writes --format csv or html") }
    }

    func run() throws {
        let (log, now) = try desk.open(at: moment)
        let format = json ? .json : format ?? .text
        let length = by ?? (format == .csv || format == .html || agent != nil ? .day : nil)
        let since = self.since ?? length?.defaultSpan ?? "7d"
        let start = try TimeText.parse(since, now: now, timeZone: .current, durations: .ago)
        guard start < now else { throw Refusal(.invalid, "--since \(since) is not in the past") }
        if let length { return try runByPeriod(length, format: format, desk: log.desk, now: now) }
        try checkGroup(on: log.desk)
        let report = DeskReport.make(desk: log.desk, since: start, now: now, group: group)
        var answer = Answer()
        if format == .json {
            answer.json(ReportCommand.json(report))
        } else {
            ReportCommand.render(report, to: &answer)
        }
        answer.write()
    }

    /// `--group` names one of the desk's groups, or `none`.
    func checkGroup(on desk: Desk) throws {
        if let group, group != "none", desk.team.groups[group] == nil {
            throw Refusal(.notFound, "no group \(group) (the desk's groups: "
                          + (desk.team.groups.isEmpty ? "none" : desk.team.groups.keys.sorted().joined(separator: ", ")) + ")")
        }
    }

    static func distributionJSON(_ distribution: Distribution) -> JSONValue {
        .object([("count", JSONValue(distribution.count)), ("median_seconds", Output.seconds(distribution.median)),
                 ("p90_seconds", Output.seconds(distribution.p90))])
    }

    static func complianceJSON(_ compliance: [DeskReport.Compliance]) -> JSONValue {
        .object(compliance.map { entry in
            (entry.target.rawValue, .object([("met", JSONValue(entry.metInTime)), ("breached", JSONValue(entry.breached)),
                                             ("rate", Output.ratio(entry.rate))]))
        })
    }

    /// An average rating to two decimals.
    static func ratingJSON(_ average: Double?) -> JSONValue {
        average.map { .double(($0 * 100).rounded() / 100) } ?? .null
    }

    static func json(_ report: DeskReport) -> JSONValue {
        .object([
            ("since", Output.time(report.since)), ("until", Output.time(report.until)), ("group", JSONValue(report.group)),
            ("opened", JSONValue(report.opened)), ("solved", JSONValue(report.solved)),
            ("backlog", JSONValue(report.backlog)),
            ("first_response", distributionJSON(report.firstResponse)),
            ("resolution", distributionJSON(report.resolution)),
            ("sla_compliance", complianceJSON(report.compliance)),
            ("backlog_by_age", .object(report.backlogByAge.map { ($0.label, JSONValue($0.count)) })),
            ("reopened", JSONValue(report.reopened)), ("reopen_rate", Output.ratio(report.reopenRate)),
            ("satisfaction", .object([
                ("average", ratingJSON(report.averageRating)),
                ("ratings", JSONValue(report.ratings)), ("rated_solved", JSONValue(report.rated)),
                ("response_rate", Output.ratio(report.ratingResponseRate)),
            ])),
            ("csat", surveyJSON(report.csat)), ("nps", surveyJSON(report.nps)),
            ("agents", .array(report.agents.map { agent in
                .object([("account", .string(agent.account)), ("name", .string(agent.name)),
                         ("assigned_open", JSONValue(agent.assignedOpen)), ("solved", JSONValue(agent.solved)),
                         ("replies", JSONValue(agent.replies)), ("first_responses", JSONValue(agent.firstResponse.count)),
                         ("median_first_response_seconds", Output.seconds(agent.firstResponse.median)),
                         ("csat", surveyJSON(agent.csat))])
            })),
            ("groups", .array(report.groups.map { group in
                .object([("group", .string(group.name)), ("name", .string(group.displayName)),
                         ("opened", JSONValue(group.opened)), ("solved", JSONValue(group.solved)),
                         ("backlog", JSONValue(group.backlog)), ("csat", surveyJSON(group.csat))])
            })),
        ])
    }

    /// A survey's figures: `sent`, `answered`, `response_rate`, `average`, and CSAT's `satisfied_rate`
    /// or NPS's `promoters`, `passives`, `detractors` and `score`.
    static func surveyJSON(_ figures: SurveyFigures) -> JSONValue {
        var fields: [(String, JSONValue)] = [("sent", JSONValue(figures.sent)), ("answered", JSONValue(figures.answered)),
                                             ("response_rate", Output.ratio(figures.responseRate)),
                                             ("average", ratingJSON(figures.average))]
        switch figures.kind {
        case .csat: fields.append(("satisfied_rate", Output.ratio(figures.satisfiedRate)))
        case .nps:
            fields += [("promoters", JSONValue(figures.promoters)), ("passives", JSONValue(figures.passives)),
                       ("detractors", JSONValue(figures.detractors)), ("score", ratingJSON(figures.netPromoterScore))]
        }
        return .object(fields)
    }

    /// `CSAT 4.3 · 82% satisfied · 17 of 40 answered (43%)`, or `NPS +25 (…)`.
    static func surveyText(_ figures: SurveyFigures) -> String {
        let answered = "\(figures.answered) of \(figures.sent) answered (\(Output.percent(figures.responseRate)))"
        switch figures.kind {
        case .csat:
            let average = figures.average.map { String(format: "%.1f", $0) } ?? "-"
            return "\(average) average · \(Output.percent(figures.satisfiedRate)) satisfied (4-5) · \(answered)"
        case .nps:
            let score = figures.netPromoterScore.map { String(format: "%+.0f", $0) } ?? "-"
            return "\(score) · \(figures.promoters) promoters, \(figures.passives) passives, \(figures.detractors) detractors · \(answered)"
        }
    }

    static func render(_ report: DeskReport, to answer: inout Answer) {
        func line(_ title: String, _ text: String) {
            answer.line(title.padding(toLength: 17, withPad: " ", startingAt: 0) + text)
        }
        func spread(_ distribution: Distribution) -> String {
            distribution.count == 0 ? "none"
                : "median \(Output.duration(distribution.median)) · p90 \(Output.duration(distribution.p90)) "
                    + "(\(distribution.count) ticket\(distribution.count == 1 ? "" : "s"))"
        }
        answer.line(VisibleText.sanitize("report \(Timestamp.format(report.since)) → \(Timestamp.format(report.until))"
                    + TrendText.groupScope(report.group)))
        line("tickets", "opened \(report.opened) · solved \(report.solved) · backlog \(report.backlog)")
        line("first response", spread(report.firstResponse))
        line("resolution", spread(report.resolution))
        line("SLA compliance", report.compliance.map { entry in
            "\(entry.target.name) \(Output.percent(entry.rate)) (\(entry.metInTime) of \(entry.metInTime + entry.breached))"
        }.joined(separator: " · "))
        line("backlog by age", report.backlogByAge.map { "\($0.label) \($0.count)" }.joined(separator: " · "))
        line("reopen rate", "\(Output.percent(report.reopenRate)) (\(report.reopened) of \(report.solved) solved)")
        let average = report.averageRating.map { String(format: "%.1f", $0) } ?? "-"
        line("satisfaction", "\(average) average of \(report.ratings) rating\(report.ratings == 1 ? "" : "s") · "
             + "response rate \(Output.percent(report.ratingResponseRate)) (\(report.rated) of \(report.solved) solved)")
        line("CSAT survey", surveyText(report.csat))
        line("NPS survey", surveyText(report.nps))
        answer.line()
        answer.table(header: agentHeader, rows: report.agents.map(agentRow))
        guard !report.groups.isEmpty else { return }
        answer.line()
        answer.table(header: ["GROUP", "OPENED", "SOLVED", "BACKLOG", "CSAT"], rows: report.groups.map { group in
            [group.name, String(group.opened), String(group.solved), String(group.backlog), csatCell(group.csat)]
        })
    }

    /// `4.3 (12)`: the average and how many answered, or `-`.
    static func csatCell(_ csat: SurveyFigures) -> String {
        csat.average.map { String(format: "%.1f (%d)", $0, csat.answered) } ?? "-"
    }

    static let agentHeader = ["AGENT", "ASSIGNED", "SOLVED", "REPLIES", "FIRST RESPONSES", "MEDIAN FIRST RESPONSE", "CSAT"]

    static func agentRow(_ agent: DeskReport.AgentFigures) -> [String] {
        [agent.account, String(agent.assignedOpen), String(agent.solved), String(agent.replies),
         String(agent.firstResponse.count), Output.duration(agent.firstResponse.median),
         csatCell(agent.csat)]
    }
}
