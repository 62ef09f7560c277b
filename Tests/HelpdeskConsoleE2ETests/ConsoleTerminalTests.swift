import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The terminal the console runs on: hang-ups, colourless and old terminals, unknown ones.
final class ConsoleTerminalTests: ConsoleE2ECase {
    /// An SSH drop: SIGHUP ends the console cleanly, leaves no lock and no presence, and the
    /// terminal is sane for whatever runs next.
    func testSIGHUPLeavesNoLockNoPresenceAndASaneTerminal() throws {
        try makeDemoDesk()
        let pidFile = directory.appendingPathComponent("console.pid").path
        let sttyFile = directory.appendingPathComponent("stty.txt").path
        try openConsole(pidFile: pidFile, after: "stty -a > \(shellQuoted(sttyFile)); echo AFTER; ")
        try select(7)
        let pid = try pid(in: pidFile)
        try waitFor("the console's presence") { try self.desk.presence(of: "root")[pid] != nil }
        XCTAssertEqual(try desk.presence(of: "root")[pid], "7", "it shows which ticket the console is on")

        XCTAssertEqual(kill(pid, SIGHUP), 0)
        let screen = try waitForScreen(contains: "AFTER")
        XCTAssertEqual(try exitStatus(), 128 + Int(SIGHUP), "ends as a hang-up:\n\(screen)")
        try waitFor("the console process to end") { !Self.isRunning(pid) }
        XCTAssertNil(try desk.presence(of: "root")[pid], "its presence is removed")

        // No lock is left: a writer gets the log at once (a held lock makes it wait up to 10 s).
        let started = Date()
        try cli("take", "7", "--as", "bob")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "the CLI waited for a lock")
        XCTAssertEqual(try ticket(7).string("assignee"), "bob")

        try assertTerminalRestored(sttyFile: sttyFile)
    }

    /// A crash (here a SIGSEGV from outside, as a bad pointer would raise): the handler gives the
    /// terminal its modes and main screen back, then the process dies of the signal as it would have.
    func testACrashGivesTheTerminalBackAndDiesOfTheSignal() throws {
        try makeDemoDesk()
        let pidFile = directory.appendingPathComponent("console.pid").path
        let sttyFile = directory.appendingPathComponent("stty.txt").path
        try openConsole(pidFile: pidFile, after: "stty -a > \(shellQuoted(sttyFile)); echo AFTER; ")
        try select(3)
        let pid = try pid(in: pidFile)

        XCTAssertEqual(kill(pid, SIGSEGV), 0)
        let screen = try waitForScreen(contains: "AFTER")
        XCTAssertEqual(try exitStatus(), 128 + Int(SIGSEGV), "dies of the signal:\n\(screen)")
        try assertTerminalRestored(sttyFile: sttyFile)
    }

    /// The terminal itself goes away (the window is closed, the SSH connection drops): the
    /// console ends and cleans up after itself.
    func testClosingTheTerminalEndsTheConsoleCleanly() throws {
        try makeDemoDesk()
        try tmux.newSession("keep", command: "sleep 60")  // keeps the server up without "main"
        let pidFile = directory.appendingPathComponent("console.pid").path
        try openConsole(pidFile: pidFile)
        try select(8)
        let pid = try pid(in: pidFile)
        try waitFor("the console's presence") { try self.desk.presence(of: "root")[pid] != nil }

        try tmux.run(["kill-session", "-t", "main"])
        try waitFor("the console process to end") { !Self.isRunning(pid) }
        XCTAssertNil(try desk.presence(of: "root")[pid], "its presence is removed")
        let started = Date()
        try cli("take", "8", "--as", "bob")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "the CLI waited for a lock")
    }

    /// Alive, not a zombie waiting for a parent that is gone.
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.range(of: ") ", options: .backwards) else { return false }
        return !stat[close.upperBound...].hasPrefix("Z")
    }

    func testNoColourStartsAndShowsTheQueue() throws {
        try makeDemoDesk()
        try openConsole(environment: ["NO_COLOR": "1"])
        let screen = try waitForScreen(contains: "#2 ")
        XCTAssertEqual(Self.queueIDs(screen).count, 10, screen)
        try tmux.type("main", "q")
        XCTAssertEqual(try exitStatus(), 0)
    }

    func testVT100StartsAndShowsTheQueue() throws {
        try makeDemoDesk()
        try tmux.newSession("main", command: consoleCommand(term: "vt100"))
        let screen = try waitForScreen(contains: " Queue · all open · 10")
        XCTAssertEqual(Self.queueIDs(screen).count, 10, screen)
        try select(5)
        try tmux.type("main", "q")
        XCTAssertEqual(try exitStatus(), 0)
    }

    func testUnknownTERMIsAClearErrorNotACrash() throws {
        try makeDemoDesk()
        try tmux.newSession("main", command: consoleCommand(term: "nonexistent-term"))
        let status = try exitStatus()
        let screen = tmux.capture("main")
        XCTAssertTrue(screen.contains("unknown to ncurses"), screen)
        XCTAssertTrue(screen.contains("nonexistent-term"), "names the TERM:\n\(screen)")
        XCTAssertNotEqual(status, 0, screen)
        XCTAssertLessThan(status, 128, "an error exit, not a signal (crash):\n\(screen)")
    }
}
