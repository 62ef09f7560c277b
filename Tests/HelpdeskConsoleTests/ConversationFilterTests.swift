import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog

/// `/` over the conversations (through the desk's search index) and the matched words marked
/// in the ticket pane.
final class ConversationFilterTests: XCTestCase {
    /// #1 "Printer jams", #2 "Login fails" with a note about a toner, #3 "Refund".
    private func desk(searchingConversations: Bool = true) throws -> ConsoleFixture {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer jams", hoursAgo: 3)
        try fixture.open("Login fails", body: "I cannot log in since Monday.", hoursAgo: 2)
        try fixture.run(.note(ticket: 2, body: "Unrelated, but the toner surcharge is wrong too."), as: "bob", hoursAgo: 1.5)
        try fixture.open("Refund", priority: .low, hoursAgo: 1)
        if searchingConversations { try fixture.console.searchConversations() }
        fixture.console.refresh()
        return fixture
    }

    private func filter(_ fixture: ConsoleFixture, _ text: String) -> [Int] {
        fixture.press(.character("/"))
        fixture.type(text)
        return fixture.console.queue.ids
    }

    func testFindsAWordOnlyInANote() throws {
        XCTAssertEqual(filter(try desk(), "toner"), [2])
        XCTAssertEqual(filter(try desk(searchingConversations: false), "toner"), [], "without the index: the queue's columns alone")
    }

    func testEveryKeystrokeNarrowsAndBackspaceWidens() throws {
        let fixture = try desk()
        fixture.press(.character("/"))
        var seen: [[Int]] = []
        for character in "surcharge q" {
            fixture.type(String(character))
            seen.append(fixture.console.queue.ids)
        }
        XCTAssertEqual(Set(seen[0]), [1, 2], "s: the subjects")
        XCTAssertEqual(seen[1], [], "su: too short for the conversations, in no column")
        XCTAssertEqual(seen[2], [2], "sur: a word starting so in the note")
        XCTAssertEqual(seen[8], [2])
        XCTAssertEqual(seen[10], [], "surcharge q: q is nowhere")
        fixture.press(.backspace, .backspace)
        XCTAssertEqual(fixture.console.queue.ids, [2])
        XCTAssertEqual(filter(try desk(), "refund"), [3], "a subject still matches")
        XCTAssertEqual(filter(try desk(), "monday login"), [2], "one word in the conversation, one in the subject")
    }

    func testFollowsWhatOthersWrite() throws {
        let fixture = try desk()
        try fixture.appendElsewhere(.note(ticket: 3, body: "Customer mentioned a xylophone."), as: "bob")
        XCTAssertTrue(fixture.console.catchUp())
        XCTAssertEqual(filter(fixture, "xylo"), [3])
    }

    func testTheTicketPaneMarksTheMatchedWords() throws {
        let fixture = try desk()
        _ = filter(fixture, "toner")
        XCTAssertEqual(fixture.console.state.selected, 2)
        let grid = fixture.screen(rows: 30, columns: 140)
        let row = try XCTUnwrap(grid.lines.firstIndex { $0.contains("the toner surcharge") }, grid.lines.joined(separator: "\n"))
        let line = grid.line(row)
        let start = try XCTUnwrap(line.range(of: "toner surcharge"))
        let column = line.distance(from: line.startIndex, to: start.lowerBound)
        for offset in 0..<5 { XCTAssertEqual(grid[row, column + offset].role, .match, "toner, column \(column + offset)") }
        XCTAssertNotEqual(grid[row, column + 5].role, .match, "the space after it")
        XCTAssertNotEqual(grid[row, column + 6].role, .match, "surcharge was not searched for")
        XCTAssertFalse((0..<grid.rows).contains { r in r != row && (0..<grid.columns).contains { grid[r, $0].role == .match } },
                       "nothing else is marked")
        XCTAssertEqual(Theme.builtIn.monochrome.look(.match).reverse, true, "marked without colour too (NO_COLOR)")
    }

    func testASavedViewsTextSearchesTheConversations() throws {
        let fixture = try desk()
        try fixture.run(.saveView(SavedView(name: "toner", text: "toner -refund"), replacing: false), as: "sam")
        fixture.console.refresh()
        fixture.press(.character("v"), .character("1"))
        XCTAssertEqual(fixture.console.state.savedView, "toner")
        XCTAssertEqual(fixture.console.queue.ids, [2])
    }
}
