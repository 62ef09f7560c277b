import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// The key table is data: keymaps, the `?` help and the hint lines are made from its rows, and
/// the programs' update turns messages into changes; the panes only read.
final class KeyTableTests: XCTestCase {
    func testAKeyAddedToTheTableIsBoundAndToldInTheHelp() {
        var table = KeyTable.standard
        table.rows.append(KeyBinding(.take, [.function(5)], .console, .assign, "take it with F5"))
        XCTAssertEqual(table.keymap(KeyTable.scopes(focus: .queue))[.function(5)], .take)
        XCTAssertEqual(table.keymap(KeyTable.scopes(focus: .ticket))[.function(5)], .take, "console keys work in every pane")
        let help = Overlays.helpLines(focus: .queue, table: table).map(\.0)
        XCTAssertTrue(help.contains("  F5         take it with F5"), help.joined(separator: "\n"))
        let assign = help.firstIndex(of: "Assign")!, write = help.firstIndex(of: "Write")!
        XCTAssertTrue((assign..<write).contains(help.firstIndex(of: "  F5         take it with F5")!), "under its group")
        XCTAssertNil(KeyTable.standard.keymap(KeyTable.scopes(focus: .queue))[.function(5)], "the standard table is untouched")
    }

    func testAWallboardKeyAddedToTheTableIsBoundAndHinted() {
        var table = KeyTable.standard
        XCTAssertEqual(table.hints(KeyTable.wallboardScopes, separator: " · "), "q quits")
        table.rows.append(KeyBinding(.redraw, [.character("r")], .wallboard, .inPlace, "repaint", hint: "repaints"))
        XCTAssertEqual(table.keymap(KeyTable.wallboardScopes)[.character("r")], .redraw)
        XCTAssertEqual(table.hints(KeyTable.wallboardScopes, separator: " · "), "q quits · r repaints")
        XCTAssertNil(table.keymap(KeyTable.scopes(focus: .queue))[.character("Q")], "wallboard keys stay on the wallboard")
    }

    func testTheWallboardShowsTheTablesHints() throws {
        let directory = NSTemporaryDirectory() + "keytable-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = try DeskLog.create(path: directory + "/desk.log", actor: "sam", displayName: "Sam", now: Date())
        let board = Wallboard(log: log, watch: nil, clock: Date.init)
        let program = WallboardProgram(board: board)
        let grid = CellGrid(rows: 20, columns: 120)
        program.draw(on: grid)
        XCTAssertTrue(grid.lines[0].hasSuffix("read-only · " + KeyTable.standard.hints(KeyTable.wallboardScopes, separator: " · ")))
        guard case .repaint = program.update(.key(.control("l"))) else { return XCTFail("Ctrl-L repaints the wallboard") }
        guard case .redraw = program.update(.key(.character("x"))) else { return XCTFail("an unbound key is counted") }
        XCTAssertEqual(board.ignoredKeys, 1, "Ctrl-L is no ignored key")
        for key in [Key.character("q"), .character("Q"), .control("c")] {
            guard case .quit(0) = program.update(.key(key)) else { return XCTFail("\(key) quits") }
        }
        guard case .quit(129) = program.update(.hangUp) else { return XCTFail("a hang-up ends it as SIGHUP would") }
        guard case .quit(143) = program.update(.signal(SIGTERM)) else { return XCTFail("SIGTERM ends it") }
    }

    func testAPanesOwnKeysReplaceTheQueuesInItsHelp() {
        let ticket = Overlays.helpLines(focus: .ticket).map(\.0).joined(separator: "\n")
        XCTAssertTrue(ticket.contains("scroll down, toward the newest message"), ticket)
        XCTAssertFalse(ticket.contains("next ticket"), "j is the ticket pane's own there:\n\(ticket)")
        XCTAssertTrue(ticket.contains("first ticket"), "Home, which the pane does not bind, still works:\n\(ticket)")
        let customer = Overlays.helpLines(focus: .customer).map(\.0).joined(separator: "\n")
        XCTAssertTrue(customer.contains("open that ticket"), customer)
        let queue = Overlays.helpLines(focus: .queue).map(\.0).joined(separator: "\n")
        XCTAssertTrue(queue.contains("C-l"), "Ctrl-L is in the help:\n\(queue)")
        XCTAssertFalse(queue.contains("scroll down"), queue)
    }

    func testTheConsolesUpdateAndDrawingOnlyReadsTheModel() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire", body: (1...200).map { "line \($0)" }.joined(separator: "\n"))
        for index in 2...60 { try fixture.open("Ticket \(index)", hoursAgo: Double(index)) }
        let program = ConsoleProgram(console: fixture.console, presence: nil, editor: nil)
        _ = program.update(.resize(rows: 24, columns: 120))
        for _ in 0..<40 { _ = program.update(.key(.character("j"))) }
        XCTAssertGreaterThan(fixture.console.state.queueTop, 0, "update scrolled the queue to the selection")
        _ = program.update(.key(.end))
        XCTAssertEqual(fixture.console.state.selected, 1, "the long conversation, waiting least")
        _ = program.update(.key(.tab))
        for _ in 0..<500 { _ = program.update(.key(.character("k"))) }
        let scrolled = fixture.console.state.conversationScroll
        XCTAssertGreaterThan(scrolled, 100)
        XCTAssertLessThan(scrolled, 500, "update stops the conversation at its first line")
        _ = program.update(.key(.character("j")))
        XCTAssertEqual(fixture.console.state.conversationScroll, scrolled - 1, "one key back moves one line")
        let before = fixture.console.state
        let grid = CellGrid(rows: 24, columns: 120)
        program.draw(on: grid)
        program.draw(on: grid)
        XCTAssertEqual(fixture.console.state, before, "drawing changed the model")
        guard case .repaint = program.update(.key(.control("l"))) else { return XCTFail("Ctrl-L repaints the console") }
        XCTAssertEqual(fixture.console.state, before, "Ctrl-L changes nothing but the screen")
        fixture.press(.character("/"))
        guard case .repaint = program.update(.key(.control("l"))) else { return XCTFail("Ctrl-L repaints in a prompt too") }
        XCTAssertEqual(fixture.console.state.mode, .prompt(.filter, text: ""), "and leaves the prompt open")
        guard case .quit(129) = program.update(.hangUp) else { return XCTFail("a hang-up ends it as SIGHUP would") }
        guard case .quit(130) = program.update(.signal(SIGINT)) else { return XCTFail("SIGINT ends it") }
    }

    func testTheComposeHintsComeFromTheTable() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        fixture.press(.character("r"))
        XCTAssertEqual(fixture.screen().lines.last?.trimmingCharacters(in: .whitespaces),
                       "writing: Ctrl-D or F2 sends · Esc keeps it as a draft")
    }
}
