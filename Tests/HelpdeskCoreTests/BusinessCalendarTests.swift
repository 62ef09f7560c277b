import XCTest
@testable import HelpdeskCore

/// Business time: weekends, holidays, clock changes, long spans, and what a schedule may say.
final class BusinessCalendarTests: XCTestCase {
    func calendar(_ hours: String, zone: String = "UTC", holidays: Set<String> = []) throws -> BusinessCalendar {
        BusinessCalendar(policy: SLAPolicy(hours: try BusinessHours.parse(hours, timeZone: zone), holidays: holidays))
    }

    func testWithoutHoursEverySecondCounts() {
        let calendar = BusinessCalendar(policy: .standard)
        let start = utc("2027-01-15T16:00:00Z")
        XCTAssertEqual(calendar.date(adding: 3 * hour, to: start), utc("2027-01-15T19:00:00Z"))
        XCTAssertEqual(calendar.businessTime(from: start, to: utc("2027-01-16T16:00:00Z")), 24 * hour)
        XCTAssertTrue(calendar.isContinuous)
    }

    func testTheWeekendIsSkipped() throws {
        let calendar = try calendar("mon-fri 09:00-17:00")
        let friday = utc("2027-01-15T16:00:00Z")  // a Friday
        XCTAssertEqual(calendar.date(adding: 2 * hour, to: friday), utc("2027-01-18T10:00:00Z"), "Monday 10:00")
        XCTAssertEqual(calendar.businessTime(from: friday, to: utc("2027-01-18T10:00:00Z")), 2 * hour)
        XCTAssertEqual(calendar.businessTime(from: utc("2027-01-16T10:00:00Z"), to: utc("2027-01-17T23:00:00Z")), 0,
                       "nothing counts on a weekend")
        XCTAssertEqual(calendar.date(adding: 1, to: utc("2027-01-16T12:00:00Z")), utc("2027-01-18T09:00:01Z"),
                       "time added on a Saturday starts on Monday morning")
        XCTAssertFalse(calendar.isOpen(at: utc("2027-01-16T12:00:00Z")))
        XCTAssertTrue(calendar.isOpen(at: utc("2027-01-18T09:00:00Z")))
    }

    func testSplitDaysAndSeveralGroups() throws {
        let calendar = try calendar("mon-thu 08:00-12:00 13:00-17:00; fri 08:00-12:00")
        let monday = utc("2027-01-18T11:30:00Z")
        XCTAssertEqual(calendar.date(adding: 1 * hour, to: monday), utc("2027-01-18T13:30:00Z"), "lunch does not count")
        XCTAssertEqual(calendar.businessTime(from: utc("2027-01-18T00:00:00Z"), to: utc("2027-01-25T00:00:00Z")), 36 * hour)
    }

    func testHolidaysAreSkipped() throws {
        let calendar = try calendar("mon-fri 09:00-17:00", holidays: ["2027-01-18"])
        XCTAssertEqual(calendar.date(adding: 2 * hour, to: utc("2027-01-15T16:00:00Z")), utc("2027-01-19T10:00:00Z"),
                       "Monday is a holiday: Tuesday 10:00")
        XCTAssertEqual(calendar.businessTime(from: utc("2027-01-18T00:00:00Z"), to: utc("2027-01-19T00:00:00Z")), 0)
    }

    func testClockChangesInBerlin() throws {
        let calendar = try calendar("mon-fri 09:00-17:00", zone: "Europe/Berlin")
        // Friday 16:30 CET (15:30Z); summer time starts on Sunday 2027-03-28.
        let friday = utc("2027-03-26T15:30:00Z")
        XCTAssertEqual(calendar.date(adding: 1 * hour, to: friday), utc("2027-03-29T07:30:00Z"),
                       "Monday 09:30 CEST is 07:30Z, not 08:30Z")
        XCTAssertEqual(calendar.businessTime(from: friday, to: utc("2027-03-29T07:30:00Z")), 1 * hour)
        // And back: winter time on Sunday 2027-10-31.
        XCTAssertEqual(calendar.date(adding: 1 * hour, to: utc("2027-10-29T14:30:00Z")), utc("2027-11-01T08:30:00Z"),
                       "Friday 16:30 CEST + 1h is Monday 09:30 CET")

        let allDay = try self.calendar("daily 00:00-24:00", zone: "Europe/Berlin")
        XCTAssertEqual(allDay.businessTime(from: utc("2027-03-27T23:00:00Z"), to: utc("2027-03-28T22:00:00Z")), 23 * hour,
                       "the day the clocks go forward has 23 hours")
        XCTAssertEqual(allDay.businessTime(from: utc("2027-10-30T22:00:00Z"), to: utc("2027-10-31T23:00:00Z")), 25 * hour,
                       "the day they go back has 25")
        XCTAssertEqual(allDay.businessTime(from: utc("2027-03-27T23:00:00Z"), to: utc("2027-03-30T22:00:00Z")), 71 * hour)
    }

    func testLongSpansAgreeBothWays() throws {
        let calendar = try calendar("mon-fri 09:00-17:00", zone: "America/New_York", holidays: ["2027-07-05", "2027-12-24"])
        let start = utc("2027-01-04T15:00:00Z")
        for amount in [1.0, 7 * hour, 40 * hour, 41 * hour, 1000 * hour, 1955 * hour] {
            let end = calendar.date(adding: amount, to: start)
            XCTAssertEqual(calendar.businessTime(from: start, to: end), amount, accuracy: 0.001, "\(amount / hour)h")
        }
        // A year of a five-day week, less two holidays on weekdays: (52 * 5 + 1 - 2) days of 8 hours.
        XCTAssertEqual(calendar.businessTime(from: utc("2027-01-01T05:00:00Z"), to: utc("2028-01-01T05:00:00Z")),
                       Double(52 * 5 + 1 - 2) * 8 * hour)
    }

    func testSchedulesAreCheckedAndTidied() throws {
        let hours = try BusinessHours.parse("  Mon-Fri 09:00-17:00 ", timeZone: "Europe/Berlin")
        XCTAssertEqual(hours.text, "mon-fri 09:00-17:00")
        XCTAssertEqual(hours.weeklySeconds, 5 * 8 * 3600)
        XCTAssertEqual(try BusinessHours.parse("fri-mon 10:00-12:00", timeZone: "UTC").days.map(\.count), [1, 1, 0, 0, 0, 1, 1])
        XCTAssertEqual(try BusinessHours.parse("weekdays 09:00-24:00", timeZone: "UTC").days[1], [.init(start: 540, end: 1440)])
        for (bad, message) in [("mon-fri 17:00-09:00", "ends before it starts"), ("mon-fri", "bad business hours"),
                               ("someday 09:00-17:00", "bad day"), ("mon-fri 9-17", "bad time range"),
                               ("mon 09:00-12:00; mon 11:00-13:00", "overlap on mon"), ("mon 09:00-25:00", "bad time range")] {
            XCTAssertThrowsError(try BusinessHours.parse(bad, timeZone: "UTC"), bad) { error in
                XCTAssertTrue("\(error)".contains(message), "\(bad): \(error)")
            }
        }
        XCTAssertThrowsError(try BusinessHours.parse("mon-fri 09:00-17:00", timeZone: "Mars/Olympus")) { error in
            XCTAssertTrue("\(error)".contains("unknown time zone"), "\(error)")
        }
    }

    func testCivilDays() {
        XCTAssertEqual(CivilDay(text: "1970-01-01")?.number, 0)
        XCTAssertEqual(CivilDay(text: "2026-12-25")?.weekday, 5, "a Friday")
        XCTAssertEqual(CivilDay(text: "2028-02-29")?.text, "2028-02-29")
        XCTAssertNil(CivilDay(text: "2027-02-29"))
        XCTAssertNil(CivilDay(text: "2027-13-01"))
        XCTAssertNil(CivilDay(text: "25.12.2026"))
    }
}
