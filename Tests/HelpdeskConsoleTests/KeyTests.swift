import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog

/// Keys turn into state changes and appends; the desk changes only through the log.
final class KeyTests: XCTestCase {
    func testMovingSelectsTicketsInQueueOrder() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Low one", priority: .low, hoursAgo: 5)
        try fixture.open("Urgent one", priority: .urgent, hoursAgo: 1)
        try fixture.open("Normal old", hoursAgo: 4)
        try fixture.open("Normal new", hoursAgo: 2)
        fixture.console.refresh()
        XCTAssertEqual(fixture.console.queue.ids, [2, 3, 4, 1], "priority first, then the longest wait")
        XCTAssertEqual(fixture.console.state.selected, 2)
        fixture.press(.character("j"), .down)
        XCTAssertEqual(fixture.console.state.selected, 4)
        fixture.press(.character("k"))
        XCTAssertEqual(fixture.console.state.selected, 3)
        fixture.press(.end)
        XCTAssertEqual(fixture.console.state.selected, 1)
        fixture.press(.character("j"))
        XCTAssertEqual(fixture.console.state.selected, 1, "the end stays the end")
        fixture.press(.home)
        XCTAssertEqual(fixture.console.state.selected, 2)
        fixture.press(.character("S"))
        XCTAssertEqual(fixture.console.queue.ids, [4, 3, 2, 1], "sorted by newest")
    }

    func testFilterNarrowsAsYouTypeAndEscClears() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        try fixture.open("Invoice question", email: "max@example.org", name: "Max Power")
        try fixture.run(.changeTags(ticket: 1, add: ["hardware"], remove: []), as: "bob")
        fixture.press(.character("/"))
        fixture.type("max")
        XCTAssertEqual(fixture.console.queue.ids, [2], "by customer name")
        XCTAssertEqual(fixture.console.state.selected, 2)
        fixture.press(.backspace, .backspace, .backspace)
        fixture.type("hardw")
        XCTAssertEqual(fixture.console.queue.ids, [1], "by tag")
        fixture.press(.enter)
        XCTAssertEqual(fixture.console.state.filter, "hardw", "Enter keeps the filter")
        XCTAssertTrue(fixture.screen().lines[0].contains("/hardw"))
        fixture.press(.character("/"), .escape)
        XCTAssertEqual(fixture.console.state.filter, "")
        XCTAssertEqual(fixture.console.queue.ids.count, 2)
        fixture.press(.character("/"))
        fixture.type("#2")
        XCTAssertEqual(fixture.console.queue.ids, [2], "by id")
    }

    func testViews() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Mine")
        try fixture.open("Unassigned")
        try fixture.open("Escalated")
        try fixture.open("Solved")
        try fixture.run(.take(ticket: 1, steal: false), as: "alice")
        try fixture.run(.escalate(ticket: 3, reason: "hard", tier: nil), as: "bob")
        try fixture.run(.resolve(ticket: 4), as: "bob")
        try fixture.run(.scheduleFollowUp(ticket: 2, due: fixture.now.addingTimeInterval(-60), note: nil), as: "bob", hoursAgo: 1)
        func view(_ key: Character) -> [Int] {
            fixture.press(.character("v"), .character(key))
            return fixture.console.queue.ids.sorted()
        }
        XCTAssertEqual(view("m"), [1])
        XCTAssertEqual(view("u"), [2, 3])
        XCTAssertEqual(view("e"), [3])
        XCTAssertEqual(view("f"), [2])
        XCTAssertEqual(view("p"), [2])
        XCTAssertEqual(view("s"), [4])
        XCTAssertEqual(view("a"), [1, 2, 3])
        XCTAssertTrue(fixture.screen().lines[0].contains("all open"))
    }

    func testTakeReleaseAndStealGoThroughTheLog() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        fixture.press(.character("t"))
        XCTAssertEqual(fixture.console.desk.ticket(1)?.assignee, "alice")
        XCTAssertEqual(try DeskLog(path: fixture.path, writable: false).desk.ticket(1)?.assignee, "alice",
                       "the take is in the log, for everyone")
        XCTAssertEqual(fixture.console.state.message?.text, "took #1")
        fixture.press(.character("t"))
        XCTAssertEqual(fixture.console.state.message, StatusMessage(text: "ticket 1 is already yours", isError: true))
        fixture.press(.character("u"))
        XCTAssertNil(fixture.console.desk.ticket(1)?.assignee)
        try fixture.appendElsewhere(.take(ticket: 1, steal: false), as: "bob")
        fixture.press(.character("T"))
        XCTAssertEqual(fixture.console.state.mode, .question(.steal(ticket: 1, from: "bob")),
                       "the console had not seen bob's take, but the fresh desk under the lock had")
        fixture.press(.character("n"))
        XCTAssertEqual(fixture.console.desk.ticket(1)?.assignee, "bob")
        fixture.press(.character("T"), .character("y"))
        XCTAssertEqual(fixture.console.desk.ticket(1)?.assignee, "alice")
        XCTAssertEqual(fixture.console.desk.ticket(1)?.history.last?.event, .assigned(ticket: 1, to: "alice", from: "bob"))
    }

    func testGiveCompletesFromTheRoster() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        fixture.press(.character("t"), .character("g"))
        fixture.type("ca")
        fixture.press(.tab)
        XCTAssertEqual(fixture.console.state.mode, .prompt(.give(ticket: 1), text: "carol"))
        XCTAssertTrue(fixture.screen().lines.last!.contains("give #1 to (Tab completes): carol"))
        fixture.press(.enter)
        XCTAssertEqual(fixture.console.desk.ticket(1)?.assignee, "carol")
        XCTAssertEqual(fixture.console.completeAgent("b"), "bob")
        XCTAssertEqual(fixture.console.completeAgent("x"), "x")
    }

    func testPromptsForPriorityFollowUpEscalationAndTags() throws {
        let fixture = try ConsoleFixture()
        // At tier 3, alice may still change the ticket once she has escalated it to tier 2.
        try fixture.run(.changeAgent(account: "alice", displayName: nil, role: nil, tier: 3, active: nil), as: "sam")
        try fixture.open("Printer on fire")
        fixture.press(.character("p"), .character("u"))
        XCTAssertEqual(fixture.console.desk.ticket(1)?.priority, .urgent)
        fixture.press(.character("f"))
        fixture.type("2h")
        fixture.press(.enter)
        XCTAssertEqual(fixture.console.desk.ticket(1)?.followUp?.due, fixture.now.addingTimeInterval(7200))
        XCTAssertEqual(fixture.console.desk.ticket(1)?.status, .pending)
        fixture.press(.character("f"), .enter)
        XCTAssertNil(fixture.console.desk.ticket(1)?.followUp, "an empty answer clears the follow-up")
        fixture.press(.character("f"))
        fixture.type("someday")
        fixture.press(.enter)
        XCTAssertTrue(fixture.console.state.message?.text.contains("bad time 'someday'") == true)
        XCTAssertEqual(fixture.console.state.message?.isError, true)
        fixture.press(.character("e"))
        fixture.type("needs an engineer")
        fixture.press(.enter)
        XCTAssertEqual(fixture.console.desk.ticket(1)?.tier, 2)
        fixture.press(.character("#"))
        fixture.type("+hardware +fire")
        fixture.press(.enter)
        XCTAssertEqual(fixture.console.desk.ticket(1)?.tags, ["hardware", "fire"])
        fixture.press(.character("#"))
        fixture.type("nothing-new")
        fixture.press(.escape)
        XCTAssertEqual(fixture.console.desk.ticket(1)?.tags, ["hardware", "fire"], "Esc cancels")
        fixture.press(.character("s"))
        XCTAssertEqual(fixture.console.desk.ticket(1)?.status, .solved)
        fixture.press(.character("o"))
        XCTAssertEqual(fixture.console.desk.ticket(1)?.status, .open)
    }

    func testPullNextTakesTheMostUrgentTicketAliceMayWork() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Normal", hoursAgo: 3)
        try fixture.open("Urgent but tier 2", priority: .urgent)
        try fixture.open("High", priority: .high)
        try fixture.run(.escalate(ticket: 2, reason: "hard", tier: nil), as: "bob")
        fixture.press(.character("N"))
        XCTAssertEqual(fixture.console.desk.ticket(3)?.assignee, "alice")
        XCTAssertEqual(fixture.console.state.selected, 3)
        try fixture.appendElsewhere(.take(ticket: 1, steal: false), as: "bob")
        fixture.press(.character("N"))
        XCTAssertEqual(fixture.console.state.message, StatusMessage(text: "nothing to take: no unassigned ticket you may work", isError: true),
                       "bob took the last one first; the decision was made on the fresh desk")
    }

    func testTheBuiltInEditorWritesARepy() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        fixture.press(.character("r"))
        fixture.type("Hello Jane,")
        fixture.press(.enter)
        fixture.type("try turning it off")
        XCTAssertTrue(fixture.screen().lines.contains { $0.contains("try turning it off") })
        fixture.press(.escape)
        XCTAssertEqual(fixture.console.state.drafts[1]?.text, "Hello Jane,\ntry turning it off", "Esc keeps the draft")
        XCTAssertTrue(fixture.screen().lines.contains { $0.contains("unsent reply draft") })
        fixture.press(.character("q"))
        XCTAssertEqual(fixture.console.state.mode, .question(.quit), "quitting with a draft asks")
        fixture.press(.character("n"), .character("r"))
        fixture.type(".")
        fixture.press(.control("d"))
        let ticket = try XCTUnwrap(fixture.console.desk.ticket(1))
        XCTAssertEqual(ticket.messages.last?.kind, .reply)
        XCTAssertEqual(try fixture.log.text(of: ticket.messages.last!.body), "Hello Jane,\ntry turning it off.")
        XCTAssertTrue(fixture.console.state.drafts.isEmpty)
        XCTAssertEqual(fixture.console.handle(.character("q")), .quit)
    }

    func testAReplyWrittenWhileTheCustomerWroteIsNotSentSilently() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        fixture.press(.character("r"))
        fixture.type("Please restart it.")
        try fixture.appendElsewhere(.addCustomerMessage(ticket: 1, body: "Never mind, it works now!"), as: "bob")
        fixture.press(.control("d"))
        guard case .question(.collision(let draft, let arrived)) = fixture.console.state.mode else {
            return XCTFail("expected the collision question, got \(fixture.console.state.mode)")
        }
        XCTAssertEqual(draft.text, "Please restart it.")
        XCTAssertEqual(arrived, ["jane@example.com: Never mind, it works now!"])
        XCTAssertTrue(fixture.screen().lines.contains { $0.contains("Never mind, it works now!") })
        XCTAssertEqual(fixture.console.desk.ticket(1)?.messages.count, 2, "nothing was sent")
        fixture.press(.character("e"))
        guard case .compose(let again) = fixture.console.state.mode else { return XCTFail("expected to edit again") }
        XCTAssertEqual(again.seenMessages, 2)
        fixture.press(.escape)
        fixture.press(.character("r"), .control("d"))
        XCTAssertEqual(fixture.console.desk.ticket(1)?.messages.last?.kind, .reply, "sent once nothing new arrived")
    }

    func testSendAnywayAndDiscard() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        fixture.press(.character("n"))
        fixture.type("internal")
        try fixture.appendElsewhere(.reply(ticket: 1, body: "bob answered"), as: "bob")
        fixture.press(.control("d"), .character("s"))
        XCTAssertEqual(fixture.console.desk.ticket(1)?.messages.map(\.kind), [.customer, .reply, .note])
        fixture.press(.character("r"))
        fixture.type("late")
        try fixture.appendElsewhere(.addCustomerMessage(ticket: 1, body: "more"), as: "bob")
        fixture.press(.control("d"), .character("d"))
        XCTAssertEqual(fixture.console.desk.ticket(1)?.messages.count, 4)
        XCTAssertTrue(fixture.console.state.drafts.isEmpty)
    }

    func testOthersChangesArriveAndKeepTheSelection() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("First", hoursAgo: 2)
        try fixture.open("Second", hoursAgo: 1)
        fixture.press(.character("j"))
        XCTAssertEqual(fixture.console.state.selected, 2)
        try fixture.appendElsewhere(.openTicket(customerEmail: "x@example.com", customerName: nil, subject: "Urgent new",
                                                channel: .chat, priority: .urgent, body: nil), as: "bob")
        XCTAssertTrue(fixture.console.catchUp())
        XCTAssertEqual(fixture.console.queue.ids.first, 3)
        XCTAssertEqual(fixture.console.state.selected, 2, "the selection stays on the same ticket")
        XCTAssertFalse(fixture.console.catchUp(), "nothing more to read")
    }

    func testCustomerPaneJumpsToAnEarlierTicket() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Old problem", hoursAgo: 5)
        try fixture.run(.close(ticket: 1), as: "bob")
        try fixture.open("New problem", hoursAgo: 1)
        XCTAssertEqual(fixture.console.state.selected, 2)
        fixture.press(.tab, .tab)
        XCTAssertEqual(fixture.console.state.focus, .customer)
        fixture.press(.character("j"), .enter)
        XCTAssertEqual(fixture.console.state.selected, 1)
        XCTAssertEqual(fixture.console.state.focus, .ticket)
        XCTAssertTrue(fixture.screen().lines[0].contains("#1 Old problem"))
    }

    func testHistoryToggle() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        try fixture.run(.take(ticket: 1, steal: false), as: "carol")
        fixture.press(.character("h"))
        let lines = fixture.screen(rows: 20, columns: 120).lines
        XCTAssertTrue(lines.contains { $0.contains("carol: assigned it to carol") }, lines.joined(separator: "\n"))
    }

    func testHelpIsMadeFromTheActionTable() throws {
        let fixture = try ConsoleFixture()
        fixture.press(.character("?"))
        let text = fixture.screen(rows: 60, columns: 120).lines.joined(separator: "\n")
        for row in KeyTable.standard.rows where [.queue, .console, .anywhere].contains(row.scope) {
            XCTAssertTrue(text.contains(row.help), "help lacks \(row.action)")
        }
        fixture.press(.character("x"))
        XCTAssertEqual(fixture.console.state.mode, .normal, "any key closes the help")
    }

    func testHelpScrollsOnAShortTerminal() throws {
        let fixture = try ConsoleFixture()
        fixture.press(.character("?"))
        var seen = ""
        for _ in 0..<40 {
            seen += fixture.screen(rows: 24, columns: 80).lines.joined(separator: "\n")
            fixture.press(.character("j"))
        }
        XCTAssertEqual(fixture.console.state.mode, .help, "j scrolls, it does not close")
        for row in KeyTable.standard.rows where [.queue, .console, .anywhere].contains(row.scope) {
            XCTAssertTrue(seen.contains(row.help), "at 80x24 the help never shows \(row.action)")
        }
        XCTAssertTrue(seen.contains("j/k ↓/↑ scroll"))
        fixture.press(.escape)
        XCTAssertEqual(fixture.console.state.mode, .normal)
    }

    func testTheIssuesKeysAreBound() {
        let expected: [Character: Action] = [
            "j": .moveDown, "k": .moveUp, "/": .filter, "v": .chooseView, "?": .help, "q": .quit, "t": .take,
            "T": .steal, "g": .give, "u": .release, "N": .pullNext, "r": .reply, "n": .note, "c": .customerMessage,
            "f": .followUp, "e": .escalate, "p": .priority, "s": .solve, "o": .reopen, "#": .tags,
        ]
        let keymap = KeyTable.standard.keymap(KeyTable.scopes(focus: .queue))
        for (key, action) in expected { XCTAssertEqual(keymap[.character(key)], action, "key \(key)") }
        XCTAssertEqual(keymap[.enter], .open)
        XCTAssertEqual(keymap[.tab], .cyclePane)
    }
}
