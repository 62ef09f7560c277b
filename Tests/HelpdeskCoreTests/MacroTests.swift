import Foundation
import XCTest
@testable import HelpdeskCore

/// Macros: supervisors save and remove them; applying one is every step in one decision, each
/// by the ticket's own rules on the ticket as the steps before left it, or a refusal.
final class MacroTests: XCTestCase {
    private var fixture = DeskFixture()

    private func save(_ macro: Macro, replacing: Bool = false) throws(Refusal) {
        try fixture.run(.saveMacro(macro, replacing: replacing), as: "sam")
    }

    private static let solveWithThanks = Macro(name: "thanks", text: Macro.Text(kind: .reply, template: "Thanks {{customer.first_name}}"),
                                               status: .solved, addTags: ["done"])

    func testASupervisorSavesAMacroAndEveryAgentSeesIt() throws {
        try save(Self.solveWithThanks)
        XCTAssertEqual(fixture.desk.macros["thanks"], Self.solveWithThanks)
        fixture.assertRefused(.saveMacro(Macro(name: "mine", status: .solved), replacing: false), as: "alice",
                              .notAllowed, containing: "only supervisors may save macros")
        fixture.assertRefused(.removeMacro(name: "thanks"), as: "alice", .notAllowed, containing: "only supervisors")
    }

    func testSavingRefusesWhatCannotBeAMacro() throws {
        try save(Self.solveWithThanks)
        fixture.assertRefused(.saveMacro(Self.solveWithThanks, replacing: false), as: "sam", .conflict, containing: "exists already")
        XCTAssertNoThrow(try save(Macro(name: "thanks", status: .closed), replacing: true))
        XCTAssertEqual(fixture.desk.macros["thanks"]?.status, .closed, "replaced")
        let refusals: [(Macro, String)] = [
            (Macro(name: "two words", status: .solved), "bad macro name 'two words'"),
            (Macro(name: "", status: .solved), "bad macro name"),
            (Macro(name: "idle"), "does nothing"),
            (Macro(name: "blank", text: Macro.Text(kind: .reply, template: "  \n ")), "is empty"),
            (Macro(name: "pend", status: .pending), "cannot set the status pending"),
            (Macro(name: "both", status: .solved, followUp: 3600), "cannot also set the status solved"),
            (Macro(name: "tags", addTags: ["a"], removeTags: ["a"]), "both added and removed"),
            (Macro(name: "badtag", addTags: ["two words"]), "bad tag"),
            (Macro(name: "esc", escalation: "  "), "the escalation's reason is empty"),
        ]
        for (macro, text) in refusals {
            fixture.assertRefused(.saveMacro(macro, replacing: false), as: "sam", .invalid, containing: text)
        }
        fixture.assertRefused(.saveMacro(Macro(name: "ghost", assignment: .agent("zed")), replacing: false), as: "sam",
                              .notFound, containing: "no agent zed")
    }

    func testApplyingDoesEveryStepInOrderInOneDecision() throws {
        try save(Macro(name: "solve", text: Macro.Text(kind: .reply, template: "x"), status: .solved, priority: .low,
                       addTags: ["done"], assignment: .me))
        let id = fixture.open()
        let events = try fixture.run(.applyMacro(ticket: id, name: "solve", text: "Thanks Jane"), as: "alice")
        XCTAssertEqual(events, [
            .assigned(ticket: id, to: "alice", from: nil),
            .statusChanged(ticket: id, from: .new, to: .open),
            .messageAdded(ticket: id, kind: .reply, body: .text("Thanks Jane")),
            .priorityChanged(ticket: id, from: .normal, to: .low),
            .tagsChanged(ticket: id, added: ["done"], removed: []),
            .statusChanged(ticket: id, from: .open, to: .solved),
        ])
        let ticket = fixture.ticket(id)
        XCTAssertEqual(ticket.status, .solved)
        XCTAssertEqual(ticket.assignee, "alice")
        XCTAssertEqual(ticket.messages.last?.body, .text("Thanks Jane"))
    }

    func testStepsThatChangeNothingAreLeftOutAndAMacroThatChangesNothingIsRefused() throws {
        try save(Macro(name: "urgent", priority: .urgent, addTags: ["vip"]))
        let id = fixture.open(priority: .urgent)
        XCTAssertEqual(try fixture.run(.applyMacro(ticket: id, name: "urgent", text: nil), as: "alice"),
                       [.tagsChanged(ticket: id, added: ["vip"], removed: [])])
        fixture.assertRefused(.applyMacro(ticket: id, name: "urgent", text: nil), as: "alice", .conflict,
                              containing: "changes nothing on ticket \(id)")
    }

    func testAStepTheAgentMayNotTakeRefusesTheWholeMacro() throws {
        try save(Macro(name: "grab", text: Macro.Text(kind: .note, template: "mine"), assignment: .me))
        let id = fixture.open()
        try fixture.run(.take(ticket: id, steal: false), as: "bob")
        fixture.assertRefused(.applyMacro(ticket: id, name: "grab", text: "mine"), as: "alice", .conflict,
                              containing: "assigned to bob")
        XCTAssertEqual(fixture.ticket(id).messages.count, 1, "nothing applied")
    }

    func testFollowUpEscalationAndAssignmentSteps() throws {
        try save(Macro(name: "later", followUp: 7200))
        try save(Macro(name: "up", assignment: .agent("carol"), escalation: "needs tier 2"))
        try save(Macro(name: "drop", assignment: .nobody))
        let id = fixture.open()
        let later = try fixture.run(.applyMacro(ticket: id, name: "later", text: nil), as: "alice")
        XCTAssertEqual(later.first, .followUpScheduled(ticket: id, due: fixture.now.addingTimeInterval(7200), note: nil))
        XCTAssertEqual(fixture.ticket(id).status, .pending)
        try fixture.run(.applyMacro(ticket: id, name: "up", text: nil), as: "sam")
        XCTAssertEqual(fixture.ticket(id).assignee, "carol")
        XCTAssertEqual(fixture.ticket(id).tier, 2)
        try fixture.run(.applyMacro(ticket: id, name: "drop", text: nil), as: "carol")
        XCTAssertNil(fixture.ticket(id).assignee)
    }

    func testTextIsNeededExactlyWhenTheMacroHasSome() throws {
        try save(Self.solveWithThanks)
        try save(Macro(name: "plain", status: .onHold))
        let id = fixture.open()
        fixture.assertRefused(.applyMacro(ticket: id, name: "thanks", text: nil), as: "alice", .invalid, containing: "not rendered")
        fixture.assertRefused(.applyMacro(ticket: id, name: "thanks", text: " \n"), as: "alice", .invalid, containing: "empty")
        fixture.assertRefused(.applyMacro(ticket: id, name: "plain", text: "hi"), as: "alice", .invalid, containing: "has no text")
        fixture.assertRefused(.applyMacro(ticket: id, name: "nope", text: nil), as: "alice", .notFound, containing: "no macro nope")
        fixture.assertRefused(.applyMacro(ticket: 99, name: "plain", text: nil), as: "alice", .notFound, containing: "no ticket 99")
    }

    func testRemovingAMacro() throws {
        try save(Self.solveWithThanks)
        try fixture.run(.removeMacro(name: "thanks"), as: "sam")
        XCTAssertNil(fixture.desk.macros["thanks"])
        fixture.assertRefused(.removeMacro(name: "thanks"), as: "sam", .notFound, containing: "no macro thanks")
    }

    func testPlaceholderValues() throws {
        let id = fixture.open()
        let values = Macro.placeholderValues(ticket: fixture.ticket(id), agent: "alice", deskName: "Acme", on: fixture.desk)
        XCTAssertEqual(values["customer"], ["name": "Jane Doe", "first_name": "Jane", "email": "jane@example.com"])
        XCTAssertEqual(values["ticket"], ["id": String(id), "subject": "Printer on fire"])
        XCTAssertEqual(values["agent"], ["name": "alice"])
        XCTAssertEqual(values["desk"], ["name": "Acme"])
        let every = values.flatMap { object, fields in fields.keys.map { "\(object).\($0)" } }
        XCTAssertEqual(Set(every), Set(Macro.placeholders), "a value for every placeholder, and only for them")
    }
}
