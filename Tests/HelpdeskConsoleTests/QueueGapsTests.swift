import Foundation
import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog

/// The gaps found trying the console: due follow-ups, the filter in the title, `Esc` and `/`,
/// keys only on the filtered list, the subject's width, the rating, `via`, the columns in `?`.
final class QueueGapsTests: XCTestCase {
    /// "Printer on fire" (#1) and "Password reset" (#2).
    private func twoTickets() throws -> ConsoleFixture {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire", hoursAgo: 2)
        try fixture.open("Password reset")
        return fixture
    }

    /// `/`, the text, `Enter`: the filter kept, its prompt closed.
    private func filter(_ fixture: ConsoleFixture, _ text: String) {
        fixture.press(.character("/"))
        fixture.type(text)
        fixture.press(.enter)
    }

    func testADueFollowUpIsMarkedInTheQueue() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Call back Jane", hoursAgo: 3)
        try fixture.open("Not yet")
        try fixture.run(.take(ticket: 1, steal: false), as: "alice", hoursAgo: 3)
        try fixture.run(.scheduleFollowUp(ticket: 1, due: fixture.now.addingTimeInterval(-1800), note: nil), as: "alice", hoursAgo: 2)
        try fixture.run(.take(ticket: 2, steal: false), as: "alice")
        try fixture.run(.scheduleFollowUp(ticket: 2, due: fixture.now.addingTimeInterval(3600), note: nil), as: "alice")
        let lines = fixture.screen(rows: 24, columns: 160).lines
        let header = try XCTUnwrap(lines.first { $0.hasPrefix("ID") })
        let column = try XCTUnwrap(header.range(of: "FU")).lowerBound.utf16Offset(in: header)
        let due = try XCTUnwrap(lines.first { $0.hasPrefix("#1 ") }), notDue = try XCTUnwrap(lines.first { $0.hasPrefix("#2 ") })
        XCTAssertEqual(String(Array(due)[column..<column + 3]), "due", due)
        XCTAssertEqual(String(Array(notDue)[column..<column + 3]), "   ", notDue)
    }

    func testTheFilterIsInTheTitleEscClearsItAndSlashStartsAnew() throws {
        let fixture = try twoTickets()
        filter(fixture, "printer")
        XCTAssertEqual(fixture.console.queue.ids, [1])
        XCTAssertTrue(fixture.screen(rows: 24, columns: 120).lines[0].hasPrefix(" Queue · all open · 1 · by urgency · /printer (Esc clears)"),
                      fixture.screen().lines[0])
        fixture.press(.character("/"))
        XCTAssertEqual(fixture.console.state.mode, .prompt(.filter, text: ""), "a new filter, not the old one to edit")
        XCTAssertEqual(fixture.console.queue.ids, [1, 2])
        fixture.type("password")
        fixture.press(.enter)
        XCTAssertEqual(fixture.console.queue.ids, [2])
        XCTAssertEqual(fixture.console.state.selected, 2)
        fixture.press(.escape)
        XCTAssertEqual(fixture.console.state.filter, "")
        XCTAssertEqual(fixture.console.queue.ids, [1, 2])
        XCTAssertTrue(fixture.screen().lines[0].hasPrefix(" Queue · all open · 2 · by urgency  "), fixture.screen().lines[0])
    }

    func testKeysNeverActOnATicketOutsideTheFilteredList() throws {
        let fixture = try twoTickets()
        filter(fixture, "nothing like it")
        XCTAssertEqual(fixture.console.queue.ids, [])
        XCTAssertNil(fixture.console.state.selected)
        fixture.press(.character("t"))
        XCTAssertEqual(fixture.console.state.message, StatusMessage(text: "no ticket selected", isError: true))

        fixture.press(.escape)
        try fixture.run(.changeTags(ticket: 1, add: ["vip"], remove: []), as: "sam")
        fixture.console.catchUp()
        filter(fixture, "vip")
        XCTAssertEqual(fixture.console.state.selected, 1)
        // Another console's change takes the selected ticket out of the filtered list while alice looks.
        try fixture.appendElsewhere(.changeTags(ticket: 1, add: [], remove: ["vip"]), as: "sam")
        fixture.console.catchUp()
        XCTAssertEqual(fixture.console.queue.ids, [])
        XCTAssertEqual(fixture.console.state.selected, 1, "the ticket pane still shows it")
        fixture.press(.character("s"))
        XCTAssertEqual(fixture.console.desk.ticket(1)?.status, .new)
        XCTAssertTrue(fixture.console.state.message?.text.hasPrefix("#1 is not in the filtered list") ?? false,
                      "\(String(describing: fixture.console.state.message))")

        try fixture.appendElsewhere(.openTicket(customerEmail: "x@example.com", customerName: nil, subject: "Server room flood",
                                                channel: .phone, priority: .urgent, body: nil), as: "bob")
        fixture.console.catchUp()
        fixture.press(.character("N"))  // takes #3, the urgent one, which the filter hides: the filter goes
        XCTAssertEqual(fixture.console.desk.ticket(3)?.assignee, "alice")
        XCTAssertEqual(fixture.console.state.selected, 3)
        XCTAssertEqual(fixture.console.state.filter, "")
    }

    func testTheSubjectTakesTheQueuesSpareWidth() throws {
        let fixture = try ConsoleFixture()
        let subject = "Printer jams daily"
        try fixture.open(subject)
        let lines = fixture.screen(rows: 24, columns: 160).lines
        let row = try XCTUnwrap(lines.first { $0.hasPrefix("#1 ") })
        XCTAssertTrue(row.contains(subject) && !row.contains("…"), "the whole subject at 160 columns (14 columns were left it once):\n\(row)")
        let header = try XCTUnwrap(lines.first { $0.hasPrefix("ID") })
        let queueWidth = 160 * 45 / 100
        let subjectColumn = try XCTUnwrap(header.range(of: "SUBJECT")).lowerBound.utf16Offset(in: header)
        XCTAssertGreaterThanOrEqual(queueWidth - subjectColumn, queueWidth / 4, header)
        XCTAssertTrue(row.contains("Jane Doe"), "and the customer still fits:\n\(row)")
    }

    func testTheTicketHeaderShowsTheRating() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        try fixture.run(.resolve(ticket: 1), as: "sam")
        try fixture.run(.rate(ticket: 1, score: 4, comment: "Quick, thanks"), as: "sam")
        fixture.console.state.view = .solved
        let lines = fixture.screen(rows: 24, columns: 120).lines
        XCTAssertTrue(lines.contains { $0.contains("rated 4/5 by the customer: Quick, thanks") }, lines.joined(separator: "\n"))
    }

    func testHistoryShowsWhoActedAsAnother() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        _ = try fixture.log.append(actor: "alice", via: "root", now: fixture.now) { desk, time throws(Refusal) in
            try Rules.decide(.take(ticket: 1, steal: false), by: "alice", at: time, on: desk)
        }
        fixture.press(.character("h"))
        let lines = fixture.screen(rows: 24, columns: 120).lines
        XCTAssertTrue(lines.contains { $0.contains("alice via root: assigned it to") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.contains("bob: opened") && !$0.contains("via") }, lines.joined(separator: "\n"))
    }

    func testOBringsHeldAndPendingTicketsBackToOpen() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        fixture.press(.character("t"), .character("H"))
        XCTAssertEqual(fixture.console.desk.ticket(1)?.status, .onHold)
        fixture.press(.character("o"))
        XCTAssertEqual(fixture.console.desk.ticket(1)?.status, .open)
        XCTAssertEqual(fixture.console.state.message?.text, "reopened #1")
        fixture.press(.character("f"))
        fixture.type("2h")
        fixture.press(.enter, .character("o"))
        XCTAssertEqual(fixture.console.desk.ticket(1)?.status, .open)
        XCTAssertNil(fixture.console.desk.ticket(1)?.followUp)
        fixture.press(.character("o"))
        XCTAssertEqual(fixture.console.state.message, StatusMessage(text: "ticket 1 is open, not solved, pending or on hold", isError: true))
    }

    func testTheHelpExplainsEveryColumn() {
        let lines = Overlays.helpLines(focus: .queue).map(\.0)
        let start = try? XCTUnwrap(lines.firstIndex(of: "Queue columns"))
        let explained = lines.dropFirst((start ?? lines.count) + 1).map { $0.split(separator: " ").first.map(String.init) ?? "" }
        XCTAssertEqual(explained, QueuePane.columns.map(\.title) + ["SUBJECT"])
        XCTAssertTrue(lines.contains { $0.hasPrefix("  HEARD") && $0.contains("since the customer last heard from us") })
        XCTAssertTrue(lines.contains { $0.contains("Space") && $0.contains("mark or unmark the ticket") })
    }
}
