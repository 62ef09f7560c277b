import XCTest

/// `--since DAY` starts at that day's 00:00 in the user's time zone, in every command.
final class SinceTests: CLITestCase {
    /// A fixed-offset zone in which it is now between 01:00 and 08:59, where 00:00 and 09:00 differ
    /// for a ticket made now; and today's date there.
    func earlyMorningZone() -> (zone: String, today: String, offsetHours: Int) {
        let utc = Calendar(identifier: .gregorian)
        var calendar = utc
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let hour = calendar.component(.hour, from: Date())
        var offset = ((3 - hour) % 24 + 24) % 24
        if offset > 14 { offset -= 24 }
        // Etc/GMT-N is N hours ahead of UTC.
        let zone = offset == 0 ? "UTC" : offset > 0 ? "Etc/GMT-\(offset)" : "Etc/GMT+\(-offset)"
        calendar.timeZone = TimeZone(secondsFromGMT: offset * 3600)!
        let day = calendar.dateComponents([.year, .month, .day], from: Date())
        let today = String(format: "%04d-%02d-%02d", day.year!, day.month!, day.day!)
        return (zone, today, offset)
    }

    func testReportAndExportSinceADayStartAtItsMidnight() throws {
        try cli.setUpDesk()
        let id = try cli.newTicket()
        let (zone, today, offset) = earlyMorningZone()
        let report = try cli.run(["report", "--since", today, "--json"], environment: ["TZ": zone])
        XCTAssertEqual(report.status, 0, report.stderr)
        let since = try XCTUnwrap((try JSONSerialization.jsonObject(with: report.stdoutData) as? [String: Any])?["since"] as? String)
        let midnight = try XCTUnwrap(Calendar(identifier: .gregorian).date(
            from: DateComponents(timeZone: TimeZone(secondsFromGMT: offset * 3600), year: Int(today.prefix(4)),
                                 month: Int(today.dropFirst(5).prefix(2)), day: Int(today.suffix(2)))))
        XCTAssertEqual(parseTime(since), midnight, "report --since \(today) in \(zone)")

        // The ticket was made a few hours after that midnight and before 09:00: export counts it.
        let export = try cli.run(["export", "--since", today], environment: ["TZ": zone])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(export.stdoutLines.count, 1, "export --since \(today) in \(zone)")
        XCTAssertTrue(export.stdout.contains("\"id\":\(id)"), export.stdout)
    }

    func testBadSinceIsRefusedWithTheForms() throws {
        try cli.setUpDesk()
        for command in ["report", "export"] {
            let line = try cli.refused(command, "--since", "last tuesday")
            XCTAssertTrue(line.contains("bad time 'last tuesday'") && line.contains("a duration such as 2h or 7d"), line)
        }
    }
}
