import Foundation
import XCTest

/// Working a ticket from the keyboard: each key's change reaches the log (checked with the CLI).
final class ConsoleActionTests: ConsoleE2ECase {
    func testTakeAssignsTheSelectedTicketToMe() throws {
        try openDemoConsole(selecting: 7)
        try tmux.type("main", "t")
        let screen = try waitForScreen(contains: "took #7")
        XCTAssertTrue(Self.queueRow(screen, 7)?.contains("root") ?? false, "the row shows the new assignee:\n\(screen)")
        XCTAssertTrue(screen.contains("assigned to root"), screen)
        let ticket = try ticket(7)
        XCTAssertEqual(ticket.string("assignee"), "root")
        XCTAssertEqual(ticket.string("status"), "open", "work on a new ticket opens it")
    }

    func testGiveCompletesTheAgentWithTabAndAssigns() throws {
        try openDemoConsole(selecting: 6)
        try tmux.type("main", "g")
        try waitForScreen(contains: "give #6 to (Tab completes): ")
        try tmux.type("main", "ca")
        try waitForScreen(contains: "give #6 to (Tab completes): ca▏")
        try tmux.press("main", "Tab")
        try waitForScreen(contains: "give #6 to (Tab completes): carol▏")
        try tmux.press("main", "Enter")
        let screen = try waitForScreen(contains: "gave #6 to carol")
        XCTAssertTrue(Self.queueRow(screen, 6)?.contains("carol") ?? false, screen)
        XCTAssertEqual(try ticket(6).string("assignee"), "carol")
    }

    func testEscapeCancelsAPromptWithoutChangingAnything() throws {
        try openDemoConsole(selecting: 6)
        try tmux.type("main", "g")
        try waitForScreen(contains: "give #6 to (Tab completes): ")
        try tmux.type("main", "bob")
        try waitForScreen(contains: "give #6 to (Tab completes): bob▏")
        try tmux.press("main", "Escape")
        try waitForScreen(lacks: "give #6 to")
        try waitForScreen(contains: "? help  q quit")
        XCTAssertTrue(try ticket(6)["assignee"] is NSNull, "Esc gave nothing")
    }

    func testFollowUpInTwoHoursMakesTheTicketPending() throws {
        try openDemoConsole(selecting: 7)
        try tmux.type("main", "f")
        try waitForScreen(contains: "follow up #7 in/at")
        try tmux.type("main", "2h")
        try tmux.press("main", "Enter")
        let screen = try waitForScreen(contains: "#7 is pending until its follow-up")
        XCTAssertTrue(Self.queueRow(screen, 7)?.contains("pending") ?? false, screen)
        let ticket = try ticket(7)
        XCTAssertEqual(ticket.string("status"), "pending")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let due = try XCTUnwrap(ticket.string("follow_up_at").flatMap(formatter.date(from:)), "\(ticket)")
        XCTAssertEqual(due.timeIntervalSinceNow, 2 * 3600, accuracy: 120, "due in two hours")
    }

    func testEscalateAsksTheReasonAndRaisesTheTier() throws {
        try openDemoConsole(selecting: 7)
        XCTAssertEqual(try ticket(7).int("tier"), 1)
        try tmux.type("main", "e")
        try waitForScreen(contains: "escalate #7, reason: ")
        try tmux.type("main", "press is watching")
        try tmux.press("main", "Enter")
        let screen = try waitForScreen(contains: "escalated #7")
        XCTAssertTrue(screen.contains("tier 2"), "the ticket header shows the new tier:\n\(screen)")
        let ticket = try ticket(7)
        XCTAssertEqual(ticket.int("tier"), 2)
        let history = try XCTUnwrap(ticket["history"] as? [[String: Any]])
        let escalation = try XCTUnwrap(history.last { ($0["event"] as? [String: Any])?["type"] as? String == "ticket.escalated" },
                                       "\(history)")
        XCTAssertEqual(escalation.string("actor"), "root")
        XCTAssertEqual((escalation["event"] as? [String: Any])?["reason"] as? String, "press is watching")
    }

    /// `r` suspends curses, runs $EDITOR on a temporary file and sends what it saved; an empty
    /// file sends nothing.
    func testReplyThroughTheEditor() throws {
        try makeDemoDesk()
        let (editor, body) = try editorSaving()
        try openConsole(environment: ["EDITOR": editor])
        try select(6)
        let before = try XCTUnwrap(try ticket(6).int("message_count"))

        try tmux.type("main", "r")
        try waitForScreen(contains: "nothing written; the reply was not sent")
        XCTAssertEqual(try ticket(6).int("message_count"), before, "an empty file sends nothing")

        let text = "Hi Giulia, the team plan is switched on — enjoy!"
        try (text + "\n").write(toFile: body, atomically: true, encoding: .utf8)
        try tmux.type("main", "r")
        var screen = try waitForScreen(contains: "sent the reply on #6")
        screen = try waitForScreen(contains: "Hi Giulia, the team plan is switched on")
        XCTAssertTrue(screen.contains(" Queue · all open"), "the console is back after the editor:\n\(screen)")
        let ticket = try ticket(6)
        XCTAssertEqual(ticket.int("message_count"), before + 1)
        let last = try XCTUnwrap((ticket["messages"] as? [[String: Any]])?.last)
        XCTAssertEqual(last.string("kind"), "reply")
        XCTAssertEqual(last.string("author"), "root")
        XCTAssertEqual(last.string("body")?.trimmingCharacters(in: .whitespacesAndNewlines), text)
    }

    /// Without $VISUAL or $EDITOR, notes are written in the built-in editor; Ctrl-D sends.
    func testNoteInTheBuiltInEditor() throws {
        try openDemoConsole(selecting: 6)
        try tmux.type("main", "n")
        try waitForScreen(contains: "writing: Ctrl-D or F2 sends")
        try waitForScreen(contains: "note on #6")
        try tmux.type("main", "Offered the annual discount.")
        try tmux.press("main", "Enter")
        try tmux.type("main", "Waiting for her answer.")
        try waitForScreen(contains: "Waiting for her answer.")
        try tmux.press("main", "C-d")
        try waitForScreen(contains: "sent the note on #6")
        let last = try XCTUnwrap((try ticket(6)["messages"] as? [[String: Any]])?.last)
        XCTAssertEqual(last.string("kind"), "note")
        XCTAssertEqual(last.string("author"), "root")
        XCTAssertEqual(last.string("body"), "Offered the annual discount.\nWaiting for her answer.")
    }
}
