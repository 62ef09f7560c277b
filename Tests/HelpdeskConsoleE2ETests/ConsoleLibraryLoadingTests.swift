import Foundation
import XCTest

/// ncurses is loaded by the first call into it (newterm, Sources/CTerminalAndSearchLibraries), not
/// at start: on a machine that lacks it the CLI runs, and the console and the wallboard end with
/// one line naming the library, as a library missing at start-up would, after giving the terminal
/// back (TerminalGuard's reset: the main screen, the cursor).
final class ConsoleLibraryLoadingTests: ConsoleE2ECase {
    func testOnlyTheConsoleAndTheWallboardNeedNcurses() throws {
        let ncurses = try HiddenLibrary("libncursesw.so.6")
        try makeDemoDesk()
        let listed = try ncurses.run(["list"], in: desk)
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertFalse(listed.stdout.isEmpty)

        for command in [["console"], ["watch"]] {
            let ran = try ncurses.runInTerminal(command, in: desk)
            XCTAssertEqual(ran.status, 127, "\(command) exits as the dynamic loader would: \(ran.stdout)")
            let reason = try XCTUnwrap(ran.stdout.range(of: "helpdesk: cannot load the shared library libncursesw.so.6: "),
                                       "\(command) names the library: \(ran.stdout)")
            let reset = try XCTUnwrap(ran.stdout.range(of: "\u{1B}[?1049l\u{1B}[?25h"), "\(command) gives the terminal back: \(ran.stdout)")
            XCTAssertLessThan(reset.lowerBound, reason.lowerBound, "before it names the library")
            // (The terminal's line end is "\r\n", one Character: count the bytes.)
            XCTAssertEqual(ran.stdout[reason.lowerBound...].utf8.filter { $0 == UInt8(ascii: "\n") }.count, 1, "one line: \(ran.stdout)")
        }
    }
}
