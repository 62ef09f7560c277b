import XCTest

/// `report --by day|week|month` on a generated desk (its tickets from 2026-10-19 to 2026-11-02):
/// the periods add up to the one-period report, CSV says what JSON says, the table is plain off a
/// terminal and has sparklines on one.
final class ReportTrendTests: CLITestCase {
    let since = "2026-10-15"

    override func setUpWithError() throws {
        try super.setUpWithError()
        try cli.ok("generate", "--tickets", "500", "--seed", "11", "--out", cli.logPath)
        try cli.desk.moveFileFixtureIntoStore()
    }

    func periods(_ arguments: String...) throws -> (whole: [String: Any], periods: [[String: Any]]) {
        let result = try cli.run(["report", "--since", since, "--json"] + arguments)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdoutLines.count, 1, "JSON is one line")
        let whole = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any], result.stdout)
        return (whole, try XCTUnwrap(whole["periods"] as? [[String: Any]]))
    }

    func int(_ object: [String: Any], _ path: String...) -> Int {
        var value: Any? = object
        for key in path { value = (value as? [String: Any])?[key] }
        return value as? Int ?? -1
    }

    func testDaysAddUpToTheReportOverTheSameRange() throws {
        let (trend, days) = try periods("--by", "day")
        XCTAssertEqual(trend["by"] as? String, "day")
        let zone = try XCTUnwrap(trend["time_zone"] as? String)
        XCTAssertEqual(TimeZone(identifier: zone)?.secondsFromGMT(), 0, "no business hours: the TZ the tests run in (UTC), not \(zone)")
        XCTAssertTrue(isNull(trend["agent"]))
        XCTAssertEqual(days.first?["period"] as? String, since)
        XCTAssertEqual(days.count, Calendar(identifier: .gregorian).dateComponents(
            [.day], from: parseTime(days.first?["since"])!, to: Date()).day! + 1, "one a day up to today")
        for (day, next) in zip(days, days.dropFirst()) {
            XCTAssertEqual(day["until"] as? String, next["since"] as? String, "the days follow each other")
            XCTAssertEqual(parseTime(day["until"])!.timeIntervalSince(parseTime(day["since"])!), 86_400)
        }

        let whole = try cli.object("report", "--since", since, "--json")
        XCTAssertEqual(whole["since"] as? String, days.first?["since"] as? String)
        XCTAssertEqual(days.map { int($0, "opened") }.reduce(0, +), 500)
        XCTAssertEqual(days.map { int($0, "opened") }.reduce(0, +), int(whole, "opened"))
        XCTAssertEqual(days.map { int($0, "first_response", "count") }.reduce(0, +), int(whole, "first_response", "count"))
        XCTAssertEqual(days.map { int($0, "satisfaction", "ratings") }.reduce(0, +), int(whole, "satisfaction", "ratings"))
        for target in ["first_response", "next_response", "resolution"] {
            XCTAssertEqual(days.map { int($0, "sla_compliance", target, "breached") }.reduce(0, +),
                           int(whole, "sla_compliance", target, "breached"), target)
        }
        XCTAssertEqual(int(days.last!, "backlog"), int(whole, "backlog"), "the last day ends now")
        XCTAssertGreaterThan(days.map { int($0, "solved") }.max()!, 0)
        XCTAssertNotNil(days.first { ($0["first_response"] as? [String: Any])?["median_seconds"] is Int })
    }

    func testWeeksStartOnMonday() throws {
        let (trend, weeks) = try periods("--by", "week")
        XCTAssertEqual(trend["by"] as? String, "week")
        XCTAssertEqual(weeks.first?["period"] as? String, "2026-W42", "2026-10-15 is the Thursday of ISO week 42")
        XCTAssertEqual(weeks.first?["since"] as? String, "2026-10-12T00:00:00.000Z")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for week in weeks {
            XCTAssertEqual(calendar.component(.weekday, from: parseTime(week["since"])!), 2, "\(week["period"]!) starts on Monday")
        }
        XCTAssertEqual(weeks.map { int($0, "opened") }.reduce(0, +), 500)
    }

    func testDaysAreCutInTheUsersTimeZoneWithoutBusinessHours() throws {
        let result = try cli.run(["report", "--since", since, "--by", "day", "--json"], environment: ["TZ": "Europe/Berlin"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let trend = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        XCTAssertEqual(trend["time_zone"] as? String, "Europe/Berlin")
        let days = try XCTUnwrap(trend["periods"] as? [[String: Any]])
        XCTAssertEqual(days.first?["period"] as? String, since)
        XCTAssertEqual(days.first?["since"] as? String, "2026-10-14T22:00:00.000Z", "00:00 in Berlin (CEST, UTC+2)")
        let lastOctober = try XCTUnwrap(days.first { $0["period"] as? String == "2026-10-25" })
        XCTAssertEqual(parseTime(lastOctober["until"])!.timeIntervalSince(parseTime(lastOctober["since"])!), 25 * 3600,
                       "summer time ends that day")
    }

    func testPeriodsAreCutInTheBusinessHoursZone() throws {
        try cli.ok("hours", "set", "mon-fri 09:00-17:00", "--tz", "America/New_York")
        let result = try cli.run(["report", "--since", since, "--by", "week", "--json"], environment: ["TZ": "Europe/Berlin"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let trend = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        XCTAssertEqual(trend["time_zone"] as? String, "America/New_York")
        let weeks = try XCTUnwrap(trend["periods"] as? [[String: Any]])
        XCTAssertEqual(weeks.first?["since"] as? String, "2026-10-12T04:00:00.000Z", "Monday 00:00 in New York (EDT)")
    }

    func testCSVSaysWhatJSONSays() throws {
        let (_, weeks) = try periods("--by", "week")
        let csv = try cli.ok("report", "--since", since, "--by", "week", "--format", "csv")
        let rows = csv.stdoutLines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try XCTUnwrap(rows.first)
        XCTAssertEqual(Array(header.prefix(6)), ["period", "since", "until", "opened", "solved", "backlog"])
        XCTAssertTrue(header.contains("sla_resolution_rate") && header.contains("satisfaction_average"), "\(header)")
        XCTAssertEqual(rows.count, weeks.count + 1)
        for (row, week) in zip(rows.dropFirst(), weeks) {
            XCTAssertEqual(row.count, header.count)
            let cell = Dictionary(uniqueKeysWithValues: zip(header, row))
            XCTAssertEqual(cell["period"], week["period"] as? String)
            XCTAssertEqual(cell["since"], week["since"] as? String)
            for field in ["opened", "solved", "backlog"] { XCTAssertEqual(cell[field], String(int(week, field)), field) }
            let median = (week["first_response"] as? [String: Any])?["median_seconds"] as? NSNumber
            XCTAssertEqual(cell["first_response_median_seconds"].flatMap(Double.init), median?.doubleValue, "empty for none")
            XCTAssertEqual(cell["sla_first_response_breached"], String(int(week, "sla_compliance", "first_response", "breached")))
        }
    }

    func testTheTableIsPlainOffATerminal() throws {
        let (_, weeks) = try periods("--by", "week")
        let table = try cli.ok("report", "--since", since, "--by", "week")
        let lines = table.stdoutLines
        XCTAssertTrue(lines[0].hasPrefix("report by week 2026-10-12T00:00:00.000Z → "), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("PERIOD "), lines[1])
        XCTAssertEqual(lines.count, 2 + weeks.count)
        XCTAssertTrue(lines[2].hasPrefix("2026-W42 "), lines[2])
        XCTAssertFalse(table.stdout.contains("\u{1B}"), "no escape sequences into a pipe")
        XCTAssertFalse(table.stdout.contains("▁"), "no charts into a pipe")
    }

    func testATerminalGetsSparklinesInColourUnlessNoColour() throws {
        let coloured = try cli.desk.runInTerminal(["report", "--since", since, "--by", "day"])
        XCTAssertEqual(coloured.status, 0, coloured.stdout)
        let opened = try XCTUnwrap(coloured.stdout.components(separatedBy: "\r\n").first { $0.hasPrefix("opened ") })
        XCTAssertTrue(opened.contains("\u{1B}["), "in the theme's colour: \(opened)")
        XCTAssertTrue(opened.contains("█"), "the busiest day reaches the top: \(opened)")
        XCTAssertTrue(coloured.stdout.contains("\r\nPERIOD "), "the table follows")

        let plain = try cli.desk.runInTerminal(["report", "--since", since, "--by", "day"], environment: ["NO_COLOR": "1"])
        XCTAssertEqual(plain.status, 0, plain.stdout)
        let line = try XCTUnwrap(plain.stdout.components(separatedBy: "\r\n").first { $0.hasPrefix("opened ") })
        XCTAssertTrue(line.contains("█"))
        XCTAssertFalse(line.contains("\u{1B}[3") || line.contains("\u{1B}[9"), "NO_COLOR: no colours: \(line)")
    }

    func testOneAgentsTicketsOnly() throws {
        let tickets = try cli.array("list", "--status", "all", "--json")
        let agent = try XCTUnwrap(tickets.compactMap { $0["assignee"] as? String }.first)
        let theirs = tickets.filter { $0["assignee"] as? String == agent }.count
        let (trend, days) = try periods("--by", "day", "--agent", agent)
        XCTAssertEqual(trend["agent"] as? String, agent)
        XCTAssertEqual(days.map { int($0, "opened") }.reduce(0, +), theirs, "the tickets assigned to \(agent)")
        XCTAssertLessThan(theirs, 500)

        let refused = try cli.refused("report", "--by", "day", "--agent", "nobody")
        XCTAssertTrue(refused.contains("'nobody' is not on the desk's roster"), refused)
    }

    func testContradictoryOptionsAreUsageErrors() throws {
        for arguments in [["report", "--json", "--format", "csv"], ["report", "--by", "day", "-o", "out.txt"],
                          ["report", "--by", "fortnight"]] {
            let result = try cli.run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stdout, "")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.desk.folder.file("out.txt")))
    }
}
