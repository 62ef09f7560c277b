import Foundation
import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

/// `M` merges the selected ticket into another, `L` links or unlinks it, `a` attaches a file to its reply.
final class MergeLinkAttachKeyTests: XCTestCase {
    private func statusLine(_ fixture: ConsoleFixture) -> String {
        fixture.screen().lines.last ?? ""
    }

    /// Presses `key`, types `text` at its prompt and Enter; what the status line was told.
    @discardableResult
    private func answer(_ fixture: ConsoleFixture, _ key: Character, _ text: String) -> StatusMessage? {
        fixture.press(.character(key))
        fixture.type(text)
        fixture.press(.enter)
        return fixture.console.state.message
    }

    private func select(_ id: Int, _ fixture: ConsoleFixture) {
        fixture.console.refresh()
        fixture.console.state.selected = id
    }

    func testMMergesTheSelectedTicketIntoTheOneTyped() throws {
        let fixture = try ConsoleFixture()
        let target = try fixture.open("Printer", hoursAgo: 2), source = try fixture.open("Printer again", hoursAgo: 1)
        select(source, fixture)
        fixture.press(.character("M"))
        XCTAssertEqual(fixture.console.state.mode, .prompt(.merge(ticket: source), text: ""))
        fixture.type("#\(target)")
        XCTAssertTrue(statusLine(fixture).hasPrefix("merge #\(source) into ticket: #\(target)"), statusLine(fixture))
        fixture.press(.enter)
        XCTAssertEqual(fixture.console.state.message, StatusMessage(text: "merged #\(source) into #\(target)", isError: false))
        XCTAssertEqual(fixture.console.desk.ticket(source)?.mergedInto, target)
        XCTAssertEqual(fixture.console.desk.ticket(source)?.status, .closed)
        XCTAssertEqual(fixture.console.desk.ticket(target)?.mergedFrom, [source])
        XCTAssertEqual(fixture.console.links, [PaneLink(ticket: target, relation: "merged into")])
    }

    func testMergeRefusalsAreSaidAndWriteNothing() throws {
        let fixture = try ConsoleFixture()
        let id = try fixture.open("Printer", hoursAgo: 1)
        select(id, fixture)
        let before = fixture.console.desk.lastSeq

        XCTAssertEqual(answer(fixture, "M", "\(id)"), StatusMessage(text: "cannot merge ticket \(id) into itself", isError: true))
        XCTAssertEqual(answer(fixture, "M", "printer"), StatusMessage(text: "not a ticket number: printer", isError: true))

        fixture.press(.character("M"), .escape)
        XCTAssertEqual(fixture.console.state.mode, .normal)
        XCTAssertEqual(fixture.console.desk.lastSeq, before, "nothing was written")
        XCTAssertNil(fixture.console.desk.ticket(id)?.mergedInto)
    }

    func testLLinksWithAKindRelatedByDefaultAndMinusUnlinks() throws {
        let fixture = try ConsoleFixture()
        let outage = try fixture.open("Outage", hoursAgo: 3)
        let down = try fixture.open("Mail down", hoursAgo: 2)
        let slow = try fixture.open("Mail slow", hoursAgo: 1)
        select(down, fixture)

        fixture.press(.character("L"))
        XCTAssertTrue(statusLine(fixture).hasPrefix("link #\(down) to (OTHER [related|parent|child|duplicate]; -OTHER unlinks): "))
        fixture.type("\(outage) parent")
        fixture.press(.enter)
        XCTAssertEqual(fixture.console.state.message, StatusMessage(text: "linked #\(down) to #\(outage) (parent)", isError: false))
        answer(fixture, "L", "#\(slow)")
        XCTAssertEqual(fixture.console.links, [PaneLink(ticket: outage, relation: "parent"), PaneLink(ticket: slow, relation: "related")])
        XCTAssertEqual(fixture.console.desk.ticket(outage)?.links.map(\.kind), [.child], "listed both ways")

        XCTAssertEqual(answer(fixture, "L", "-\(outage)"), StatusMessage(text: "unlinked #\(down) from #\(outage)", isError: false))
        XCTAssertEqual(fixture.console.links, [PaneLink(ticket: slow, relation: "related")])
        XCTAssertEqual(fixture.console.desk.ticket(outage)?.links.count, 0)
    }

    func testLinkRefusalsAreSaidAndWriteNothing() throws {
        let fixture = try ConsoleFixture()
        let a = try fixture.open("a", hoursAgo: 2), b = try fixture.open("b", hoursAgo: 1)
        select(a, fixture)
        let before = fixture.console.desk.lastSeq
        let refusals = [
            ("\(b) sibling", "a link is OTHER and one kind of: related, parent, child, duplicate (not sibling)"),
            ("\(a)", "cannot link ticket \(a) to itself"),
            ("-\(b)", "ticket \(a) is not linked to #\(b)"),
            ("-\(b) parent", "-\(b) unlinks; it takes no kind"),
            ("b", "not a ticket number: b"),
        ]
        for (typed, said) in refusals {
            XCTAssertEqual(answer(fixture, "L", typed), StatusMessage(text: said, isError: true), typed)
        }
        XCTAssertEqual(fixture.console.desk.lastSeq, before, "nothing was written")
    }

    func testAAttachesAFileThatTheReplyCarries() throws {
        let fixture = try ConsoleFixture()
        let id = try fixture.open("Invoice", hoursAgo: 1)
        select(id, fixture)
        let path = fixture.folder.file("invoice.pdf")
        try Data("%PDF-1.4 an invoice".utf8).write(to: URL(fileURLWithPath: path))

        fixture.press(.character("a"))
        XCTAssertTrue(statusLine(fixture).hasPrefix("attach to the reply on #\(id), file: "))
        fixture.type(path)
        fixture.press(.enter)
        XCTAssertEqual(fixture.console.state.message,
                       StatusMessage(text: "attached invoice.pdf (19 B) to the reply on #\(id) (1 file); r writes it", isError: false))
        XCTAssertEqual(fixture.console.state.drafts[id]?.attachments.map(\.name), ["invoice.pdf"])
        XCTAssertTrue(fixture.screen().lines.contains { $0.contains("unsent reply draft (0 characters, with invoice.pdf)") })

        fixture.press(.character("r"))
        XCTAssertTrue(fixture.screen().lines.contains { $0.contains("reply on #\(id) with 1 file") }, "the editor's title says it")
        fixture.type("Here it is.")
        fixture.press(.control("d"))
        XCTAssertEqual(fixture.console.state.message?.text, "sent the reply on #\(id) with 1 file")
        let ticket = try XCTUnwrap(fixture.console.desk.ticket(id))
        XCTAssertEqual(ticket.attachments.map(\.name), ["invoice.pdf"])
        XCTAssertEqual(ticket.attachments.first?.type, "application/pdf")
        XCTAssertEqual(ticket.attachments.first?.message, ticket.messages.count, "on the reply, numbered from 1")
        XCTAssertEqual(ticket.messages.last?.kind, .reply)
        XCTAssertEqual(ticket.attachments.first?.size, 19)
        XCTAssertNil(fixture.console.state.drafts[id], "sent: no draft left")

        // Esc keeps a draft that has only files; an empty reply drops them, saying so.
        answer(fixture, "a", path)
        fixture.press(.character("r"), .escape)
        XCTAssertEqual(fixture.console.state.message?.text, "draft kept; press the same key to go on")
        fixture.press(.character("r"), .control("d"))
        XCTAssertEqual(fixture.console.state.message?.text, "nothing written; the reply was not sent and its 1 file dropped")
        XCTAssertNil(fixture.console.state.drafts[id])
        XCTAssertEqual(fixture.console.desk.ticket(id)?.attachments.count, 1, "only the reply sent carries one")
    }

    func testAFileOverTheLimitOrNotAFileIsRefusedKeepingTheDraft() throws {
        let fixture = try ConsoleFixture()
        let id = try fixture.open("Logs", hoursAgo: 1)
        let config = fixture.folder.file("config.yaml")
        try Data("attachment_limit: 1KB\n".utf8).write(to: URL(fileURLWithPath: config))
        fixture.console.service.mail = MailSetup(configPath: config, required: true, logPath: fixture.path)
        select(id, fixture)
        fixture.press(.character("r"))
        fixture.type("The log, attached.")
        fixture.press(.escape)
        let draft = try XCTUnwrap(fixture.console.state.drafts[id])
        let before = fixture.console.desk.lastSeq

        let big = fixture.folder.file("big.log")
        try Data(repeating: 65, count: 2048).write(to: URL(fileURLWithPath: big))
        let refusals = [
            (big, "cannot attach \(big): it is 2.0 KB; replies carry files up to 1.0 KB (attachment_limit in the mail configuration)"),
            (fixture.directory, "cannot attach \(fixture.directory): not a regular file"),
            (fixture.folder.file("missing.txt"), "cannot attach \(fixture.folder.file("missing.txt")): No such file or directory"),
        ]
        for (path, said) in refusals {
            XCTAssertEqual(answer(fixture, "a", path), StatusMessage(text: said, isError: true))
            XCTAssertEqual(fixture.console.state.drafts[id], draft, "the draft is kept as it was")
        }
        XCTAssertEqual(fixture.console.desk.lastSeq, before, "nothing recorded")
        XCTAssertEqual(fixture.console.desk.ticket(id)?.attachments.count, 0)
    }

    func testTheHelpTellsTheKeys() {
        let help = Overlays.helpLines(focus: .queue).map(\.0)
        for (key, words) in [("M", "merge"), ("L", "-OTHER unlinks"), ("a", "attach a file")] {
            XCTAssertTrue(help.contains { $0.hasPrefix("  \(key) ") && $0.contains(words) }, "\(key): \(help)")
        }
    }
}
