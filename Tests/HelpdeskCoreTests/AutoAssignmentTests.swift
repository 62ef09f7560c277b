import Foundation
import XCTest
@testable import HelpdeskCore

/// Automatic assignment: round-robin and least-loaded among available members under capacity,
/// waiting tickets oldest and most urgent first, recorded by the desk.
final class AutoAssignmentTests: XCTestCase {
    /// A billing group of alice, bob and dave (all tier 1) that assigns `mode`.
    func desk(_ mode: AssignMode, capacity: Int? = nil) -> DeskFixture {
        var f = DeskFixture(agents: [("alice", .agent, 1), ("bob", .agent, 1), ("dave", .agent, 1)])
        try! f.run(.team(.addGroup(name: "billing", displayName: nil)), as: "sam")
        for agent in ["alice", "bob", "dave"] { try! f.run(.team(.addMember(group: "billing", agent: agent)), as: "sam") }
        if mode != .off { try! f.run(.team(.setAssignMode(group: "billing", mode: mode, capacity: capacity)), as: "sam") }
        try! f.run(.team(.addRule(RoutingRule(name: "all", conditions: ["channel=email"], actions: ["group=billing"]))), as: "sam")
        return f
    }

    @discardableResult
    func handOut(_ f: inout DeskFixture) -> [Event] { try! f.run(.team(.handOutWaiting), as: AutoAssignment.actor) }

    func available(_ f: inout DeskFixture, _ agents: String...) {
        for agent in agents { try! f.run(.team(.available(until: nil)), as: agent) }
    }

    func testRoundRobinHandsTicketsInTurnToAvailableMembers() {
        var f = desk(.roundRobin)
        available(&f, "alice", "bob", "dave")
        var given: [String] = []
        for _ in 0..<7 {
            let id = f.open()
            handOut(&f)
            given.append(f.ticket(id).assignee ?? "-")
        }
        XCTAssertEqual(given, ["alice", "bob", "dave", "alice", "bob", "dave", "alice"])
        let entries = f.ticket(1).history.filter { $0.actor == AutoAssignment.actor }.map(\.event.summary)
        XCTAssertEqual(entries, ["handed it out round-robin", "assigned it to alice"])
    }

    func testOnlyAvailableAgentsReceiveAndAwayStopsAtOnce() throws {
        var f = desk(.roundRobin)
        available(&f, "alice", "bob")
        for _ in 0..<4 { _ = f.open() }
        handOut(&f)
        XCTAssertEqual((1...4).map { f.ticket($0).assignee }, ["alice", "bob", "alice", "bob"])
        try f.run(.team(.away), as: "bob")
        for _ in 0..<2 { _ = f.open() }
        handOut(&f)
        XCTAssertEqual([f.ticket(5).assignee, f.ticket(6).assignee], ["alice", "alice"])
    }

    func testNobodyAvailableLeavesTicketsWaitingUntilSomeoneIsMostUrgentOldestFirst() throws {
        var f = desk(.roundRobin, capacity: 2)
        let low = f.open(priority: .low)
        f.advance(60)
        let urgentOld = f.open(priority: .urgent)
        f.advance(60)
        let urgentNew = f.open(priority: .urgent)
        XCTAssertEqual(handOut(&f), [], "nobody is available")
        XCTAssertEqual(AutoAssignment.waiting(on: f.desk).map(\.id), [urgentOld, urgentNew, low])
        available(&f, "alice")
        handOut(&f)
        XCTAssertEqual(f.ticket(urgentOld).assignee, "alice")
        XCTAssertEqual(f.ticket(urgentNew).assignee, "alice")
        XCTAssertNil(f.ticket(low).assignee, "alice is at capacity")
        try f.run(.resolve(ticket: urgentOld), as: "alice")
        handOut(&f)
        XCTAssertEqual(f.ticket(low).assignee, "alice", "below capacity again")
    }

    func testLeastLoadedGivesToTheAgentWithFewestOpenTickets() throws {
        var f = desk(.leastLoaded, capacity: 3)
        let held = f.open()
        try f.run(.take(ticket: held, steal: false), as: "alice")
        let other = f.open()
        try f.run(.take(ticket: other, steal: false), as: "alice")
        try f.run(.take(ticket: f.open(), steal: false), as: "bob")
        available(&f, "alice", "bob", "dave")
        for _ in 0..<4 { _ = f.open() }
        handOut(&f)
        XCTAssertEqual((4...7).map { f.ticket($0).assignee }, ["dave", "bob", "dave", "alice"])
    }

    func testCapacityIsNeverExceededAndNoTicketIsAssignedTwice() {
        var f = desk(.roundRobin, capacity: 2)
        available(&f, "alice", "bob")
        for _ in 0..<6 { _ = f.open() }
        let events = handOut(&f)
        XCTAssertEqual(events.filter { if case .assigned = $0 { true } else { false } }.count, 4)
        XCTAssertEqual(handOut(&f), [], "decided again, nothing is left to do")
        let load = AutoAssignment.openLoad(on: f.desk)
        XCTAssertEqual(load, ["alice": 2, "bob": 2])
    }

    func testInactiveAgentsAndThoseBelowTheTicketsTierReceiveNothing() throws {
        var f = desk(.roundRobin)
        available(&f, "alice", "bob", "dave")
        try f.run(.changeAgent(account: "bob", displayName: nil, role: nil, tier: nil, active: false), as: "sam")
        try f.run(.changeAgent(account: "dave", displayName: nil, role: nil, tier: 2, active: nil), as: "sam")
        let id = f.open()
        try f.run(.escalate(ticket: id, reason: "hard", tier: 2), as: "sam")
        handOut(&f)
        XCTAssertEqual(f.ticket(id).assignee, "dave", "alice works at tier 1, bob is inactive")
        let next = f.open()
        handOut(&f)
        XCTAssertEqual(f.ticket(next).assignee, "alice", "the next after dave who may take it")
    }

    func testGroupsThatDoNotAssignAndUngroupedTicketsWait() throws {
        var f = desk(.off)
        available(&f, "alice")
        _ = f.open()
        XCTAssertEqual(handOut(&f), [])
        f.assertRefused(.team(.handOutWaiting), as: "alice", .notAllowed, containing: "only the desk itself")
    }
}
