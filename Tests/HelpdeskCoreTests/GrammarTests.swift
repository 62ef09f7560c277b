import XCTest
@testable import HelpdeskCore

/// Each grammar people type, parsed in one place: what it accepts and what it refuses.
final class GrammarTests: XCTestCase {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    // Wednesday 2026-11-25 10:00 in Berlin (09:00 UTC).
    let now = Timestamp.parse("2026-11-25T09:00:00Z")!

    func time(_ text: String, _ durations: TimeText.Durations = .refused) throws -> String {
        Timestamp.format(try TimeText.parse(text, now: now, timeZone: berlin, durations: durations))
    }

    func testADayAloneMeansItsMidnightInTheTimeZone() throws {
        XCTAssertEqual(try time("2026-11-29"), "2026-11-28T23:00:00.000Z")
        XCTAssertEqual(try time("2026-11-29", .ago), "2026-11-28T23:00:00.000Z", "--since: the same 00:00")
        XCTAssertEqual(try time("2026-11-29", .ahead), "2026-11-28T23:00:00.000Z")
        XCTAssertEqual(try time("today"), "2026-11-24T23:00:00.000Z")
        XCTAssertEqual(try time("tomorrow"), "2026-11-25T23:00:00.000Z")
        XCTAssertEqual(try time("Friday"), "2026-11-26T23:00:00.000Z")
        XCTAssertEqual(try time("wed"), "2026-12-01T23:00:00.000Z", "today's weekday means next week")
        // Summer time: 2026-07-01 00:00 in Berlin is 22:00 UTC the day before.
        XCTAssertEqual(try time("2026-07-01"), "2026-06-30T22:00:00.000Z")
        let utc = TimeZone(identifier: "UTC")!
        XCTAssertEqual(Timestamp.format(try TimeText.parse("2026-11-29", now: now, timeZone: utc)), "2026-11-29T00:00:00.000Z")
    }

    func testTimesWithADayOrAClock() throws {
        XCTAssertEqual(try time(" 2026-12-01 14:30 "), "2026-12-01T13:30:00.000Z")
        XCTAssertEqual(try time("tomorrow 9:00"), "2026-11-26T08:00:00.000Z")
        XCTAssertEqual(try time("fri 14:00"), "2026-11-27T13:00:00.000Z")
        XCTAssertEqual(try time("10:00"), "2026-11-26T09:00:00.000Z", "now exactly is not ahead: tomorrow")
        XCTAssertEqual(try time("10:01"), "2026-11-25T09:01:00.000Z")
        XCTAssertEqual(try time("2026-12-01T10:00:00+02:00"), "2026-12-01T08:00:00.000Z")
        // 02:30 on the day the clocks go forward does not exist: the moment after the gap.
        XCTAssertEqual(try time("2027-03-28 02:30"), "2027-03-28T01:30:00.000Z")
    }

    func testDurationsWhereACommandTakesThem() throws {
        XCTAssertEqual(try time("7d", .ago), "2026-11-18T09:00:00.000Z")
        XCTAssertEqual(try time("1h30m", .ago), "2026-11-25T07:30:00.000Z")
        XCTAssertEqual(try time("2h", .ahead), "2026-11-25T11:00:00.000Z")
        XCTAssertEqual(try time(" 90s ", .ahead), "2026-11-25T09:01:30.000Z")
        XCTAssertThrowsError(try time("7d")) { error in
            XCTAssertEqual((error as? Refusal)?.message,
                           "bad time '7d': use e.g. 2026-12-01 14:30, 2026-12-01, 14:30, tomorrow 09:00, fri or an RFC 3339 time")
        }
        XCTAssertThrowsError(try time("7 days", .ago)) { error in
            XCTAssertTrue((error as? Refusal)?.message.contains("a duration such as 2h or 7d") == true)
        }
    }

    func testRefusedTimes() {
        for bad in ["", "someday", "24:00", "9", "9:5", "09:60", "2026-02-29", "2026-2-01", "26-12-01", "fr",
                    "frisbee", "fri 9", "fri 09:00 extra", "tomorrow at noon", "+7d", "2026-12-01T10:00:00"] {
            XCTAssertThrowsError(try time(bad, .ago), bad) { error in
                XCTAssertEqual((error as? Refusal)?.kind, .invalid, bad)
            }
        }
    }

    func testDurations() throws {
        XCTAssertEqual(try DurationText.parse("2H"), 7200)
        XCTAssertEqual(try DurationText.parse("1d12h"), 129_600)
        for bad in ["1h30", "m30", "1hh", "１h", "0s"] {
            XCTAssertThrowsError(try DurationText.parse(bad), bad)
        }
    }

    func testClockTimes() {
        XCTAssertEqual(ClockTime("09:05")?.minutes, 545)
        XCTAssertEqual(ClockTime("9:05")?.minutes, 545)
        XCTAssertEqual(ClockTime("23:59")?.minutes, 1439)
        XCTAssertNil(ClockTime("24:00"))
        XCTAssertEqual(ClockTime("24:00", allowingEndOfDay: true)?.minutes, 1440)
        for bad in ["24:01", "009:00", "9:5", "-1:00", "+9:00", "09:0a", "09", "09:00:00", "٠٩:٠٠"] {
            XCTAssertNil(ClockTime(bad, allowingEndOfDay: true), bad)
        }
        XCTAssertEqual(ClockTime(minutes: 545).text, "09:05")
    }

    func testWeekdays() {
        XCTAssertEqual(Weekday.index("sun"), 0)
        XCTAssertEqual(Weekday.index("Thurs"), 4)
        XCTAssertEqual(Weekday.index("SATURDAY"), 6)
        for bad in ["", "fr", "frisbee", "saturdays", "mo"] { XCTAssertNil(Weekday.index(bad), bad) }
    }

    func testCivilDays() {
        XCTAssertEqual(CivilDay(text: "2028-02-29")?.text, "2028-02-29")
        XCTAssertEqual(CivilDay(text: "1970-01-01")?.number, 0)
        XCTAssertEqual(CivilDay(text: "2026-11-25")?.weekday, 3)
        for bad in ["2026-02-29", "2100-02-29", "2026-12-1", "2026-13-01", "2026-00-10", "２０２６-12-01", "2026/12/01", " 2026-12-01"] {
            XCTAssertNil(CivilDay(text: bad), bad)
        }
        // The day a moment falls on depends on the zone: 23:30 UTC is already tomorrow in Berlin.
        let late = Timestamp.parse("2026-11-25T23:30:00Z")!
        XCTAssertEqual(CivilDay(late, in: berlin).text, "2026-11-26")
        XCTAssertEqual(CivilDay(late, in: TimeZone(identifier: "America/New_York")!).text, "2026-11-25")
        XCTAssertEqual(CivilDay(Timestamp.parse("1969-12-31T23:59:59Z")!, in: TimeZone(identifier: "UTC")!).text, "1969-12-31")
    }

    func testTagChanges() {
        let changes = TagChanges(line: " +urgent  -billing vip\t-old ")
        XCTAssertEqual(changes.add, ["urgent", "vip"])
        XCTAssertEqual(changes.remove, ["billing", "old"])
        XCTAssertTrue(TagChanges(line: "   ").isEmpty)
        XCTAssertEqual(TagChanges(words: ["+a", "-b"]), TagChanges(line: "+a -b"))
    }

    func testTierEligibility() {
        let agent = Agent(account: "amy", displayName: "Amy", role: .agent, tier: 2, active: true)
        XCTAssertTrue(agent.mayWork(tier: 1))
        XCTAssertTrue(agent.mayWork(tier: 2))
        XCTAssertFalse(agent.mayWork(tier: 3))
        let supervisor = Agent(account: "sue", displayName: "Sue", role: .supervisor, tier: 1, active: true)
        XCTAssertTrue(supervisor.mayWork(tier: 3))
    }
}
