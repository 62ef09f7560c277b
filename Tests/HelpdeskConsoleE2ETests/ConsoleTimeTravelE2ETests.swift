import Foundation
import XCTest

/// `helpdesk --at TIME` in a real terminal: the desk as it was, stepped back and forward a
/// record at a time, and nothing it is asked to change is changed.
final class ConsoleTimeTravelE2ETests: ConsoleE2ECase {
    private func records() throws -> [[String: Any]] {
        try cli("events", "--json").stdoutLines.compactMap { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
    }

    func testTheConsoleAtAMomentStepsThroughTheRecordsAndChangesNothing() throws {
        try cli("init", "--name", "Root")
        for subject in ["One", "Two", "Three"] {
            try cli("new", "--customer", "\(subject.lowercased())@example.org", "--subject", subject, "--body", "Help")
        }
        let written = try records()
        XCTAssertEqual(written.count, 4)
        let third = try XCTUnwrap(written.last?["at"] as? String)

        try openConsole(["--at", third])
        var screen = try waitForScreen(for: "the three tickets, read-only") {
            Self.queueIDs($0).count == 3 && $0.contains(" looking at ") && $0.contains(" · read-only ")
        }
        XCTAssertFalse(screen.contains(" · live"), screen)

        try tmux.type("main", "[")
        screen = try waitForScreen(for: "the desk before #3 was opened") { Set(Self.queueIDs($0)) == [1, 2] }
        try tmux.type("main", "[")
        screen = try waitForScreen(for: "the desk before #2 was opened") { Self.queueIDs($0) == [1] }
        XCTAssertEqual(Self.shownTicket(screen), 1)

        try tmux.type("main", "t")
        screen = try waitForScreen(contains: ": read-only")
        XCTAssertTrue(screen.contains(" today: read-only"), screen)
        try tmux.type("main", "]")
        try waitForScreen(for: "#2 back") { Set(Self.queueIDs($0)) == [1, 2] }

        try tmux.type("main", "q")
        try waitForScreen(lacks: "Queue · ")

        // The wallboard of the moment #2 was opened: two tickets, and the moment on its status line.
        let second = try XCTUnwrap(written[2]["at"] as? String)
        try tmux.newSession("board", command: consoleCommand(["watch", "--at", second]), columns: 120, rows: 30)
        screen = try waitForScreen("board", contains: " today: read-only · record #3")
        XCTAssertTrue(screen.contains("BACKLOG 2 active"), screen)
        try tmux.type("board", "q")
        try waitForScreen("board", lacks: "BACKLOG")
        XCTAssertEqual(try records().count, written.count, "looking at the past wrote nothing")
        XCTAssertEqual(try ticket(1)["assignee"] as? NSNull, NSNull(), "t took nothing")
    }

    func testTheLiveConsoleStepsIntoThePastAndEscComesBackCaughtUp() throws {
        try cli("init", "--name", "Root")
        for subject in ["One", "Two"] {
            try cli("new", "--customer", "\(subject.lowercased())@example.org", "--subject", subject, "--body", "Help")
        }
        try openConsole([])
        try waitForScreen(for: "the live queue") { Self.queueIDs($0).count == 2 && $0.contains(" · live") }

        try tmux.type("main", "[")
        var screen = try waitForScreen(for: "the desk before #2 was opened") {
            Self.queueIDs($0) == [1] && $0.contains(" looking at ") && $0.contains(" · read-only ")
        }
        XCTAssertFalse(screen.contains(" · live"), screen)
        try tmux.type("main", "t")
        screen = try waitForScreen(contains: ": read-only (Esc: back to now)")

        // Written meanwhile by another process: not shown in the past, shown once back.
        try cli("new", "--customer", "three@example.org", "--subject", "Three", "--body", "Help")
        try tmux.type("main", "]")
        screen = try waitForScreen(for: "forward to #2, not past it") { Set(Self.queueIDs($0)) == [1, 2] && $0.contains(" · read-only ") }
        try tmux.press("main", "Escape")
        try waitForScreen(for: "the live desk, caught up") {
            Set(Self.queueIDs($0)) == [1, 2, 3] && $0.contains("back to now: the live desk") && !$0.contains("read-only")
        }
        try tmux.type("main", "j")  // the status line again, once the message has been read
        try waitForScreen(for: "the status line of the live desk") { $0.contains(" · live") && !$0.contains("read-only") }
        XCTAssertEqual(try ticket(1)["assignee"] as? NSNull, NSNull(), "t took nothing while in the past")

        try tmux.type("main", "q")
        try waitForScreen(lacks: "Queue · ")
    }
}
