import XCTest
@testable import HelpdeskCore

final class AssignmentTests: XCTestCase {
    func testTakingAnUnassignedTicket() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        let events = try fixture.run(.take(ticket: id, steal: false), as: "alice")
        XCTAssertEqual(events, [.assigned(ticket: id, to: "alice", from: nil),
                                .statusChanged(ticket: id, from: .new, to: .open)])
        XCTAssertEqual(fixture.ticket(id).assignee, "alice")
        fixture.assertRefused(.take(ticket: id, steal: false), as: "alice", .conflict, containing: "already yours")
    }

    func testTakingSomeoneElsesTicketNeedsSteal() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        try fixture.run(.take(ticket: id, steal: false), as: "alice")
        fixture.assertRefused(.take(ticket: id, steal: false), as: "bob", .conflict, containing: "assigned to alice")
        // Each adapter words how to steal it (--steal, the T key): the refusal says what it is about.
        XCTAssertThrowsError(try fixture.run(.take(ticket: id, steal: false), as: "bob")) { error in
            XCTAssertEqual((error as? Refusal)?.subject, .assignedToOther(ticket: id, holder: "alice"))
        }
        let events = try fixture.run(.take(ticket: id, steal: true), as: "bob")
        XCTAssertEqual(events, [.assigned(ticket: id, to: "bob", from: "alice")], "the steal records from whom")
        XCTAssertEqual(fixture.ticket(id).assignee, "bob")
    }

    func testTicketsAboveAnAgentsTierAreRefused() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        try fixture.run(.escalate(ticket: id, reason: "needs an engineer", tier: nil), as: "alice")
        fixture.assertRefused(.take(ticket: id, steal: false), as: "alice", .notAllowed, containing: "at tier 2")
        try fixture.run(.take(ticket: id, steal: false), as: "carol")
        try fixture.run(.take(ticket: id, steal: true), as: "sam")  // supervisors work any tier
        XCTAssertEqual(fixture.ticket(id).assignee, "sam")
    }

    func testSolvedAndClosedTicketsCannotBeTaken() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        try fixture.run(.resolve(ticket: id), as: "alice")
        fixture.assertRefused(.take(ticket: id, steal: false), as: "alice", .conflict, containing: "reopen it first")
        try fixture.run(.close(ticket: id), as: "alice")
        fixture.assertRefused(.take(ticket: id, steal: true), as: "alice", .conflict, containing: "closed")
    }

    func testTheAssigneeAndSupervisorsGive() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        fixture.assertRefused(.give(ticket: id, to: "bob"), as: "alice", .notAllowed, containing: "a supervisor")
        try fixture.run(.give(ticket: id, to: "alice"), as: "sam")
        XCTAssertEqual(fixture.ticket(id).assignee, "alice")
        XCTAssertEqual(fixture.ticket(id).status, .open)
        fixture.assertRefused(.give(ticket: id, to: "carol"), as: "bob", .notAllowed, containing: "the assignee (alice)")
        let events = try fixture.run(.give(ticket: id, to: "bob"), as: "alice")
        XCTAssertEqual(events, [.assigned(ticket: id, to: "bob", from: "alice")])
        fixture.assertRefused(.give(ticket: id, to: "bob"), as: "bob", .conflict, containing: "already assigned to bob")
        fixture.assertRefused(.give(ticket: id, to: "nobody"), as: "bob", .notFound, containing: "no agent nobody")
    }

    func testGivingToAnInactiveOrLowerTierAgentIsRefused() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        try fixture.run(.changeAgent(account: "bob", displayName: nil, role: nil, tier: nil, active: false), as: "sam")
        fixture.assertRefused(.give(ticket: id, to: "bob"), as: "sam", .notAllowed, containing: "inactive")
        try fixture.run(.escalate(ticket: id, reason: "hard", tier: 2), as: "sam")
        fixture.assertRefused(.give(ticket: id, to: "alice"), as: "sam", .notAllowed, containing: "works at tier 1")
    }

    func testRelease() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        fixture.assertRefused(.release(ticket: id), as: "alice", .conflict, containing: "not assigned")
        try fixture.run(.take(ticket: id, steal: false), as: "alice")
        fixture.assertRefused(.release(ticket: id), as: "bob", .notAllowed, containing: "assigned to alice")
        let events = try fixture.run(.release(ticket: id), as: "alice")
        XCTAssertEqual(events, [.unassigned(ticket: id, from: "alice")])
        XCTAssertNil(fixture.ticket(id).assignee)
        try fixture.run(.take(ticket: id, steal: false), as: "bob")
        try fixture.run(.release(ticket: id), as: "sam")
        XCTAssertNil(fixture.ticket(id).assignee)
    }

    func testEscalationRaisesTheTierAndLeavesALowerTierAssignee() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        try fixture.run(.take(ticket: id, steal: false), as: "alice")
        let events = try fixture.run(.escalate(ticket: id, reason: "database corruption", tier: nil), as: "alice")
        XCTAssertEqual(events, [.escalated(ticket: id, tier: 2, reason: "database corruption"),
                                .unassigned(ticket: id, from: "alice")])
        XCTAssertEqual(fixture.ticket(id).tier, 2)
        XCTAssertNil(fixture.ticket(id).assignee)
        try fixture.run(.take(ticket: id, steal: false), as: "carol")
        try fixture.run(.escalate(ticket: id, reason: "vendor bug", tier: 3), as: "carol")
        XCTAssertEqual(fixture.ticket(id).tier, 3)
        fixture.assertRefused(.escalate(ticket: id, reason: "more", tier: nil), as: "sam", .conflict,
                              containing: "already at tier 3, the highest")
    }

    func testBadEscalationsAreRefused() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        fixture.assertRefused(.escalate(ticket: id, reason: " ", tier: nil), as: "alice", .invalid,
                              containing: "the reason is empty")
        fixture.assertRefused(.escalate(ticket: id, reason: "x", tier: 1), as: "alice", .invalid,
                              containing: "choose 2 to 3")
        fixture.assertRefused(.escalate(ticket: id, reason: "x", tier: 4), as: "alice", .invalid,
                              containing: "choose 2 to 3")
        try fixture.run(.take(ticket: id, steal: false), as: "carol")
        try fixture.run(.escalate(ticket: id, reason: "x", tier: 2), as: "carol")
        XCTAssertEqual(fixture.ticket(id).assignee, "carol", "a tier-2 assignee keeps a tier-2 ticket")
    }
}
