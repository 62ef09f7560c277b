import Foundation
import HelpdeskTestSupport
import XCTest

/// A desk a newer helpdesk wrote to: the console and the wallboard say so, give the terminal
/// back, and write nothing; a console already open says so when such a record arrives.
final class ConsoleNewerDeskTests: ConsoleE2ECase {
    static let message = "this desk was written by a newer helpdesk (event type 'ticket.split', "
        + "this one reads up to format 1): upgrade helpdesk"

    func testTheConsoleAndTheWallboardStopWithTheMessage() throws {
        try makeDemoDesk()
        try desk.appendFutureRecord(#"{"type":"ticket.split","ticket":2,"into":1}"#)
        let bytes = try desk.storedLog()
        for (session, arguments) in [("console", [String]()), ("wallboard", ["watch"])] {
            try tmux.newSession(session, command: consoleCommand(arguments), columns: 200)
            XCTAssertEqual(try exitStatus(session), 76, tmux.capture(session))
            let screen = tmux.capture(session)
            XCTAssertTrue(screen.contains("helpdesk: " + Self.message), screen)
            XCTAssertFalse(screen.contains("damaged"), screen)
            XCTAssertEqual(try tmux.display(session, "#{alternate_on}"), "0", "alternate screen off")
            XCTAssertEqual(try tmux.display(session, "#{cursor_flag}"), "1", "cursor visible again")
        }
        XCTAssertEqual(try desk.storedLog(), bytes)
    }

    func testAnOpenConsoleShowsTheMessageAndWritesNothing() throws {
        try openDemoConsole(selecting: 7)
        try desk.appendFutureRecord(#"{"type":"ticket.split","ticket":2,"into":1}"#)
        try waitForScreen(contains: "written by a newer helpdesk")
        let bytes = try desk.storedLog()
        try tmux.type("main", "t")
        let screen = try waitForScreen(contains: "upgrade helpdesk")
        XCTAssertFalse(screen.contains("took #7"), screen)
        XCTAssertEqual(try desk.storedLog(), bytes, "nothing is written")
        try tmux.type("main", "q")
        XCTAssertEqual(try exitStatus(), 0)
        XCTAssertEqual(try tmux.display("main", "#{alternate_on}"), "0", "alternate screen off")
    }
}
