import XCTest
@testable import HelpdeskCore

/// The report per day, week and month: a small desk worked out by hand, the calendar's cuts, and
/// a generated desk whose every day equals the one-period report of the desk as it was then.
final class TrendReportTests: XCTestCase {
    /// UTC, 2027-01-15 is a Friday:
    /// Fri 08:00 #1 normal opened; 09:00 alice takes it and replies (first response 1h)
    /// Fri 10:00 #2 urgent opened (first response due 11:00: breached); bob takes it
    /// Sat 10:00 bob replies to #2 (24h); 12:00 alice solves #1 (28h); 13:00 #1 rated 4
    /// Mon 09:00 #3 normal opened; alice takes it; 09:30 replies (30m); 10:00 solves #3 (1h), bob solves #2 (72h)
    /// The report runs on Mon 12:00.
    func makeDesk() throws -> DeskFixture {
        var desk = DeskFixture()
        func at(_ day: Int, _ time: String) { desk.now = utc("2027-01-\(day)T\(time):00Z") }
        at(15, "08:00"); _ = desk.open("Printer", priority: .normal)
        at(15, "09:00"); try desk.run(.take(ticket: 1, steal: false), as: "alice")
        try desk.run(.reply(ticket: 1, body: "Try this"), as: "alice")
        at(15, "10:00"); _ = desk.open("Outage", priority: .urgent)
        try desk.run(.take(ticket: 2, steal: false), as: "bob")
        at(16, "10:00"); try desk.run(.reply(ticket: 2, body: "Restarting"), as: "bob")
        at(16, "12:00"); try desk.run(.resolve(ticket: 1), as: "alice")
        at(16, "13:00"); try desk.run(.rate(ticket: 1, score: 4, comment: nil), as: "alice")
        at(18, "09:00"); _ = desk.open("Invoice", priority: .normal)
        try desk.run(.take(ticket: 3, steal: false), as: "alice")
        at(18, "09:30"); try desk.run(.reply(ticket: 3, body: "Sent"), as: "alice")
        at(18, "10:00"); try desk.run(.resolve(ticket: 3), as: "alice")
        try desk.run(.resolve(ticket: 2), as: "bob")
        at(18, "12:00")
        return desk
    }

    func testEachDayCountsWhatHappenedInIt() throws {
        let desk = try makeDesk()
        let trend = TrendReport.make(desk: desk.desk, by: .day, since: utc("2027-01-15T05:00:00Z"), now: desk.now,
                                     timeZone: utcZone)
        XCTAssertEqual(trend.periods.map(\.label), ["2027-01-15", "2027-01-16", "2027-01-17", "2027-01-18"])
        XCTAssertEqual(trend.periods.map(\.since).first, utc("2027-01-15T00:00:00Z"), "the start is its day's 00:00")
        XCTAssertEqual(trend.periods.last?.until, desk.now, "the current day ends now")
        XCTAssertEqual(trend.periods.map(\.opened), [2, 0, 0, 1])
        XCTAssertEqual(trend.periods.map(\.solved), [0, 1, 0, 2])
        XCTAssertEqual(trend.periods.map(\.backlog), [2, 1, 1, 0], "active at each day's end")
        XCTAssertEqual(trend.periods.map(\.firstResponse.median), [hour, 24 * hour, nil, hour / 2])
        XCTAssertEqual(trend.periods.map(\.resolution.count), [0, 1, 0, 2])
        XCTAssertEqual(trend.periods[1].resolution.median, 28 * hour)
        XCTAssertEqual(trend.periods[3].resolution.median, 36.5 * hour, "1h and 72h")
        XCTAssertEqual(trend.periods[3].resolution.p90, 72 * hour)
        let firstResponse = trend.periods.map { $0.compliance.first { $0.target == .firstResponse }! }
        XCTAssertEqual(firstResponse.map(\.metInTime), [1, 0, 0, 1])
        XCTAssertEqual(firstResponse.map(\.breached), [1, 0, 0, 0], "#2 due Fri 11:00")
        XCTAssertEqual(trend.periods.map(\.ratings), [0, 1, 0, 0])
        XCTAssertEqual(trend.periods[1].averageRating, 4)
        XCTAssertNil(trend.periods[0].averageRating)
    }

    func testWeeksStartOnMondayAndAreNamedTheISOWay() throws {
        let desk = try makeDesk()
        let trend = TrendReport.make(desk: desk.desk, by: .week, since: utc("2027-01-15T05:00:00Z"), now: desk.now,
                                     timeZone: utcZone)
        XCTAssertEqual(trend.periods.map(\.label), ["2027-W02", "2027-W03"])
        XCTAssertEqual(trend.periods.map(\.since), [utc("2027-01-11T00:00:00Z"), utc("2027-01-18T00:00:00Z")])
        XCTAssertEqual(trend.periods.map(\.opened), [2, 1])
        XCTAssertEqual(trend.periods.map(\.solved), [1, 2])
        XCTAssertEqual(trend.periods.map(\.backlog), [1, 0])
    }

    func testAMonthIsOnePeriodUpToNow() throws {
        let desk = try makeDesk()
        let trend = TrendReport.make(desk: desk.desk, by: .month, since: utc("2027-01-15T05:00:00Z"), now: desk.now,
                                     timeZone: utcZone)
        XCTAssertEqual(trend.periods.map(\.label), ["2027-01"])
        XCTAssertEqual(trend.periods.map(\.since), [utc("2027-01-01T00:00:00Z")])
        XCTAssertEqual(trend.periods.map(\.opened), [3])
        XCTAssertEqual(trend.periods.map(\.solved), [3])
    }

    func testOneAgentsTicketsOnly() throws {
        let desk = try makeDesk()
        let trend = TrendReport.make(desk: desk.desk, by: .day, since: utc("2027-01-15T00:00:00Z"), now: desk.now,
                                     timeZone: utcZone, agent: "alice")
        XCTAssertEqual(trend.agent, "alice")
        XCTAssertEqual(trend.periods.map(\.opened), [1, 0, 0, 1], "#1 and #3")
        XCTAssertEqual(trend.periods.map(\.backlog), [1, 0, 0, 0])
        XCTAssertEqual(trend.periods.map(\.firstResponse.count), [1, 0, 0, 1])
    }

    func testDaysAreCutInTheGivenTimeZone() throws {
        let newYork = TimeZone(identifier: "America/New_York")!
        // 03:00 UTC on Friday is 22:00 on Thursday in New York (UTC-5 in January).
        let cuts = PeriodLength.day.boundaries(since: utc("2027-01-15T03:00:00Z"), now: utc("2027-01-16T12:00:00Z"),
                                               in: newYork)
        XCTAssertEqual(cuts, [utc("2027-01-14T05:00:00Z"), utc("2027-01-15T05:00:00Z"), utc("2027-01-16T05:00:00Z"),
                              utc("2027-01-16T12:00:00Z")])
        XCTAssertEqual(PeriodLength.day.label(of: cuts[0], in: newYork), "2027-01-14")
        // The first ISO week of 2027 starts on Monday 4 January; 1-3 January belong to 2026-W53.
        XCTAssertEqual(PeriodLength.week.label(of: utc("2027-01-02T12:00:00Z"), in: utcZone), "2026-W53")
        XCTAssertEqual(PeriodLength.week.start(of: utc("2027-01-03T23:00:00Z"), in: utcZone), utc("2026-12-28T00:00:00Z"))
        XCTAssertEqual(PeriodLength.month.boundaries(since: utc("2026-11-20T00:00:00Z"), now: utc("2027-01-02T00:00:00Z"),
                                                     in: utcZone),
                       [utc("2026-11-01T00:00:00Z"), utc("2026-12-01T00:00:00Z"), utc("2027-01-01T00:00:00Z"),
                        utc("2027-01-02T00:00:00Z")])
    }

    /// Every day of a generated desk equals the one-period report run on the log cut at that day's end.
    func testEachDayEqualsTheOnePeriodReportOfThatDay() throws {
        var generator = DeskGenerator(settings: GeneratorSettings(tickets: 400, seed: 7, agents: 6, supervisor: "sam"))
        let records = generator.run()
        let now = GeneratorSettings.end.addingTimeInterval(-3 * 3600)
        let trend = TrendReport.make(desk: generator.desk, by: .day, since: now.addingTimeInterval(-10 * 86_400), now: now,
                                     timeZone: utcZone)
        XCTAssertEqual(trend.periods.count, 11)
        func desk(upTo moment: Date) throws -> Desk {
            var desk = Desk()
            for record in records where record.at <= moment {
                for event in record.events {
                    try desk.apply(event, context: EventContext(seq: record.seq, at: record.at, actor: record.actor))
                }
                desk.recordApplied(seq: record.seq)
            }
            return desk
        }
        for period in trend.periods {
            // A period leaves out its end (the next one's start); times are whole milliseconds.
            let lastMoment = period.until == now ? now : period.until.addingTimeInterval(-0.0005)
            let report = DeskReport.make(desk: try desk(upTo: lastMoment), since: period.since, now: lastMoment)
            XCTAssertEqual(period.opened, report.opened, period.label)
            XCTAssertEqual(period.solved, report.solved, period.label)
            XCTAssertEqual(period.firstResponse, report.firstResponse, period.label)
            XCTAssertEqual(period.resolution, report.resolution, period.label)
            XCTAssertEqual(period.compliance, report.compliance, period.label)
            XCTAssertEqual(period.ratings, report.ratings, period.label)
            XCTAssertEqual(period.averageRating, report.averageRating, period.label)
            let atEnd = DeskReport.make(desk: try desk(upTo: period.until), since: period.since, now: period.until)
            XCTAssertEqual(period.backlog, atEnd.backlog, period.label)
        }
        XCTAssertGreaterThan(trend.periods.map(\.opened).reduce(0, +), 100, "the days are not empty")
        XCTAssertGreaterThan(trend.periods.map(\.backlog).max() ?? 0, 0)
    }

    /// The reports read only the tickets that can count from their start on (changed since, or
    /// active); reading every ticket must give the same figures, for any start and any filter.
    func testReadingOnlyTheTicketsThatMayCountChangesNoFigure() throws {
        var generator = DeskGenerator(settings: GeneratorSettings(tickets: 1_200, seed: 11, agents: 6, supervisor: "sam"))
        _ = generator.run()
        let desk = generator.desk
        let now = GeneratorSettings.end.addingTimeInterval(-3 * 3600)
        let first = try XCTUnwrap(desk.tickets.map(\.createdAt).min())
        var quiet = 0
        for days in stride(from: 1.0, through: now.timeIntervalSince(first) / 86_400 + 2, by: 9) {
            let since = now.addingTimeInterval(-days * 86_400)
            quiet = max(quiet, desk.tickets.filter { !$0.mayCount(since: since) }.count)
            for group in [nil, "none"] + desk.team.groups.keys.sorted() {
                XCTAssertEqual(DeskReport.make(desk: desk, since: since, now: now, group: group),
                               DeskReport.make(desk: desk, since: since, now: now, group: group, everyTicket: true),
                               "since \(days) days, group \(group ?? "any")")
            }
            for (length, agent) in [(PeriodLength.day, nil), (.week, desk.roster.last), (.month, nil)] where days < 120 || length != .day {
                XCTAssertEqual(TrendReport.make(desk: desk, by: length, since: since, now: now, timeZone: utcZone, agent: agent),
                               TrendReport.make(desk: desk, by: length, since: since, now: now, timeZone: utcZone, agent: agent,
                                                everyTicket: true),
                               "by \(length) since \(days) days, agent \(agent ?? "any")")
            }
        }
        XCTAssertGreaterThan(quiet, desk.tickets.count / 2, "most tickets are left unread for a recent start")
    }
}

private let utcZone = TimeZone(identifier: "UTC")!
