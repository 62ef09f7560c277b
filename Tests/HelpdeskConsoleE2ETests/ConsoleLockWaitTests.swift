import Foundation
import XCTest

/// Another process holds the log's lock (flock(1), or psql on a database, in a second pane) while a key appends: the
/// console keeps drawing, drops what is typed meanwhile, and finishes once the lock is free.
final class ConsoleLockWaitTests: ConsoleE2ECase {
    private func holdLock() throws {
        try tmux.newSession("holder", command: try desk.lockHoldingShellCommand() + "; sleep 60")
        try waitForScreen("holder", contains: "HELD")
    }

    static func secondsWaited(_ screen: String) -> Int? {
        guard let range = screen.range(of: "waiting for the log… ") else { return nil }
        return Int(screen[range.upperBound...].prefix { $0.isNumber })
    }

    func testTakeWaitsForTheLockWhileTheScreenStaysLive() throws {
        try openDemoConsole(selecting: 7)
        try holdLock()
        try tmux.type("main", "t")
        let first = try waitForScreen(contains: "waiting for the log…")
        // The wait is drawn as it goes: the seconds count up.
        try waitForScreen(for: "the wait to count up") { Self.secondsWaited($0) ?? 0 > Self.secondsWaited(first) ?? 0 }
        try tmux.type("main", "gcarol")
        try tmux.press("main", "Enter")
        let typed = try waitForScreen(for: "the wait to count on") { Self.secondsWaited($0) ?? 0 >= 2 }
        XCTAssertFalse(typed.contains("give #7"), "a key typed while waiting opened a prompt:\n\(typed)")
        try tmux.press("holder", "Enter")
        try waitForScreen("holder", contains: "FREED")
        let screen = try waitForScreen(contains: "took #7")
        XCTAssertFalse(screen.contains("give #7"), screen)
        XCTAssertEqual(try ticket(7).string("assignee"), "root", "taken, and the give typed while waiting never ran")
    }

    func testEscCancelsTheWaitingAppend() throws {
        try openDemoConsole(selecting: 7)
        try holdLock()
        try tmux.type("main", "s")
        try waitForScreen(contains: "waiting for the log…")
        try tmux.press("main", "Escape")
        try waitForScreen(contains: "cancelled while waiting for the log: nothing was written")
        try tmux.press("holder", "Enter")
        try waitForScreen("holder", contains: "FREED")
        try tmux.type("main", "q")
        try waitForScreen(contains: "EXITED 0")
        XCTAssertNotEqual(try ticket(7).string("status"), "solved")
    }
}
