import XCTest
@testable import HelpdeskCore

final class FollowUpTests: XCTestCase {
    func testSchedulingAFollowUpMakesTheTicketPending() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        try fixture.run(.take(ticket: id, steal: false), as: "alice")
        let due = fixture.now.addingTimeInterval(7200)
        let events = try fixture.run(.scheduleFollowUp(ticket: id, due: due, note: " call back "), as: "alice")
        XCTAssertEqual(events, [.followUpScheduled(ticket: id, due: due, note: "call back"),
                                .statusChanged(ticket: id, from: .open, to: .pending)])
        XCTAssertEqual(fixture.ticket(id).followUp, FollowUp(due: due, note: "call back"))
        XCTAssertFalse(fixture.ticket(id).needsWork(now: fixture.now))
    }

    func testADueFollowUpIsBackInTheQueueWithoutAnyEvent() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        try fixture.run(.reply(ticket: id, body: "Will check"), as: "alice")
        let due = fixture.now.addingTimeInterval(3600)
        try fixture.run(.scheduleFollowUp(ticket: id, due: due, note: nil), as: "alice")
        let ticket = fixture.ticket(id)
        XCTAssertFalse(ticket.isFollowUpDue(now: due.addingTimeInterval(-1)))
        XCTAssertNil(ticket.waitingSince(now: due.addingTimeInterval(-1)))
        XCTAssertTrue(ticket.isFollowUpDue(now: due))
        XCTAssertTrue(ticket.needsWork(now: due))
        XCTAssertEqual(ticket.waitingSince(now: due.addingTimeInterval(60)), due)
        XCTAssertEqual(fixture.desk.summary(now: due).followUpsDue, 1)
        XCTAssertEqual(ticket.status, .pending, "the status itself only changes through events")
    }

    func testTheCustomerWritingClearsTheFollowUp() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        try fixture.run(.scheduleFollowUp(ticket: id, due: fixture.now.addingTimeInterval(3600), note: nil), as: "alice")
        let events = try fixture.run(.addCustomerMessage(ticket: id, body: "Any news?"), as: "alice")
        XCTAssertEqual(events, [.messageAdded(ticket: id, kind: .customer, body: .text("Any news?")),
                                .followUpCleared(ticket: id),
                                .statusChanged(ticket: id, from: .pending, to: .open)])
        XCTAssertNil(fixture.ticket(id).followUp)
        XCTAssertTrue(fixture.ticket(id).needsWork(now: fixture.now))
    }

    func testClearingAFollowUp() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        fixture.assertRefused(.clearFollowUp(ticket: id), as: "alice", .conflict, containing: "has no follow-up")
        try fixture.run(.scheduleFollowUp(ticket: id, due: fixture.now.addingTimeInterval(60), note: nil), as: "alice")
        let events = try fixture.run(.clearFollowUp(ticket: id), as: "alice")
        XCTAssertEqual(events, [.followUpCleared(ticket: id), .statusChanged(ticket: id, from: .pending, to: .open)])
    }

    func testFollowUpsMustBeInTheFutureOnWorkableTickets() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        fixture.assertRefused(.scheduleFollowUp(ticket: id, due: fixture.now, note: nil), as: "alice", .invalid,
                              containing: "not in the future")
        try fixture.run(.resolve(ticket: id), as: "alice")
        fixture.assertRefused(.scheduleFollowUp(ticket: id, due: fixture.now.addingTimeInterval(60), note: nil),
                              as: "alice", .conflict, containing: "solved")
    }

    func testSolvingClearsTheFollowUp() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        try fixture.run(.scheduleFollowUp(ticket: id, due: fixture.now.addingTimeInterval(60), note: nil), as: "alice")
        let events = try fixture.run(.resolve(ticket: id), as: "alice")
        XCTAssertEqual(events, [.followUpCleared(ticket: id), .statusChanged(ticket: id, from: .pending, to: .solved)])
    }
}
