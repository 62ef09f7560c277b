import Foundation
import HelpdeskCore
import XCTest
@testable import HelpdeskLog

/// The groups, rules, availability, round-robin turns and each ticket's group survive a snapshot.
final class TeamSnapshotTests: XCTestCase {
    func testTheTeamAndTicketGroupsAreKept() throws {
        let path = try makeTemporaryDirectory().file("desk.log")
        let log = try LogFixture.create(path)
        let later = Date().addingTimeInterval(3600)
        for command: Command in [
            .addAgent(account: "alice", displayName: nil, role: .agent, tier: 1),
            .addAgent(account: "bob", displayName: nil, role: .agent, tier: 1),
            .team(.addGroup(name: "billing", displayName: "Billing & refunds")),
            .team(.addGroup(name: "gone", displayName: nil)),
            .team(.removeGroup(name: "gone")),
            .team(.addMember(group: "billing", agent: "alice")),
            .team(.addMember(group: "billing", agent: "bob")),
            .team(.setAssignMode(group: "billing", mode: .roundRobin, capacity: 3)),
            .team(.addRule(RoutingRule(name: "refunds", conditions: ["subject~refund"], actions: ["group=billing", "tag=+r"]))),
            .team(.addRule(RoutingRule(name: "chat", conditions: ["channel=chat"], actions: ["priority=high"]))),
            .team(.moveRule(name: "chat", before: "refunds")),
        ] { try LogFixture.perform(log, command) }
        try LogFixture.perform(log, .team(.available(until: later)), as: "alice")
        try LogFixture.perform(log, .team(.available(until: nil)), as: "bob")
        try LogFixture.perform(log, .team(.away), as: "bob")
        try LogFixture.perform(log, .openTicket(customerEmail: "a@example.com", customerName: nil, subject: "Refund",
                                                channel: .email, priority: .normal, body: "please"))
        try LogFixture.perform(log, .team(.handOutWaiting), as: AutoAssignment.actor)
        XCTAssertEqual(log.desk.ticket(1)?.assignee, "alice")

        XCTAssertTrue(try log.writeSnapshot(now: Date()))
        let reopened = try DeskLog(path: path, writable: false)
        XCTAssertEqual(reopened.snapshotCovers.seq, log.desk.lastSeq, "opened from the snapshot")
        XCTAssertEqual(reopened.desk, try DeskLog(path: path, writable: false, snapshots: false).desk)
        let team = reopened.desk.team
        XCTAssertEqual(team.groups["billing"], Group(name: "billing", displayName: "Billing & refunds", members: ["alice", "bob"],
                                                     assignMode: .roundRobin, capacity: 3))
        XCTAssertEqual(team.rules.map(\.name), ["chat", "refunds"])
        XCTAssertEqual(team.availability["alice"]?.until.map { Int($0.timeIntervalSince1970) }, Int(later.timeIntervalSince1970))
        XCTAssertEqual(team.availability["bob"], Availability(available: false))
        XCTAssertEqual(team.lastTurn, ["billing": "alice"])
        XCTAssertEqual(reopened.desk.ticket(1)?.group, "billing")
    }
}
