import Foundation
import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog

/// A console opened at a moment (`helpdesk --at`): read-only, its clock that moment, stepped
/// through the log with [ ] { } and back to now with Esc.
final class ConsoleTimeTravelTests: XCTestCase {
    var fixture: ConsoleFixture!
    let utc = TimeZone(identifier: "UTC")!

    /// Records at 07:00 (#1 opened), 08:00 (carol takes #1), 09:00 (#2), 11:00 (#3); now is 12:00.
    override func setUpWithError() throws {
        fixture = try ConsoleFixture()
        try fixture.open("Printer on fire", hoursAgo: 5)
        try fixture.run(.take(ticket: 1, steal: false), as: "carol", hoursAgo: 4)
        try fixture.open("Invoice question", hoursAgo: 3)
        try fixture.open("Feature request", hoursAgo: 1)
    }

    override func tearDown() { fixture = nil }

    func hoursAgo(_ hours: Double) -> Date { fixture.now.addingTimeInterval(-hours * 3600) }

    func console(at moment: Date) throws -> Console {
        let log = try DeskLog(location: .file(path: fixture.path), asOf: moment)
        return Console(past: log, at: DeskMoment(moment: moment, realClock: { [unowned self] in fixture.now }, timeZone: utc),
                       me: "alice")
    }

    /// The console's desk is the one `DeskLog(asOf:)` opens at `moment`, and its clock is that moment.
    func assertLooks(_ console: Console, at moment: Date, tickets: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let fresh = try DeskLog(location: .file(path: fixture.path), asOf: moment)
        XCTAssertEqual(console.now, moment, file: file, line: line)
        XCTAssertEqual(console.travel?.moment, moment, file: file, line: line)
        XCTAssertEqual(console.desk.lastSeq, fresh.desk.lastSeq, file: file, line: line)
        XCTAssertEqual(console.desk.tickets.count, tickets, file: file, line: line)
        XCTAssertEqual(console.queue.ids.sorted(), fresh.desk.activeTickets.map(\.id).sorted(), file: file, line: line)
    }

    func size() throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: fixture.path)[.size] as? NSNumber)!.intValue
    }

    func testEveryKeyThatWouldChangeTheDeskSaysItIsReadOnlyAndWritesNothing() throws {
        let console = try console(at: hoursAgo(22))  // 14:00 yesterday: the desk and its agents, no ticket yet
        let later = try self.console(at: hoursAgo(2))
        let before = try size()
        let changing = KeyTable.standard.rows.filter { [.assign, .write, .change].contains($0.group) && $0.scope == .console }
        XCTAssertEqual(Set(changing.map(\.action)).count, 21, "merge, link and attach among them")
        for (subject, text) in [(console, "looking at 14:00 yesterday: read-only"), (later, "looking at 10:00 today: read-only")] {
            for row in changing {
                subject.state.mode = .normal
                XCTAssertEqual(subject.handle(row.keys[0]), .none)
                XCTAssertEqual(subject.state.message?.text, text, "\(row.action)")
                XCTAssertEqual(subject.state.mode, .normal, "\(row.action) opens nothing")
            }
        }
        XCTAssertEqual(try size(), before, "nothing was written")
        XCTAssertEqual(later.selectedTicket?.assignee, "carol", "t took nothing")
    }

    func testTheStatusLineShowsTheMomentInTheWarningColour() throws {
        fixture.console = try console(at: hoursAgo(2))
        let grid = fixture.screen(rows: 20, columns: 120)
        let status = grid.line(19)
        XCTAssertTrue(status.hasPrefix(" looking at 10:00 today · read-only  alice · desk.log · 2 in view"), status)
        XCTAssertFalse(status.contains("live"), status)
        let momentEnd = " looking at 10:00 today · read-only ".count
        XCTAssertTrue((0..<momentEnd).allSatisfy { grid[19, $0].role == .warning })
        XCTAssertEqual(grid[19, momentEnd + 1].role, .statusLine)
    }

    /// Presses each key in turn, checking the desk it lands on (hours ago, tickets then).
    func step(_ console: Console, _ steps: [(key: Character, hoursAgo: Double, tickets: Int)],
              file: StaticString = #filePath, line: UInt = #line) throws {
        for step in steps {
            _ = console.handle(.character(step.key))
            try assertLooks(console, at: hoursAgo(step.hoursAgo), tickets: step.tickets, file: file, line: line)
        }
    }

    func testBracketsStepOneRecordAndTheTicketIsShownAsItWas() throws {
        let console = try console(at: hoursAgo(2))  // 10:00: #1 (carol's) and #2
        try assertLooks(console, at: hoursAgo(2), tickets: 2)
        try step(console, [("[", 4, 1)])  // before the 09:00 record: 08:00, carol takes #1
        XCTAssertEqual(console.selectedTicket?.assignee, "carol")
        try step(console, [("[", 5, 1)])  // 07:00: #1 just opened, nobody's
        XCTAssertNil(console.selectedTicket?.assignee)
        try step(console, [("]", 4, 1), ("]", 3, 2), ("]", 1, 3), ("]", 1, 3)])
        XCTAssertEqual(console.state.message?.text, "no record after 11:00 today")
    }

    func testBracketBackStopsAtTheFirstRecord() throws {
        let console = try console(at: hoursAgo(24))  // the desk's first records, all at 12:00 yesterday
        try step(console, [("[", 24, 0)])
        XCTAssertEqual(console.state.message?.text, "no record before 12:00 yesterday")
    }

    func testBracesStepAnHourAndNeverPastNow() throws {
        let console = try console(at: hoursAgo(2.5))  // 09:30
        try step(console, [("{", 3.5, 1), ("}", 2.5, 2), ("}", 1.5, 2), ("}", 0.5, 3), ("}", 0, 3)])
    }

    func testEscapeWithNothingToClearGoesToNowStillReadOnly() throws {
        let console = try console(at: hoursAgo(5))
        _ = console.handle(.character(" "))  // a mark: Esc clears it first
        _ = console.handle(.escape)
        try assertLooks(console, at: hoursAgo(5), tickets: 1)
        _ = console.handle(.escape)
        try assertLooks(console, at: fixture.now, tickets: 3)
        XCTAssertEqual(console.state.message?.text, "now, still read-only: quit and run helpdesk for the live desk")
        _ = console.handle(.character("s"))
        XCTAssertEqual(console.state.message?.text, "looking at 12:00 today: read-only")
    }

    func testALiveConsoleStepsIntoThePastReadOnlyAndEscComesBackToTheLiveDesk() throws {
        let live = fixture.console
        _ = live.handle(.character("]"))
        XCTAssertEqual(live.state.message?.text, "already at now: [ or { steps back into the past")
        XCTAssertNil(live.travel)
        try step(live, [("[", 3, 2)])  // before the newest record (11:00): 09:00, #1 and #2
        let before = try size()
        for key: Character in ["t", "s", "r"] {
            live.state.mode = .normal
            _ = live.handle(.character(key))
            let said = live.state.message?.text ?? ""
            XCTAssertTrue(said.hasPrefix("looking at ") && said.hasSuffix(": read-only (Esc: back to now)"), said)
        }
        XCTAssertEqual(try size(), before, "nothing was written")
        // Another process writes meanwhile: the past it looks at stays as it was.
        try fixture.appendElsewhere(.openTicket(customerEmail: "new@example.com", customerName: nil, subject: "Meanwhile",
                                                channel: .chat, priority: .high, body: "hi"), as: "bob")
        XCTAssertFalse(live.catchUp())
        XCTAssertFalse(live.recordDueBreaches(), "no escalation is recorded while it looks at the past")
        try step(live, [("{", 4, 1), ("]", 3, 2)])

        _ = live.handle(.escape)
        XCTAssertNil(live.travel)
        XCTAssertEqual(live.state.message?.text, "back to now: the live desk")
        XCTAssertEqual(live.now, fixture.now)
        XCTAssertEqual(live.desk.tickets.count, 4, "caught up with what was written meanwhile")
        XCTAssertEqual(live.queue.ids.sorted(), [1, 2, 3, 4])
        XCTAssertFalse(fixture.screen(rows: 20, columns: 120).line(19).contains("read-only"))
        // Live again: its keys change the desk.
        live.state.selected = 4
        _ = live.handle(.character("t"))
        XCTAssertEqual(live.desk.ticket(4)?.assignee, "alice", live.state.message?.text ?? "")
        XCTAssertGreaterThan(try size(), before)
    }

    func testAConsoleQuittingInThePastClosesOnTheLiveDesk() throws {
        let live = fixture.console
        try fixture.run(.team(.available(until: nil)), as: "alice")
        _ = live.handle(.character("{"))
        XCTAssertNotNil(live.travel)
        live.consoleClosing(othersOpen: false)
        XCTAssertNil(live.travel)
        XCTAssertEqual(try DeskLog(path: fixture.path, writable: false).desk.team.availability["alice"]?.available, false,
                       "the last console closing made alice away, in the live log")
    }

    func testTheMomentInWords() {
        let now = Timestamp.parse("2026-11-20T12:00:00Z")!  // a Friday
        func words(_ text: String) -> String { MomentWords.words(Timestamp.parse(text)!, now: now, timeZone: utc) }
        XCTAssertEqual(words("2026-11-20T09:05:00Z"), "09:05 today")
        XCTAssertEqual(words("2026-11-19T14:05:00Z"), "14:05 yesterday")
        XCTAssertEqual(words("2026-11-19T14:05:07Z"), "14:05:07 yesterday")
        XCTAssertEqual(words("2026-11-15T23:59:00Z"), "23:59 Sun 15 Nov")
        XCTAssertEqual(words("2025-01-02T08:00:00Z"), "08:00 2 Jan 2025")
    }
}
