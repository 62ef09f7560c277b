import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog

/// `m`: the macro picker filtered as you type over names and texts; Enter on a macro with text
/// opens the editor on it rendered for the ticket (sending applies the macro; an empty text
/// applies nothing), and applies one without text at once, saying what it did.
final class MacroPickerTests: XCTestCase {
    private func fixture() throws -> ConsoleFixture {
        let fixture = try ConsoleFixture()
        let macros = [
            Macro(name: "thanks", text: Macro.Text(kind: .reply, template: "Hello {{customer.first_name}}, fixed. {{agent.name}}"),
                  status: .solved),
            Macro(name: "billing", text: Macro.Text(kind: .note, template: "Invoice question: {{ticket.subject}}"),
                  addTags: ["billing"]),
            Macro(name: "urgent", priority: .urgent, addTags: ["vip"]),
        ]
        for macro in macros { try fixture.run(.saveMacro(macro, replacing: false), as: "sam") }
        try fixture.open("Printer jams", name: "Jane \u{1B}[31mDoe")
        fixture.console.refresh()
        return fixture
    }

    private func text(_ grid: CellGrid) -> String { grid.lines.joined(separator: "\n") }

    private func picked(_ fixture: ConsoleFixture) -> MacroPicker? {
        if case .pickMacro(let picker) = fixture.console.state.mode { return picker }
        return nil
    }

    func testThePickerListsTheMacrosAndFiltersAsYouTypeOverNamesAndTexts() throws {
        let fixture = try fixture()
        let before = fixture.log.desk.lastSeq
        fixture.type("m")
        XCTAssertEqual(picked(fixture), MacroPicker(ticket: 1))
        var screen = text(fixture.screen())
        XCTAssertTrue(screen.contains("Macros for #1"), screen)
        XCTAssertTrue(screen.contains("billing   note, tags +billing · Invoice question: {{ticket.subject}}"), screen)
        XCTAssertTrue(screen.contains("thanks    reply, status solved · Hello {{customer.first_name}}, fixed. {{agent.name}}"), screen)
        XCTAssertTrue(screen.contains("urgent    priority urgent, tags +vip"), screen)
        XCTAssertTrue(screen.contains("macro for #1: type to filter"), "the status line says how: \(screen)")

        fixture.type("INVOICE")  // in billing's text only, any case
        XCTAssertEqual(fixture.console.macros(matching: "INVOICE").map(\.name), ["billing"])
        screen = text(fixture.screen())
        XCTAssertTrue(screen.contains("filter: INVOICE"), screen)
        XCTAssertTrue(screen.contains("billing") && !screen.contains("thanks") && !screen.contains("urgent    "), screen)

        for _ in 0..<7 { fixture.press(.backspace) }
        fixture.type("u")  // urgent by name, thanks by its text ("{{customer…", "fixed" no)
        XCTAssertEqual(fixture.console.macros(matching: "u").map(\.name), ["billing", "thanks", "urgent"])
        fixture.type("rg")
        XCTAssertEqual(fixture.console.macros(matching: "urg").map(\.name), ["urgent"])
        fixture.type("zz")
        XCTAssertTrue(text(fixture.screen()).contains("no macro matches"))
        fixture.press(.enter)
        XCTAssertEqual(fixture.console.state.mode, .normal)
        XCTAssertEqual(fixture.console.state.message?.text, "no macro matches 'urgzz'")

        fixture.type("m")
        fixture.press(.escape)
        XCTAssertEqual(fixture.console.state.mode, .normal, "Esc closes the picker")
        XCTAssertEqual(fixture.log.desk.lastSeq, before, "nothing applied")
    }

    func testAMacroWithoutTextAppliesAtOnceAndSaysWhatItDid() throws {
        let fixture = try fixture()
        let before = fixture.log.desk.lastSeq
        fixture.type("m")
        fixture.press(.down, .down)
        XCTAssertEqual(picked(fixture)?.selection, 2)
        fixture.press(.down)
        XCTAssertEqual(picked(fixture)?.selection, 2, "the last stays chosen")
        fixture.press(.enter)
        XCTAssertEqual(fixture.console.state.mode, .normal)
        XCTAssertEqual(fixture.console.state.message?.text,
                       "applied the macro urgent to #1: changed priority normal → urgent; changed tags +vip")
        XCTAssertEqual(fixture.log.desk.lastSeq, before + 1, "one record")
        XCTAssertEqual(fixture.log.desk.ticket(1)?.priority, .urgent)
        XCTAssertEqual(fixture.log.desk.ticket(1)?.tags, ["vip"])

        fixture.type("m")
        fixture.type("urgent")
        fixture.press(.enter)
        XCTAssertEqual(fixture.console.state.message, StatusMessage(text: "the macro urgent changes nothing on ticket 1", isError: true))
    }

    func testEnterOpensTheEditorOnTheRenderedTextAndSendingAppliesTheMacro() throws {
        let fixture = try fixture()
        let before = fixture.log.desk.lastSeq
        fixture.type("m")
        fixture.type("thanks")
        fixture.press(.enter)
        guard case .compose(let draft) = fixture.console.state.mode else { return XCTFail("\(fixture.console.state.mode)") }
        XCTAssertEqual(draft.text, "Hello Jane, fixed. alice")
        XCTAssertEqual(draft.macro, "thanks")
        XCTAssertEqual(draft.kind, .reply)
        XCTAssertEqual(fixture.log.desk.lastSeq, before, "nothing applied while it is edited")

        fixture.type(" Bye")
        fixture.press(.control("d"))
        XCTAssertEqual(fixture.console.state.message?.text, "applied the macro thanks on #1")
        XCTAssertEqual(fixture.log.desk.lastSeq, before + 1, "one record")
        let ticket = try XCTUnwrap(fixture.log.desk.ticket(1))
        XCTAssertEqual(ticket.status, .solved)
        XCTAssertEqual(try fixture.log.text(of: try XCTUnwrap(ticket.messages.last).body), "Hello Jane, fixed. alice Bye")
        XCTAssertTrue(fixture.console.state.drafts.isEmpty)
    }

    func testAnEmptyTextAppliesNothing() throws {
        let fixture = try ConsoleFixture()
        try fixture.run(.saveMacro(Macro(name: "hi", text: Macro.Text(kind: .reply, template: "Dear {{customer.name}}"),
                                         status: .solved), replacing: false), as: "sam")
        try fixture.open("Printer jams", name: "Jo & <b>\"Bob\"</b> \u{1B}[31m")
        fixture.console.refresh()
        let before = fixture.log.desk.lastSeq
        fixture.type("m")
        fixture.press(.enter)
        guard case .compose(let draft) = fixture.console.state.mode else { return XCTFail("\(fixture.console.state.mode)") }
        XCTAssertEqual(draft.text, "Dear Jo & <b>\"Bob\"</b> \u{1B}[31m", "no HTML escaping; the escape is data")
        let screen = text(fixture.screen())
        XCTAssertTrue(screen.contains("Dear Jo & <b>\"Bob\"</b> ^[[31m"), "shown, never sent to the terminal: \(screen)")
        XCTAssertFalse(screen.contains("\u{1B}"))

        fixture.press(.escape)  // the built-in editor keeps it as a draft; the external one's empty file:
        fixture.console.finishEditing(draft, text: "\n  \n")
        XCTAssertEqual(fixture.console.state.message?.text, "nothing written; the macro hi was not applied")
        XCTAssertEqual(fixture.log.desk.lastSeq, before)
        XCTAssertEqual(fixture.log.desk.ticket(1)?.status, .new)
        XCTAssertNil(fixture.console.state.drafts[1])
    }

    func testTheHelpListsTheMacroKey() {
        let lines = Overlays.helpLines(focus: .queue).map(\.0)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  m ") && $0.contains("a macro: type to filter") }, lines.joined(separator: "\n"))
    }

    func testWithoutMacrosThePickerSaysHowToMakeOne() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer jams")
        fixture.console.refresh()
        fixture.type("m")
        XCTAssertEqual(fixture.console.state.mode, .normal)
        XCTAssertEqual(fixture.console.state.message?.text, "no macros yet: a supervisor saves them with helpdesk macro add")
    }
}
