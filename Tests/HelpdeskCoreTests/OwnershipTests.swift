import XCTest
@testable import HelpdeskCore

/// Who may change a ticket: its assignee, anyone who may take it (unassigned, at or below their
/// tier), or a supervisor; notes are open to every agent; escalating to the assignee too.
final class OwnershipTests: XCTestCase {
    /// alice (tier 1), bob (tier 1), carol (tier 2), dave (tier 3), sam the supervisor.
    private func fixture() -> DeskFixture {
        DeskFixture(agents: [("alice", .agent, 1), ("bob", .agent, 1), ("carol", .agent, 2), ("dave", .agent, 3)])
    }

    private static let changes: [(String, @Sendable (Int) -> Command)] = [
        ("solve", { .resolve(ticket: $0) }),
        ("close", { .close(ticket: $0) }),
        ("hold", { .hold(ticket: $0) }),
        ("priority", { .setPriority(ticket: $0, priority: .urgent) }),
        ("tags", { .changeTags(ticket: $0, add: ["vip"], remove: []) }),
        ("reply", { .reply(ticket: $0, body: "On it") }),
        ("follow-up", { .scheduleFollowUp(ticket: $0, due: Date(timeIntervalSince1970: 1_900_000_000), note: nil) }),
    ]

    /// Each change on a fresh ticket set up by `setUp`: refused for each of `refused` (with the
    /// words it names for the ticket), then done by `allowed`.
    private func eachChange(setUp: [Command], refused: [(String, (Int) -> String)], allowed: String) throws {
        for (what, change) in Self.changes {
            var fixture = fixture()
            let id = fixture.open()
            for step in setUp { try fixture.run(step, as: "sam") }
            for (actor, words) in refused {
                fixture.assertRefused(change(id), as: actor, .notAllowed, containing: words(id))
            }
            XCTAssertNoThrow(try fixture.run(change(id), as: allowed), what)
        }
    }

    func testNobodyButTheAssigneeChangesSomeoneElsesTicket() throws {
        try eachChange(setUp: [.give(ticket: 1, to: "bob")], refused: [("alice", { "#\($0) is bob's" })], allowed: "bob")
    }

    func testNobodyBelowTheTicketsTierChangesIt() throws {
        try eachChange(setUp: [.escalate(ticket: 1, reason: "kernel bug", tier: 3)],
                       refused: [("alice", { "#\($0) is tier 3, you are tier 1" }), ("carol", { "#\($0) is tier 3, you are tier 2" })],
                       allowed: "dave")
    }

    func testSupervisorsChangeAnyTicket() throws {
        for (what, change) in Self.changes {
            var fixture = fixture()
            let id = fixture.open()
            try fixture.run(.escalate(ticket: id, reason: "kernel bug", tier: 3), as: "alice")
            try fixture.run(.take(ticket: id, steal: false), as: "dave")
            XCTAssertNoThrow(try fixture.run(change(id), as: "sam"), what)
        }
    }

    func testTheAssigneeKeepsTheirTicketWhatever() throws {
        var fixture = fixture()
        let id = fixture.open()
        try fixture.run(.escalate(ticket: id, reason: "kernel bug", tier: 3), as: "alice")
        try fixture.run(.give(ticket: id, to: "dave"), as: "sam")
        try fixture.run(.setPriority(ticket: id, priority: .high), as: "dave")
        fixture.assertRefused(.reopen(ticket: id), as: "alice", .conflict, containing: "not solved")
    }

    func testNotesAreOpenToEveryAgent() throws {
        var fixture = fixture()
        let id = fixture.open()
        try fixture.run(.escalate(ticket: id, reason: "kernel bug", tier: 3), as: "alice")
        try fixture.run(.take(ticket: id, steal: false), as: "dave")
        XCTAssertEqual(try fixture.run(.note(ticket: id, body: "seen this before"), as: "alice").count, 1)
    }

    func testAReplyOnAnUnassignedTicketTakesIt() throws {
        var fixture = fixture()
        let id = fixture.open()
        let events = try fixture.run(.reply(ticket: id, body: "Looking into it"), as: "alice")
        XCTAssertEqual(events.first, .assigned(ticket: id, to: "alice", from: nil))
        XCTAssertEqual(fixture.ticket(id).assignee, "alice")
        XCTAssertEqual(fixture.ticket(id).status, .open)
        let again = try fixture.run(.reply(ticket: id, body: "Fixed"), as: "alice")
        XCTAssertFalse(again.contains { if case .assigned = $0 { true } else { false } }, "already hers")
    }

    func testEscalatingIsOpenToTheAssigneeToWhoMayTakeItAndToSupervisors() throws {
        var fixture = fixture()
        let id = fixture.open()
        try fixture.run(.escalate(ticket: id, reason: "needs tier 2", tier: nil), as: "alice")  // unassigned, tier 1
        fixture.assertRefused(.escalate(ticket: id, reason: "again", tier: nil), as: "bob", .notAllowed,
                              containing: "#\(id) is tier 2, you are tier 1")
        try fixture.run(.take(ticket: id, steal: false), as: "carol")
        fixture.assertRefused(.escalate(ticket: id, reason: "mine now", tier: nil), as: "dave", .notAllowed,
                              containing: "#\(id) is carol's")
        try fixture.run(.escalate(ticket: id, reason: "beyond me", tier: nil), as: "carol")  // the assignee
        XCTAssertEqual(fixture.ticket(id).tier, 3)
        XCTAssertNil(fixture.ticket(id).assignee, "carol does not work tier 3")
        let other = fixture.open("Second")
        try fixture.run(.take(ticket: other, steal: false), as: "bob")
        try fixture.run(.escalate(ticket: other, reason: "supervisor's call", tier: nil), as: "sam")
    }

    func testABulkNamesEachRefusalByItsReason() throws {
        var fixture = fixture()
        let mine = fixture.open("Mine"), bobs = fixture.open("Bob's"), high = fixture.open("High")
        try fixture.run(.take(ticket: mine, steal: false), as: "alice")
        try fixture.run(.take(ticket: bobs, steal: false), as: "bob")
        try fixture.run(.escalate(ticket: high, reason: "deep", tier: 3), as: "alice")
        fixture.assertRefused(.bulk([mine, bobs, high].map { .resolve(ticket: $0) }, partial: false), as: "alice",
                              .conflict, containing: "2 of 3 refused: #\(bobs) is bob's; #\(high) is tier 3, you are tier 1")
        XCTAssertEqual(fixture.ticket(mine).status, .open, "nothing applied")
    }

    func testAMacroHandingTheTicketOverDoesItsChangesFirst() throws {
        var fixture = fixture()
        let id = fixture.open()
        try fixture.run(.take(ticket: id, steal: false), as: "alice")
        try fixture.run(.saveMacro(Macro(name: "to-bob", priority: .high, assignment: .agent("bob")), replacing: false),
                        as: "sam")
        let events = try fixture.run(.applyMacro(ticket: id, name: "to-bob", text: nil), as: "alice")
        XCTAssertEqual(events, [.priorityChanged(ticket: id, from: .normal, to: .high),
                                .assigned(ticket: id, to: "bob", from: "alice")])
    }
}

/// `helpdesk reopen` and the console's `o`: solved, pending and on-hold tickets back to open.
final class ReopenTests: XCTestCase {
    func testOnHoldAndPendingTicketsComeBackToOpen() throws {
        var fixture = DeskFixture()
        let held = fixture.open(), pending = fixture.open("Waiting")
        try fixture.run(.take(ticket: held, steal: false), as: "alice")
        try fixture.run(.hold(ticket: held), as: "alice")
        XCTAssertEqual(try fixture.run(.reopen(ticket: held), as: "alice"),
                       [.statusChanged(ticket: held, from: .onHold, to: .open)])
        try fixture.run(.take(ticket: pending, steal: false), as: "alice")
        try fixture.run(.scheduleFollowUp(ticket: pending, due: fixture.now.addingTimeInterval(3600), note: nil), as: "alice")
        XCTAssertEqual(try fixture.run(.reopen(ticket: pending), as: "alice"),
                       [.followUpCleared(ticket: pending), .statusChanged(ticket: pending, from: .pending, to: .open)])
        XCTAssertNil(fixture.ticket(pending).followUp)
    }

    func testReopeningNamesTheStatusWhenItCannot() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        let steps: [(Command?, String)] = [(nil, "ticket \(id) is new, not solved, pending or on hold"),
                                           (.take(ticket: id, steal: false), "ticket \(id) is open, not solved, pending or on hold"),
                                           (.close(ticket: id), "ticket \(id) is closed and stays closed")]
        for (step, refusal) in steps {
            if let step { try fixture.run(step, as: "alice") }
            fixture.assertRefused(.reopen(ticket: id), as: "alice", .conflict, containing: refusal)
        }
    }

    func testOnlyWhoMayChangeItReopensIt() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        try fixture.run(.take(ticket: id, steal: false), as: "bob")
        try fixture.run(.hold(ticket: id), as: "bob")
        fixture.assertRefused(.reopen(ticket: id), as: "alice", .notAllowed, containing: "#\(id) is bob's")
    }
}

/// The ticket `N` and `helpdesk next` take.
final class NextTicketTests: XCTestCase {
    func testTheMostUrgentUnassignedTicketTheAgentMayWork() throws {
        var fixture = DeskFixture()
        let low = fixture.open("Low", priority: .low)
        let urgentHigh = fixture.open("Urgent but tier 2", priority: .urgent)
        let high = fixture.open("High", priority: .high)
        let taken = fixture.open("Urgent, taken", priority: .urgent)
        try fixture.run(.escalate(ticket: urgentHigh, reason: "deep", tier: 2), as: "alice")
        try fixture.run(.take(ticket: taken, steal: false), as: "bob")
        XCTAssertEqual(try NextTicket.take(by: "alice", on: fixture.desk, now: fixture.now), .take(ticket: high, steal: false))
        XCTAssertEqual(try NextTicket.take(by: "carol", on: fixture.desk, now: fixture.now),
                       .take(ticket: urgentHigh, steal: false))
        try fixture.run(.take(ticket: high, steal: false), as: "alice")
        try fixture.run(.take(ticket: low, steal: false), as: "alice")
        XCTAssertThrowsError(try NextTicket.take(by: "alice", on: fixture.desk, now: fixture.now)) { error in
            XCTAssertEqual((error as? Refusal)?.message, "nothing to take: no unassigned ticket you may work")
        }
        XCTAssertThrowsError(try NextTicket.take(by: "mallory", on: fixture.desk, now: fixture.now)) { error in
            XCTAssertEqual((error as? Refusal)?.subject, .notOnRoster(account: "mallory"))
        }
    }
}
