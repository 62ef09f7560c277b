import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

extension ConsoleE2ECase {
    /// The terminal after the program ended (`stty -a` saved in `sttyFile` by the pane's shell):
    /// cooked mode, echo, the normal screen and a visible cursor.
    func assertTerminalRestored(sttyFile: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let stty = try String(contentsOfFile: sttyFile, encoding: .utf8)
        let flags = Set(stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        for flag in ["echo", "icanon", "isig", "icrnl", "opost"] {
            XCTAssertTrue(flags.contains(flag), "stty shows \(flag) on:\n\(stty)", file: file, line: line)
            XCTAssertFalse(flags.contains("-" + flag), "stty shows \(flag) off:\n\(stty)", file: file, line: line)
        }
        XCTAssertEqual(try tmux.display("main", "#{alternate_on}"), "0", "alternate screen off", file: file, line: line)
        XCTAssertEqual(try tmux.display("main", "#{cursor_flag}"), "1", "cursor visible", file: file, line: line)
    }
}

/// What the shared loop gives both programs: Ctrl-L repaints a screen something else wrote over,
/// and a terminal that goes away ends the program with the terminal put back.
final class RepaintAndHangUpTests: ConsoleE2ECase {
    private static let garbage = "GARBAGE-OVER-THE-SCREEN"

    /// Writes straight to the pane's terminal, behind the program's back (as `wall` or a
    /// background job would): ncurses does not know, so only a full repaint removes it.
    private func scribble(row: Int) throws {
        let tty = try tmux.display("main", "#{pane_tty}")
        let fd = open(tty, O_WRONLY | O_NOCTTY)
        guard fd >= 0 else { return XCTFail("cannot open \(tty): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array("\u{1B}[\(row);3H\(Self.garbage)".utf8)
        XCTAssertEqual(write(fd, bytes, bytes.count), bytes.count)
        try waitForScreen(contains: Self.garbage)
    }

    func testCtrlLRepaintsTheConsole() throws {
        try openDemoConsole(selecting: 3)
        try scribble(row: 35)  // below the queue's rows: no ordinary redraw touches it
        try select(4)
        XCTAssertTrue(tmux.capture("main").contains(Self.garbage), "an ordinary redraw sends only what changed")
        try tmux.press("main", "C-l")
        let screen = try waitForScreen(lacks: Self.garbage)
        XCTAssertEqual(Self.shownTicket(screen), 4, screen)
        XCTAssertEqual(Self.queueIDs(screen).count, 10, screen)
        XCTAssertTrue(screen.contains("? help  q quit"), "the status line is back:\n\(screen)")
    }

    func testCtrlLRepaintsTheWallboard() throws {
        try makeDemoDesk()
        try tmux.newSession("main", command: consoleCommand(["watch"]))
        try waitForScreen(contains: "BACKLOG ")
        try scribble(row: 38)
        try tmux.type("main", "x")
        try waitForScreen(contains: "read-only: 1 key ignored, q quits")
        XCTAssertTrue(tmux.capture("main").contains(Self.garbage), "an ordinary redraw sends only what changed")
        try tmux.press("main", "C-l")
        let screen = try waitForScreen(lacks: Self.garbage)
        XCTAssertTrue(screen.contains("read-only: 1 key ignored, q quits"), "Ctrl-L is no ignored key:\n\(screen)")
        XCTAssertTrue(screen.contains("wallboard"), screen)
        try tmux.type("main", "q")
        XCTAssertEqual(try exitStatus(), 0)
    }

    /// An SSH drop seen as SIGHUP: the wallboard ends as a hang-up with the terminal sane.
    func testSIGHUPEndsTheWallboardWithASaneTerminal() throws {
        try makeDemoDesk()
        let pidFile = directory.appendingPathComponent("watch.pid").path
        let sttyFile = directory.appendingPathComponent("stty.txt").path
        try tmux.newSession("main", command: consoleCommand(["watch"], pidFile: pidFile,
                                                            after: "stty -a > \(shellQuoted(sttyFile)); echo AFTER; "))
        try waitForScreen(contains: "BACKLOG ")
        let pid = try pid(in: pidFile)
        XCTAssertEqual(try tmux.display("main", "#{alternate_on}"), "1", "the wallboard draws on the alternate screen")
        XCTAssertEqual(kill(pid, SIGHUP), 0)
        let screen = try waitForScreen(contains: "AFTER")
        XCTAssertEqual(try exitStatus(), 128 + Int(SIGHUP), "ends as a hang-up:\n\(screen)")
        try assertTerminalRestored(sttyFile: sttyFile)
    }

    /// The terminal itself goes away (tmux closes the pane's pty): the wallboard sees the hang-up
    /// on its terminal and ends.
    func testClosingTheTerminalEndsTheWallboard() throws {
        try makeDemoDesk()
        try tmux.newSession("keep", command: "sleep 60")  // keeps the server up without "main"
        let pidFile = directory.appendingPathComponent("watch.pid").path
        try tmux.newSession("main", command: consoleCommand(["watch"], pidFile: pidFile))
        try waitForScreen(contains: "BACKLOG ")
        let pid = try pid(in: pidFile)
        try tmux.run(["kill-session", "-t", "main"])
        try waitFor("the wallboard process to end") { !ConsoleTerminalTests.isRunning(pid) }
    }
}
