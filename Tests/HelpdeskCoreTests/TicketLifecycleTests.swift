import XCTest
@testable import HelpdeskCore

final class TicketLifecycleTests: XCTestCase {
    func testOpeningATicket() {
        var fixture = DeskFixture()
        let id = fixture.open(priority: .high)
        let ticket = fixture.ticket(id)
        XCTAssertEqual(id, 1)
        XCTAssertEqual(ticket.status, .new)
        XCTAssertEqual(ticket.priority, .high)
        XCTAssertEqual(ticket.tier, 1)
        XCTAssertNil(ticket.assignee)
        XCTAssertEqual(ticket.createdAt, fixture.now)
        XCTAssertEqual(ticket.lastCustomerMessageAt, fixture.now)
        XCTAssertEqual(ticket.messages.map(\.kind), [.customer])
        XCTAssertEqual(ticket.messages.first?.body, .text("It is on fire"))
        XCTAssertEqual(ticket.messages.first?.author, "jane@example.com")
        XCTAssertEqual(fixture.open("Second"), 2)
    }

    func testATicketWithoutBodyHasNoMessage() {
        var fixture = DeskFixture()
        let id = fixture.open(body: "   ")
        XCTAssertTrue(fixture.ticket(id).messages.isEmpty)
        XCTAssertNil(fixture.ticket(id).lastCustomerMessageAt)
    }

    func testAnEmptySubjectIsRefused() {
        var fixture = DeskFixture()
        fixture.assertRefused(.openTicket(customerEmail: "j@example.com", customerName: nil, subject: " \n",
                                          channel: .phone, priority: .low, body: nil),
                              as: "alice", .invalid, containing: "the subject is empty")
    }

    func testReplyingIsTheFirstResponseAndOpensANewTicket() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        fixture.advance(600)
        let events = try fixture.run(.reply(ticket: id, body: "We are on it.\n\n"), as: "bob")
        XCTAssertEqual(events, [.assigned(ticket: id, to: "bob", from: nil),  // a reply takes an unassigned ticket
                                .messageAdded(ticket: id, kind: .reply, body: .text("We are on it.")),
                                .statusChanged(ticket: id, from: .new, to: .open)])
        let firstResponse = fixture.now
        XCTAssertEqual(fixture.ticket(id).firstResponseAt, firstResponse)
        fixture.advance(600)
        try fixture.run(.reply(ticket: id, body: "Still on it."), as: "bob")
        XCTAssertEqual(fixture.ticket(id).firstResponseAt, firstResponse, "only the first reply is the first response")
        XCTAssertEqual(fixture.ticket(id).lastReplyAt, fixture.now)
        XCTAssertEqual(fixture.ticket(id).messages.map(\.author), ["jane@example.com", "bob", "bob"])
    }

    func testNotesAreInternalAndNoResponse() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        try fixture.run(.note(ticket: id, body: "Called facilities"), as: "alice")
        XCTAssertEqual(fixture.ticket(id).messages.last?.kind, .note)
        XCTAssertNil(fixture.ticket(id).firstResponseAt)
        XCTAssertEqual(fixture.ticket(id).status, .new)
        fixture.assertRefused(.note(ticket: id, body: ""), as: "alice", .invalid, containing: "the note is empty")
        fixture.assertRefused(.reply(ticket: id, body: "  "), as: "alice", .invalid, containing: "the reply is empty")
    }

    func testACustomerMessageOnASolvedTicketReopensIt() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        try fixture.run(.resolve(ticket: id), as: "alice")
        XCTAssertEqual(fixture.ticket(id).status, .solved)
        let events = try fixture.run(.addCustomerMessage(ticket: id, body: "It is on fire again"), as: "alice")
        XCTAssertEqual(events, [.messageAdded(ticket: id, kind: .customer, body: .text("It is on fire again")),
                                .statusChanged(ticket: id, from: .solved, to: .open)])
        XCTAssertEqual(fixture.ticket(id).status, .open)
    }

    func testACustomerMessageOnAClosedTicketIsRefused() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        try fixture.run(.close(ticket: id), as: "alice")
        fixture.assertRefused(.addCustomerMessage(ticket: id, body: "hello?"), as: "alice", .conflict,
                              containing: "open a new ticket")
    }

    func testResolveReopenAndClose() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        fixture.assertRefused(.reopen(ticket: id), as: "alice", .conflict, containing: "not solved")
        try fixture.run(.resolve(ticket: id), as: "alice")
        fixture.assertRefused(.resolve(ticket: id), as: "alice", .conflict, containing: "already solved")
        try fixture.run(.reopen(ticket: id), as: "alice")
        XCTAssertEqual(fixture.ticket(id).status, .open)
        try fixture.run(.close(ticket: id), as: "alice")
        XCTAssertEqual(fixture.ticket(id).status, .closed)
        fixture.assertRefused(.close(ticket: id), as: "alice", .conflict, containing: "already closed")
        fixture.assertRefused(.reopen(ticket: id), as: "alice", .conflict, containing: "stays closed")
        fixture.assertRefused(.resolve(ticket: id), as: "alice", .conflict, containing: "closed")
        fixture.assertRefused(.reply(ticket: id, body: "hi"), as: "alice", .conflict, containing: "closed")
    }

    func testHold() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        try fixture.run(.hold(ticket: id), as: "alice")
        XCTAssertEqual(fixture.ticket(id).status, .onHold)
        XCTAssertFalse(fixture.ticket(id).needsWork(now: fixture.now))
        fixture.assertRefused(.hold(ticket: id), as: "alice", .conflict, containing: "already on hold")
        try fixture.run(.addCustomerMessage(ticket: id, body: "any news?"), as: "alice")
        XCTAssertEqual(fixture.ticket(id).status, .open)
    }

    func testPriority() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        let events = try fixture.run(.setPriority(ticket: id, priority: .urgent), as: "bob")
        XCTAssertEqual(events, [.priorityChanged(ticket: id, from: .normal, to: .urgent)])
        XCTAssertEqual(fixture.ticket(id).priority, .urgent)
        fixture.assertRefused(.setPriority(ticket: id, priority: .urgent), as: "bob", .conflict, containing: "already urgent")
        XCTAssertTrue(Priority.urgent > Priority.high && Priority.high > Priority.normal && Priority.normal > Priority.low)
    }

    func testTags() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        try fixture.run(.changeTags(ticket: id, add: ["Billing", "vip", "billing"], remove: []), as: "bob")
        XCTAssertEqual(fixture.ticket(id).tags, ["billing", "vip"])
        let events = try fixture.run(.changeTags(ticket: id, add: ["refund"], remove: ["vip", "absent"]), as: "bob")
        XCTAssertEqual(events, [.tagsChanged(ticket: id, added: ["refund"], removed: ["vip"])])
        XCTAssertEqual(fixture.ticket(id).tags, ["billing", "refund"])
        fixture.assertRefused(.changeTags(ticket: id, add: ["billing"], remove: []), as: "bob", .conflict,
                              containing: "nothing to change")
        fixture.assertRefused(.changeTags(ticket: id, add: ["two words"], remove: []), as: "bob", .invalid,
                              containing: "bad tag")
    }

    func testABareNumberIsRefusedAsATagNamingIt() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        fixture.assertRefused(.changeTags(ticket: id, add: ["8", "bulk"], remove: []), as: "bob", .invalid,
                              containing: "bad tag '8': a tag cannot be a bare number")
        fixture.assertRefused(.changeTags(ticket: id, add: ["bulk", "0042"], remove: []), as: "bob", .invalid,
                              containing: "'0042'")
        XCTAssertEqual(fixture.ticket(id).tags, [], "nothing of a refused change is applied")
        try fixture.run(.changeTags(ticket: id, add: ["v2", "8a"], remove: []), as: "bob")
        XCTAssertEqual(fixture.ticket(id).tags, ["v2", "8a"])
        fixture.assertRefused(.saveMacro(Macro(name: "numbered", addTags: ["12"]), replacing: false), as: "sam", .invalid,
                              containing: "bad tag '12'")
    }

    func testRatings() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        fixture.assertRefused(.rate(ticket: id, score: 5, comment: nil), as: "alice", .conflict,
                              containing: "only solved or closed")
        try fixture.run(.resolve(ticket: id), as: "alice")
        fixture.assertRefused(.rate(ticket: id, score: 6, comment: nil), as: "alice", .invalid, containing: "between 1 and 5")
        fixture.assertRefused(.rate(ticket: id, score: 0, comment: nil), as: "alice", .invalid, containing: "between 1 and 5")
        try fixture.run(.rate(ticket: id, score: 4, comment: " quick, thanks "), as: "alice")
        XCTAssertEqual(fixture.ticket(id).rating, Rating(score: 4, comment: "quick, thanks", at: fixture.now))
    }

    func testUnknownTicketsAreRefused() {
        var fixture = DeskFixture()
        let commands: [Command] = [
            .take(ticket: 7, steal: false), .give(ticket: 7, to: "bob"), .release(ticket: 7),
            .reply(ticket: 7, body: "x"), .note(ticket: 7, body: "x"), .addCustomerMessage(ticket: 7, body: "x"),
            .scheduleFollowUp(ticket: 7, due: fixture.now.addingTimeInterval(60), note: nil), .clearFollowUp(ticket: 7),
            .escalate(ticket: 7, reason: "x", tier: nil), .setPriority(ticket: 7, priority: .low),
            .changeTags(ticket: 7, add: ["a"], remove: []), .resolve(ticket: 7), .reopen(ticket: 7),
            .close(ticket: 7), .hold(ticket: 7), .rate(ticket: 7, score: 3, comment: nil),
        ]
        for command in commands {
            fixture.assertRefused(command, as: "alice", .notFound, containing: "no ticket 7")
        }
    }

    func testHistoryRecordsEveryEventWithWhoAndWhen() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        fixture.advance(60)
        try fixture.run(.take(ticket: id, steal: false), as: "bob")
        let history = fixture.ticket(id).history
        XCTAssertEqual(history.map(\.actor), ["alice", "alice", "bob", "bob"])
        XCTAssertEqual(history.last?.event, .statusChanged(ticket: id, from: .new, to: .open))
        XCTAssertEqual(history.last?.at, fixture.now)
        XCTAssertEqual(history.last?.seq, fixture.seq)
        XCTAssertEqual(fixture.ticket(id).updatedAt, fixture.now)
    }
}
