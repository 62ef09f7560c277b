import XCTest
@testable import HelpdeskCore

final class TextTests: XCTestCase {
    func testDurations() throws {
        XCTAssertEqual(try DurationText.parse("90s"), 90)
        XCTAssertEqual(try DurationText.parse("15m"), 900)
        XCTAssertEqual(try DurationText.parse("2h"), 7200)
        XCTAssertEqual(try DurationText.parse("3d"), 259_200)
        XCTAssertEqual(try DurationText.parse("1w"), 604_800)
        XCTAssertEqual(try DurationText.parse("1h30m"), 5400)
        for bad in ["", "5", "5x", "h", "-2h", "2 h", "0m", "1.5h"] {
            XCTAssertThrowsError(try DurationText.parse(bad), bad) { error in
                XCTAssertTrue((error as? Refusal)?.message.contains("bad duration") == true)
            }
        }
        XCTAssertEqual(DurationText.format(45 * 60), "45m")
        XCTAssertEqual(DurationText.format(3 * 3600), "3h")
        XCTAssertEqual(DurationText.format(-20 * 60), "-20m")
        XCTAssertEqual(DurationText.format(2 * 86400 + 4 * 3600), "2d 4h")
    }

    func testTimestampsRoundTripWithMilliseconds() {
        let date = Date(timeIntervalSince1970: 1_795_363_082.123)
        XCTAssertEqual(Timestamp.format(date), "2026-11-22T15:58:02.123Z")
        XCTAssertEqual(Timestamp.parse("2026-11-22T15:58:02.123Z"), Timestamp.truncated(date))
        XCTAssertEqual(Timestamp.parse("2026-11-22T16:58:02.123+01:00"), Timestamp.truncated(date))
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 951_782_400)), "2000-02-29T00:00:00.000Z")
        for bad in ["", "2026-11-22", "2026-13-01T00:00:00Z", "2026-11-22T15:58:02", "2026-11-22T15:58:02.1Zx"] {
            XCTAssertNil(Timestamp.parse(bad), bad)
        }
    }

    func testTimesAsPeopleTypeThem() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        // Wednesday 2026-11-25 10:00 in Berlin (09:00 UTC).
        let now = Timestamp.parse("2026-11-25T09:00:00Z")!
        func at(_ text: String) throws -> String { Timestamp.format(try TimeText.parse(text, now: now, timeZone: berlin)) }
        XCTAssertEqual(try at("2026-12-01 14:30"), "2026-12-01T13:30:00.000Z")
        XCTAssertEqual(try at("2026-12-01"), "2026-11-30T23:00:00.000Z", "a date alone means its 00:00 (issue 11)")
        XCTAssertEqual(try at("14:30"), "2026-11-25T13:30:00.000Z")
        XCTAssertEqual(try at("09:30"), "2026-11-26T08:30:00.000Z", "a time already past today means tomorrow")
        XCTAssertEqual(try at("tomorrow 09:00"), "2026-11-26T08:00:00.000Z")
        XCTAssertEqual(try at("fri"), "2026-11-26T23:00:00.000Z", "a day alone means its 00:00 (issue 11)")
        XCTAssertEqual(try at("wed 12:00"), "2026-12-02T11:00:00.000Z", "the same weekday means next week")
        XCTAssertEqual(try at("2026-12-01T10:00:00Z"), "2026-12-01T10:00:00.000Z")
        for bad in ["someday", "25:00", "2026-02-30", "fri 9", "tomorrow at noon"] {
            XCTAssertThrowsError(try TimeText.parse(bad, now: now, timeZone: berlin), bad)
        }
    }

    func testVisibleTextDefusesTerminalControls() {
        XCTAssertEqual(VisibleText.sanitize("plain ünïcödé 日本 👍"), "plain ünïcödé 日本 👍")
        XCTAssertEqual(VisibleText.sanitize("\u{1B}]0;owned\u{07}title"), "^[]0;owned^Gtitle")
        XCTAssertEqual(VisibleText.sanitize("a\u{1B}[2Jb"), "a^[[2Jb")
        XCTAssertEqual(VisibleText.sanitize("x\u{9B}31my"), "x\u{FFFD}31my")
        XCTAssertEqual(VisibleText.sanitize("evil\u{202E}txt.exe"), "evil\u{FFFD}txt.exe")
        XCTAssertEqual(VisibleText.sanitize("line1\nline2\tx"), "line1^Jline2 x")
        XCTAssertEqual(VisibleText.sanitize("line1\nline2\tx", keepNewlines: true), "line1\nline2\tx")
        XCTAssertEqual(VisibleText.sanitize("del\u{7F}"), "del^?")
        // CRLF is a line break where line breaks are kept; a lone CR (it could overprint) is shown.
        XCTAssertEqual(VisibleText.sanitize("a\r\nb\r\n", keepNewlines: true), "a\nb\n")
        XCTAssertEqual(VisibleText.sanitize("Approved\rDenied", keepNewlines: true), "Approved^MDenied")
        XCTAssertEqual(VisibleText.sanitize("a\r\nb"), "a^M^Jb")
        XCTAssertEqual(VisibleText.sanitize("osc52 \u{1B}]52;c;ZXZpbA==\u{07} c1 \u{85}\u{9D}", keepNewlines: true),
                       "osc52 ^[]52;c;ZXZpbA==^G c1 \u{FFFD}\u{FFFD}")
    }

    func testEverySummaryReadsAsASentence() {
        let now = Date(timeIntervalSince1970: 0)
        XCTAssertEqual(Event.assigned(ticket: 1, to: "bob", from: "alice").summary, "assigned it to bob (taken from alice)")
        XCTAssertEqual(Event.escalated(ticket: 1, tier: 2, reason: "db").summary, "escalated to tier 2: db")
        XCTAssertEqual(Event.followUpScheduled(ticket: 1, due: now, note: nil).summary,
                       "scheduled a follow-up for 1970-01-01T00:00:00.000Z")
        XCTAssertEqual(Event.tagsChanged(ticket: 1, added: ["a"], removed: ["b"]).summary, "changed tags +a -b")
    }
}
