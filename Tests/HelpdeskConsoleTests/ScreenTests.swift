import XCTest
@testable import HelpdeskConsole
import HelpdeskCore

/// Whole screens for given desks and sizes.
final class ScreenTests: XCTestCase {
    func testMediumTerminalShowsQueueBesideTicketAndCustomer() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire", priority: .urgent, body: "It is really on fire.", hoursAgo: 2)
        try fixture.open("Invoice question", email: "max@example.org", name: "Max", hoursAgo: 1)
        try fixture.run(.take(ticket: 1, steal: false), as: "alice", hoursAgo: 1)
        try fixture.run(.reply(ticket: 1, body: "Please use the extinguisher."), as: "alice", hoursAgo: 0.5)
        assertScreen(fixture.screen(rows: 14, columns: 120), [
            " Queue · all open · 2 · by urgency                                │ #1 Printer on fire",
            "ID * PRI    STATUS WHO   FU DUE/SLA CUSTOMER SUBJECT              │ open · urgent · tier 1 · assigned to alice · email",
            "#1   urgent open   alice    2h      Jane Doe Printer on fire      │",
            "#2   normal new    -        7h      Max      Invoice question     │ ── customer · jane@example.com · 2026-11-20 10:00",
            "                                                                  │ It is really on fire.",
            "                                                                  │",
            "                                                                  │ ── reply · alice · 2026-11-20 11:30",
            "                                                                  │ Please use the extinguisher.",
            "                                                                  │ Jane Doe",
            "                                                                  │ jane@example.com",
            "                                                                  │",
            "                                                                  │ tickets (1)",
            "                                                                  │ #1 open 2026-11-20 Printer on fire",
            " alice · desk.log · live · 2 in view · 1 mine                                                            ? help  q quit",
        ])
    }

    func testNarrowTerminalShowsOnePaneAndTabSwitches() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        var lines = fixture.screen(rows: 24, columns: 80).lines
        XCTAssertEqual(lines[0], " queue   ticket   customer   Tab switches")
        XCTAssertTrue(lines[1].hasPrefix(" Queue · all open · 1"))
        fixture.press(.tab)
        lines = fixture.screen(rows: 24, columns: 80).lines
        XCTAssertTrue(lines[1].hasPrefix(" #1 Printer on fire"), lines[1])
        fixture.press(.tab)
        lines = fixture.screen(rows: 24, columns: 80).lines
        XCTAssertEqual(lines[1], " Jane Doe")
    }

    func testTinyTerminalSaysSoAndDoesNotCrash() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        assertScreen(fixture.screen(rows: 6, columns: 20), [
            "terminal too small:",
            "20×6, need 40×8",
            "", "", "", "",
        ])
        for rows in 0...9 {
            for columns in [0, 1, 2, 10, 39, 40, 41, 79, 80, 109, 110, 159, 160, 250] {
                _ = fixture.screen(rows: rows, columns: columns)
            }
        }
    }

    func testHostileTextCannotReachTheTerminal() throws {
        let fixture = try ConsoleFixture()
        let subject = "\u{1B}]0;owned\u{07}\u{1B}[2J evil\u{202E}txt \u{9B}31m"
        try fixture.open(subject, name: "Mallory\u{1B}[31m", body: "line1\n\u{1B}[1;1Hline2\u{0}\r end")
        let grid = fixture.screen(rows: 12, columns: 120)
        for row in 0..<grid.rows {
            for column in 0..<grid.columns {
                for scalar in grid[row, column].text.unicodeScalars {
                    XCTAssertFalse(scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) || scalar.value == 0x202E,
                                   "control U+\(String(scalar.value, radix: 16)) at \(row),\(column)")
                }
            }
        }
        let text = grid.lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("^[]0;owned^G^[[2J evil\u{FFFD}txt"), text)
        XCTAssertTrue(text.contains("^[[1;1Hline2^@^M end"), text)
    }

    func testControlsInABodyAreWrappedAsTheyAreShownAndNoWordIsLost() throws {
        let fixture = try ConsoleFixture()
        let body = String(repeating: "\u{01}", count: 40) + " alpha bravo charlie delta echo foxtrot golf hotel"
        try fixture.open("Controls", body: body)
        for columns in [120, 200, 60] {
            if columns == 60 { fixture.press(.tab) }  // one pane at a time: the ticket's
            let lines = fixture.screen(rows: 24, columns: columns).lines
            let text = lines.joined(separator: "\n")
            // A run of controls longer than a line is cut, perhaps between `^` and `A`.
            XCTAssertEqual(text.filter { $0 == "^" }.count, 40, "every control shown once:\n\(text)")
            XCTAssertFalse(text.contains("…"), "nothing is cut off at the pane's edge:\n\(text)")
            for word in ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"] {
                XCTAssertTrue(text.contains(word), "\(word) is missing at \(columns) columns:\n\(text)")
            }
        }
    }

    func testCRLFBodiesShowAsLines() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Web form", body: "first line here\r\nsecond line here\r\n\r\nafter a blank line")
        let lines = fixture.screen(rows: 24, columns: 120).lines
        let text = lines.joined(separator: "\n")
        XCTAssertFalse(text.contains("^M") || text.contains("^J"), text)
        let first = try XCTUnwrap(lines.firstIndex { $0.contains("first line here") }, text)
        XCTAssertTrue(lines[first + 1].contains("second line here"), text)
        XCTAssertFalse(lines[first].contains("second"), text)
        XCTAssertTrue(lines[first + 3].contains("after a blank line"), text)
    }

    func testWrappingMeasuresWhatIsDrawn() {
        XCTAssertEqual(TextWidth.wrap("a\r\nb\nc", width: 10), ["a", "b", "c"])
        XCTAssertEqual(TextWidth.wrap("x\ry", width: 10), ["x^My"], "a lone CR is shown, not obeyed")
        XCTAssertEqual(TextWidth.wrap("\u{1B}[2J clear", width: 6), ["^[[2J", "clear"])
        XCTAssertEqual(TextWidth.wrap(String(repeating: "\u{01}", count: 4) + " ab", width: 8), ["^A^A^A^A", "ab"])
        for line in TextWidth.wrap(String(repeating: "\u{01}", count: 40) + " words", width: 30) {
            XCTAssertLessThanOrEqual(TextWidth.columns(of: line), 30, line)
        }
    }

    func testWideAndCombiningCharactersKeepColumnsAligned() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("日本語のサブジェクト", email: "kenji@example.jp", name: "田中 健二")
        try fixture.open("Cafe\u{301} au lait 👍", email: "zoe@example.com", name: "Zoe\u{308}")
        let grid = fixture.screen(rows: 10, columns: 120)
        for row in 2...3 {
            var width = 0
            for column in 0..<grid.columns where !grid[row, column].text.isEmpty || true { width += 1 }
            XCTAssertEqual(width, 120)
            // The separator stays in its column whatever the row holds.
            XCTAssertEqual(grid[row, 66].text, "│", grid.line(row))
        }
        XCTAssertTrue(grid.line(2).contains("田中 健二"), grid.line(2))
        XCTAssertTrue(grid.line(3).contains("Zoë"), grid.line(3))
        let wide = try XCTUnwrap((0..<grid.columns).first { grid[2, $0].text == "田" })
        XCTAssertEqual(grid[2, wide + 1].text, "", "a wide character takes two cells, the second empty")
    }

    func testLongBodiesAreCutOnScreen() throws {
        let fixture = try ConsoleFixture()
        let body = String(repeating: "word ", count: 40_000)  // 200 KB
        try fixture.open("Huge", body: body)
        let lines = fixture.screen(rows: 20, columns: 120).lines
        XCTAssertTrue(lines.contains { $0.contains("more bytes: helpdesk show 1 prints it all") }, lines.joined(separator: "\n"))
    }

    func testMailDeliveryAndAttachmentsShowInTheConversation() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Invoice", body: "See attached")
        _ = try fixture.log.append(actor: "desk", now: fixture.now) { _, _ throws(Refusal) in
            [.messageReceived(ticket: 1, message: 1, channel: .email, externalID: "m1@example.com",
                              from: "someone.else@example.org", raw: nil, automatic: nil),
             .attachmentAdded(ticket: 1, message: 1, name: "invoice.pdf", type: "application/pdf", size: 2048, sha256: "ab")]
        }
        try fixture.run(.reply(ticket: 1, body: "Thanks, looking."), as: "alice")
        _ = try fixture.log.append(actor: "desk", now: fixture.now) { _, _ throws(Refusal) in
            [.mailQueued(ticket: 1, mail: 1, message: 2), .mailFailed(ticket: 1, mail: 1, error: "sendmail exited with 75")]
        }
        fixture.press(.tab)
        let text = fixture.screen(rows: 24, columns: 100).lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("someone.else@example.org, NOT the ticket's customer"), text)
        XCTAssertTrue(text.contains("[attachment 1] invoice.pdf (application/pdf, 2048 bytes)"), text)
        XCTAssertTrue(text.contains("MAIL FAILED (1×): sendmail exited with 75"), text)
    }

    func testABouncedMailShowsAsFailedWithItsReason() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Invoice", body: "See attached")
        try fixture.run(.reply(ticket: 1, body: "Thanks, looking."), as: "alice")
        _ = try fixture.log.append(actor: "desk", now: fixture.now) { _, _ throws(Refusal) in
            [.mailQueued(ticket: 1, mail: 1, message: 2), .mailSent(ticket: 1, mail: 1, messageID: "m@acme"),
             .mailFailed(ticket: 1, mail: 1, error: "bounced: jane@example.com: 5.1.1 unknown user")]
        }
        fixture.press(.tab)
        let text = fixture.screen(rows: 24, columns: 100).lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("MAIL FAILED: bounced: jane@example.com: 5.1.1 unknown user"), text)
    }

    func testTheLoadingBarShowsHowFarTheReplayGot() {
        let grid = CellGrid(rows: 10, columns: 80)
        LoadingBar.draw(done: 150_000_000, total: 400_000_000, path: "/srv/desk/desk.log", on: grid)
        XCTAssertEqual(grid.lines[4], "          loading desk.log: 37% (150 MB of 400 MB)")
        XCTAssertEqual(grid.lines[5], "          " + String(repeating: "█", count: 22) + String(repeating: "░", count: 38))
        LoadingBar.draw(done: 1, total: 0, path: "x", on: CellGrid(rows: 2, columns: 5))
    }
}
