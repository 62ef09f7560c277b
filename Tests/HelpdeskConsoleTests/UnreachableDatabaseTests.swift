import Foundation
import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog
import HelpdeskTestSupport

/// The console while its follower says the desk's database cannot be reached (told here through
/// `connectionTrouble`, on a file desk: the database itself is tested end to end in
/// ConsoleDatabaseDeskTests): it says "reconnecting…", reads and writes nothing, keeps working
/// on what it has, keeps a reply as a draft, and catches up when the follower is back.
final class UnreachableDatabaseTests: XCTestCase {
    private let reason = "cannot reach the desk's database postgresql://db.example/desk: connection refused"

    private func statusLine(_ grid: CellGrid) -> String { grid.lines.last ?? "" }

    func testReconnectingKeepsTheConsoleWorkingAndTheReplyADraft() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire", hoursAgo: 2)
        try fixture.open("VPN drops", hoursAgo: 1)
        var trouble: String?
        fixture.console.connectionTrouble = { trouble }
        let console = fixture.console
        XCTAssertEqual(console.state.selected, 1)

        trouble = reason
        try fixture.appendElsewhere(.take(ticket: 2, steal: false), as: "bob")
        XCTAssertTrue(console.catchUp(), "the status line changes")
        XCTAssertNil(console.desk.ticket(2)?.assignee, "nothing is read while the database cannot be reached")
        var grid = fixture.screen()
        XCTAssertEqual(statusLine(grid).trimmingCharacters(in: .whitespaces), "reconnecting… " + reason)
        XCTAssertEqual(grid[grid.rows - 1, 0].role, .warning)
        XCTAssertFalse(console.catchUp(), "the same trouble again is no news")

        // Keys still work on what the console has.
        fixture.press(.character("j"))
        XCTAssertEqual(console.state.selected, 2)
        fixture.press(.character("k"))

        // A reply is not written, and is kept.
        let seq = try DeskLog(path: fixture.path, writable: false).desk.lastSeq
        fixture.press(.character("r"))
        fixture.type("On its way.")
        fixture.press(.control("d"))
        XCTAssertFalse(console.isWaitingForLog)
        XCTAssertEqual(console.state.drafts[1]?.text, "On its way.", "the reply is kept")
        XCTAssertEqual(try DeskLog(path: fixture.path, writable: false).desk.lastSeq, seq, "nothing was written")
        grid = fixture.screen()
        XCTAssertEqual(statusLine(grid).trimmingCharacters(in: .whitespaces), "reconnecting… nothing was written: "
                       + "the desk's database cannot be reached; the reply on #1 is kept as a draft")
        // Other appends are not tried either.
        fixture.press(.character("t"))
        XCTAssertEqual(console.state.message?.text, "nothing was written: the desk's database cannot be reached")
        XCTAssertNil(console.desk.ticket(1)?.assignee)

        // Back: the console catches up, and the outage is forgotten on the status line.
        trouble = nil
        XCTAssertTrue(console.catchUp())
        XCTAssertEqual(console.desk.ticket(2)?.assignee, "bob")
        XCTAssertNil(console.state.reconnecting)
        XCTAssertNil(console.state.message, "what was said of the outage goes with it")
        XCTAssertTrue(statusLine(fixture.screen()).hasPrefix(" alice · desk.log · live"), statusLine(fixture.screen()))
        fixture.press(.character("r"), .control("d"))
        XCTAssertEqual(console.desk.ticket(1)?.messages.last?.kind, .reply)
        XCTAssertTrue(console.state.drafts.isEmpty)
    }

    func testAMessageOfItsOwnOutlivesTheOutage() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        var trouble: String? = reason
        fixture.console.connectionTrouble = { trouble }
        fixture.console.catchUp()
        fixture.console.state.message = StatusMessage(text: "sorted by newest", isError: false)
        XCTAssertEqual(statusLine(fixture.screen()).trimmingCharacters(in: .whitespaces), "reconnecting… sorted by newest")
        trouble = nil
        fixture.console.catchUp()
        XCTAssertEqual(fixture.console.state.message?.text, "sorted by newest")
    }
}
