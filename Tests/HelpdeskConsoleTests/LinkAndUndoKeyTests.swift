import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog

/// The ticket pane's links (`l`, Enter), undo (`z`) and the question before solving a parent.
final class LinkAndUndoKeyTests: XCTestCase {
    private func row(_ grid: CellGrid, containing text: String) -> Int? {
        grid.lines.firstIndex { $0.contains(text) }
    }

    func testTheTicketPaneListsMergesAndLinksAndEnterOpensTheChosenOne() throws {
        let fixture = try ConsoleFixture()
        let parent = try fixture.open("Outage", hoursAgo: 5)
        let child = try fixture.open("My mail is down", body: "since nine", hoursAgo: 4)
        let duplicate = try fixture.open("Mail down too", body: "same here", hoursAgo: 3)
        try fixture.run(.link(ticket: child, other: parent, kind: .parent), as: "bob", hoursAgo: 2)
        try fixture.run(.merge(source: duplicate, target: child), as: "bob", hoursAgo: 1)
        fixture.console.refresh()
        fixture.console.state.selected = child
        fixture.press(.tab)
        XCTAssertEqual(fixture.console.state.focus, .ticket)
        XCTAssertEqual(fixture.console.links, [PaneLink(ticket: duplicate, relation: "merged from"),
                                               PaneLink(ticket: parent, relation: "parent")])

        var grid = fixture.screen()
        let merged = try XCTUnwrap(row(grid, containing: "→ merged from #\(duplicate) closed · Mail down too"), grid.lines.joined(separator: "\n"))
        let linked = try XCTUnwrap(row(grid, containing: "→ parent #\(parent) new · Outage"))
        XCTAssertTrue(grid.lines.contains { $0.hasSuffix("│ from #\(duplicate)") }, "the merged ticket's message, marked")
        XCTAssertTrue(grid.lines.contains { $0.contains("same here") })
        XCTAssertTrue(grid.lines.contains { $0.contains("since nine") })
        XCTAssertNil(fixture.console.state.linkSelection, "nothing chosen until l")

        fixture.press(.enter)
        XCTAssertEqual(fixture.console.state.selected, child, "Enter without a chosen link opens nothing")
        XCTAssertEqual(fixture.console.state.message?.text, "no link selected: l selects one")

        fixture.press(.character("l"))
        grid = fixture.screen()
        let column = try XCTUnwrap(grid.lines[merged].range(of: "→").map { grid.lines[merged].distance(from: grid.lines[merged].startIndex, to: $0.lowerBound) })
        XCTAssertEqual(grid[merged, column].role, .selectedRow)
        XCTAssertEqual(grid[linked, column].role, .dim)
        fixture.press(.character("l"))
        grid = fixture.screen()
        XCTAssertEqual(grid[linked, column].role, .selectedRow)
        fixture.press(.character("l"))
        XCTAssertEqual(fixture.console.state.linkSelection, 0, "l wraps around")
        fixture.press(.character("l"))

        fixture.press(.enter)
        XCTAssertEqual(fixture.console.state.selected, parent)
        XCTAssertEqual(fixture.console.state.focus, .ticket)
        XCTAssertNil(fixture.console.state.linkSelection)
        XCTAssertEqual(fixture.console.links, [PaneLink(ticket: child, relation: "child")])
        XCTAssertNotNil(row(fixture.screen(), containing: "→ child #\(child) new · My mail is down"))
    }

    func testAMergeByAnotherConsoleShowsOnTheTargetAtOnce() throws {
        let fixture = try ConsoleFixture()
        let target = try fixture.open("Printer", body: "jammed", hoursAgo: 2)
        let source = try fixture.open("Printer again", body: "still jammed", hoursAgo: 1)
        fixture.console.refresh()
        fixture.console.state.selected = target
        XCTAssertNil(row(fixture.screen(), containing: "still jammed"))
        try fixture.appendElsewhere(.merge(source: source, target: target), as: "bob")
        fixture.console.catchUp()
        let grid = fixture.screen()
        XCTAssertNotNil(row(grid, containing: "→ merged from #\(source) closed · Printer again"))
        XCTAssertNotNil(row(grid, containing: "still jammed"))
        XCTAssertEqual(fixture.console.queue.ids, [target], "the closed source left the queue")
    }

    func testLinksAreChosenOnlyWithTheTicketPaneFocused() throws {
        let fixture = try ConsoleFixture()
        let a = try fixture.open("a", hoursAgo: 2), b = try fixture.open("b", hoursAgo: 1)
        try fixture.run(.link(ticket: a, other: b, kind: .related), as: "bob")
        fixture.console.refresh()
        fixture.console.state.selected = a
        fixture.press(.character("l"))
        XCTAssertNil(fixture.console.state.linkSelection, "in the queue, l does nothing")
        fixture.press(.tab, .character("l"))
        XCTAssertEqual(fixture.console.state.linkSelection, 0)
        fixture.press(.character("j"))
        XCTAssertEqual(fixture.console.state.linkSelection, 0, "scrolling the conversation keeps the choice")
    }

    func testSolvingAParentWithOpenChildrenAsksFirst() throws {
        let fixture = try ConsoleFixture()
        let parent = try fixture.open("Outage", hoursAgo: 2), child = try fixture.open("Down", hoursAgo: 1)
        try fixture.run(.link(ticket: parent, other: child, kind: .child), as: "bob")
        fixture.console.refresh()
        fixture.console.state.selected = parent
        fixture.press(.character("s"))
        XCTAssertEqual(fixture.console.state.mode, .question(.solveParent(ticket: parent, children: [child])))
        XCTAssertTrue(fixture.screen().lines.last?.contains("#\(parent) has open children #\(child): solve it anyway? [y/n]") == true)
        fixture.press(.character("n"))
        XCTAssertEqual(fixture.console.desk.ticket(parent)?.status, .new, "n leaves it as it was")
        fixture.press(.character("s"), .character("y"))
        XCTAssertEqual(fixture.console.desk.ticket(parent)?.status, .solved)
        XCTAssertEqual(fixture.console.state.message?.text, "solved #\(parent)")

        // Without open children it is solved at once.
        try fixture.run(.reopen(ticket: parent), as: "bob")
        try fixture.run(.resolve(ticket: child), as: "bob")
        fixture.console.catchUp()
        fixture.console.state.selected = parent
        fixture.press(.character("s"))
        XCTAssertEqual(fixture.console.state.mode, .normal)
        XCTAssertEqual(fixture.console.desk.ticket(parent)?.status, .solved)
    }

    func testZUndoesYourLastChangeAndSaysWhat() throws {
        let fixture = try ConsoleFixture()
        let id = try fixture.open("Printer", hoursAgo: 1)
        fixture.console.refresh()
        fixture.console.state.selected = id
        fixture.press(.character("p"), .character("u"))
        XCTAssertEqual(fixture.console.desk.ticket(id)?.priority, .urgent)
        fixture.press(.character("z"))
        XCTAssertEqual(fixture.console.desk.ticket(id)?.priority, .normal)
        XCTAssertEqual(fixture.console.state.message, StatusMessage(text: "#\(id): undid: priority changed", isError: false))

        fixture.press(.character("n"))
        fixture.type("wrong ticket")
        fixture.press(.control("d"))
        XCTAssertTrue(fixture.screen().lines.contains { $0.contains("wrong ticket") })
        fixture.press(.character("z"))
        XCTAssertFalse(fixture.screen().lines.contains { $0.contains("wrong ticket") }, "the withdrawn note leaves the conversation")
        fixture.press(.character("h"))
        XCTAssertTrue(fixture.screen().lines.contains { $0.contains("alice: undid: note added (message") })

        // Refusals are said on the status line, naming why.
        fixture.press(.character("z"))
        XCTAssertEqual(fixture.console.state.message?.isError, true)
        XCTAssertEqual(fixture.console.state.message?.text, "nothing to undo: your last change on ticket \(id) was itself an undo")
        fixture.now = fixture.now.addingTimeInterval(3600)
        try fixture.run(.changeTags(ticket: id, add: ["x"], remove: []), as: "alice", hoursAgo: 0.5)
        fixture.console.catchUp()
        fixture.press(.character("z"))
        XCTAssertEqual(fixture.console.state.message?.text,
                       "too late: your last change on ticket \(id) (tags changed) was 30m ago; undo works for 10m")
    }

    func testTheHelpTellsTheNewKeys() {
        let ticketHelp = Overlays.helpLines(focus: .ticket).map(\.0)
        XCTAssertTrue(ticketHelp.contains { $0.hasPrefix("  l ") && $0.contains("next link") }, "\(ticketHelp)")
        XCTAssertTrue(ticketHelp.contains { $0.hasPrefix("  Enter") && $0.contains("open the selected link") })
        XCTAssertTrue(Overlays.helpLines(focus: .queue).map(\.0).contains { $0.hasPrefix("  z ") && $0.contains("undo") })
    }
}
