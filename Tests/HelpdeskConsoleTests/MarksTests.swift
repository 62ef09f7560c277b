import Foundation
import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog

/// Marks: `Space`, `*` and `Esc`, and the keys that act on every marked ticket in one record.
final class MarksTests: XCTestCase {
    /// Three unassigned tickets alice may work, oldest first in the queue (the same priority).
    private func fixture() throws -> ConsoleFixture {
        let fixture = try ConsoleFixture()
        try fixture.open("First printer", hoursAgo: 3)
        try fixture.open("Second printer", hoursAgo: 2)
        try fixture.open("Third printer", hoursAgo: 1)
        fixture.console.refresh()
        return fixture
    }

    private func statusLine(_ fixture: ConsoleFixture, columns: Int = 160) -> String {
        fixture.screen(rows: 24, columns: columns).lines.last ?? ""
    }

    func testSpaceMarksAndMovesOnStarMarksTheViewEscClears() throws {
        let fixture = try fixture()
        XCTAssertEqual(fixture.console.queue.ids, [1, 2, 3])
        fixture.press(.character(" "))
        XCTAssertEqual(fixture.console.state.marks, [1])
        XCTAssertEqual(fixture.console.state.selected, 2, "Space moves on to the next ticket")
        fixture.press(.character("k"), .character(" "))
        XCTAssertEqual(fixture.console.state.marks, [], "Space again unmarks")
        fixture.press(.character(" "))
        XCTAssertEqual(fixture.console.state.marks, [2])
        let screen = fixture.screen(rows: 24, columns: 160)
        XCTAssertTrue(screen.lines.contains { $0.hasPrefix("#2 *") }, screen.lines.joined(separator: "\n"))
        XCTAssertTrue(screen.lines.contains { $0.hasPrefix("#1  ") })
        XCTAssertTrue(statusLine(fixture).contains("1 marked"), statusLine(fixture))

        fixture.press(.character("*"))
        XCTAssertEqual(fixture.console.state.marks, [1, 2, 3])
        XCTAssertTrue(statusLine(fixture).contains("marked 3 tickets"))
        fixture.press(.character("j"))
        XCTAssertTrue(statusLine(fixture).contains("3 marked"), statusLine(fixture))
        fixture.press(.escape)
        XCTAssertEqual(fixture.console.state.marks, [])
        XCTAssertTrue(statusLine(fixture).contains("cleared the marks"))
    }

    func testSolvingMarkedTicketsIsOneRecord() throws {
        let fixture = try fixture()
        fixture.press(.character(" "), .character(" "), .character(" "))
        let before = fixture.log.desk.lastSeq
        fixture.press(.character("s"))
        XCTAssertEqual(fixture.console.state.message, StatusMessage(text: "solved 3 tickets", isError: false))
        XCTAssertEqual(fixture.log.desk.lastSeq, before + 1, "one record")
        XCTAssertEqual((1...3).map { fixture.console.desk.ticket($0)?.status }, [.solved, .solved, .solved])
        XCTAssertEqual(fixture.console.state.marks, [], "done with them")
    }

    func testPromptsAndQuestionsSayTheyActOnTheMarkedTickets() throws {
        let fixture = try fixture()
        fixture.press(.character(" "), .character(" "))
        fixture.press(.character("p"))
        XCTAssertTrue(statusLine(fixture).contains("priority of 2 marked tickets: [l]ow"), statusLine(fixture))
        fixture.press(.character("u"))
        XCTAssertEqual((1...3).map { fixture.console.desk.ticket($0)?.priority }, [.urgent, .urgent, .normal])
        XCTAssertEqual(fixture.console.state.message?.text, "2 tickets now urgent priority")

        fixture.press(.character("*"), .character("#"))
        XCTAssertTrue(statusLine(fixture).contains("tags for 3 marked tickets (+tag -tag): "), statusLine(fixture))
        fixture.type("+printer")
        fixture.press(.enter)
        XCTAssertEqual((1...3).map { fixture.console.desk.ticket($0)?.tags }, [["printer"], ["printer"], ["printer"]])

        fixture.press(.character("*"), .character("g"))
        fixture.type("bob")
        fixture.press(.enter)
        XCTAssertEqual(fixture.console.state.message?.text,
                       "3 of 3 refused: #1: only a supervisor (it is unassigned) can give ticket 1 away; "
                       + "#2: only a supervisor (it is unassigned) can give ticket 2 away; "
                       + "#3: only a supervisor (it is unassigned) can give ticket 3 away; nothing applied",
                       "none of them alice's: all refused, nothing applied, nothing to offer")
        XCTAssertEqual(fixture.console.state.mode, .normal)
        XCTAssertEqual(fixture.console.state.marks, [1, 2, 3], "kept for another try")
        fixture.press(.character("t"))
        XCTAssertEqual(fixture.console.state.message?.text, "took 3 tickets")
        fixture.press(.character("*"), .character("g"))
        XCTAssertTrue(statusLine(fixture).contains("give 3 marked tickets to"), statusLine(fixture))
        fixture.type("bob")
        fixture.press(.enter)
        XCTAssertEqual(fixture.console.state.message?.text, "gave 3 tickets to bob")
        XCTAssertEqual((1...3).map { fixture.console.desk.ticket($0)?.assignee }, ["bob", "bob", "bob"])
    }

    func testARefusalOfSomeNamesEachAndOffersTheOthers() throws {
        let fixture = try fixture()
        try fixture.run(.take(ticket: 2, steal: false), as: "bob")
        try fixture.run(.escalate(ticket: 3, reason: "deep", tier: 2), as: "sam")
        fixture.console.catchUp()
        fixture.press(.character("*"))
        let before = fixture.log.desk.lastSeq
        fixture.press(.character("s"))
        XCTAssertEqual(fixture.log.desk.lastSeq, before, "nothing applied")
        XCTAssertEqual(fixture.console.state.mode, .question(.applyToOthers(
            refusal: "2 of 3 refused: #2 is bob's; #3 is tier 2, you are tier 1; nothing applied",
            steps: [.resolve(ticket: 1)], done: "solved 1 ticket")))
        let line = statusLine(fixture, columns: 80)
        XCTAssertTrue(line.hasSuffix(" · apply to the other 1? [y/n]"), "the offer is always in sight: \(line)")
        XCTAssertTrue(statusLine(fixture).hasPrefix("2 of 3 refused: #2 is bob's; #3 is tier 2, you are tier 1"))

        fixture.press(.character("n"))
        XCTAssertEqual(fixture.console.state.message?.text, "nothing applied")
        XCTAssertEqual(fixture.console.desk.ticket(1)?.status, .new)

        fixture.press(.character("s"), .character("y"))
        XCTAssertEqual(fixture.console.state.message?.text, "solved 1 ticket")
        XCTAssertEqual((1...3).map { fixture.console.desk.ticket($0)?.status }, [.solved, .open, .new])
        XCTAssertEqual(fixture.console.state.marks, [])
    }

    func testAMacroOnMarkedTicketsAppliesToEachAtOnce() throws {
        let fixture = try fixture()
        try fixture.run(.saveMacro(Macro(name: "parts", text: Macro.Text(kind: .note, template: "Waiting for parts on {{ticket.id}}"),
                                         priority: .low, addTags: ["parts"]), replacing: false), as: "sam")
        fixture.console.catchUp()
        fixture.press(.character(" "), .character("j"), .character(" "))
        fixture.press(.character("m"))
        XCTAssertTrue(fixture.screen(rows: 24, columns: 120).lines.contains { $0.contains("Macros for 2 marked tickets") })
        fixture.press(.enter)
        XCTAssertEqual(fixture.console.state.message?.text, "applied the macro parts to 2 tickets")
        for id in [1, 3] {
            let ticket = try XCTUnwrap(fixture.console.desk.ticket(id))
            XCTAssertEqual(ticket.priority, .low)
            XCTAssertEqual(ticket.tags, ["parts"])
            XCTAssertEqual(try fixture.log.text(of: ticket.messages.last!.body), "Waiting for parts on \(id)")
        }
        XCTAssertEqual(fixture.console.desk.ticket(2)?.tags, [])
    }

    func testMarksActOnlyOnTheMarkedTicketsInTheFilteredList() throws {
        let fixture = try fixture()
        fixture.press(.character("*"))
        fixture.press(.character("/"))
        fixture.type("second")
        fixture.press(.enter)
        fixture.press(.character("s"))
        XCTAssertEqual((1...3).map { fixture.console.desk.ticket($0)?.status }, [.new, .solved, .new])
        XCTAssertEqual(fixture.console.state.marks, [1, 3], "the others stay marked")
    }
}
