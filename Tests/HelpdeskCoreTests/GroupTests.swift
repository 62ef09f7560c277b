import Foundation
import XCTest
@testable import HelpdeskCore

/// Groups: supervisors change them; agents work their groups' tickets and ungrouped ones.
final class GroupTests: XCTestCase {
    static func teamDesk() -> DeskFixture {
        var f = DeskFixture()
        try! f.run(.team(.addGroup(name: "billing", displayName: "Billing & refunds")), as: "sam")
        try! f.run(.team(.addGroup(name: "tech", displayName: nil)), as: "sam")
        try! f.run(.team(.addMember(group: "billing", agent: "alice")), as: "sam")
        try! f.run(.team(.addMember(group: "tech", agent: "bob")), as: "sam")
        return f
    }

    func testGroupsAreAddedWithMembersInTheOrderTheyJoined() throws {
        var f = Self.teamDesk()
        try f.run(.team(.addMember(group: "billing", agent: "carol")), as: "sam")
        XCTAssertEqual(f.desk.team.groups["billing"]?.displayName, "Billing & refunds")
        XCTAssertEqual(f.desk.team.groups["tech"]?.displayName, "tech")
        XCTAssertEqual(f.desk.team.groups["billing"]?.members, ["alice", "carol"])
        XCTAssertEqual(f.desk.team.groups(of: "carol").map(\.name), ["billing"])
        try f.run(.team(.removeMember(group: "billing", agent: "alice")), as: "sam")
        XCTAssertEqual(f.desk.team.groups["billing"]?.members, ["carol"])
        try f.run(.team(.removeGroup(name: "tech")), as: "sam")
        XCTAssertNil(f.desk.team.groups["tech"])
    }

    func testGroupChangesAreRefusedNamingWhatIsWrong() {
        var f = Self.teamDesk()
        f.assertRefused(.team(.addGroup(name: "ops", displayName: nil)), as: "alice", .notAllowed, containing: "only supervisors")
        f.assertRefused(.team(.addGroup(name: "billing", displayName: nil)), as: "sam", .conflict, containing: "exists already")
        f.assertRefused(.team(.addGroup(name: "two words", displayName: nil)), as: "sam", .invalid, containing: "bad group name")
        f.assertRefused(.team(.removeGroup(name: "nope")), as: "sam", .notFound, containing: "no group nope")
        f.assertRefused(.team(.addMember(group: "nope", agent: "alice")), as: "sam", .notFound, containing: "no group nope")
        f.assertRefused(.team(.addMember(group: "billing", agent: "zed")), as: "sam", .notFound, containing: "no agent zed")
        f.assertRefused(.team(.addMember(group: "billing", agent: "alice")), as: "sam", .conflict, containing: "already in")
        f.assertRefused(.team(.removeMember(group: "billing", agent: "bob")), as: "sam", .notFound, containing: "bob is not in")
        f.assertRefused(.team(.removeMember(group: "billing", agent: "alice")), as: "bob", .notAllowed, containing: "only supervisors")
        f.assertRefused(.team(.setAssignMode(group: "billing", mode: .roundRobin, capacity: 0)), as: "sam", .invalid,
                        containing: "at least 1")
        f.assertRefused(.team(.setAssignMode(group: "billing", mode: .off, capacity: nil)), as: "sam", .conflict,
                        containing: "already assigns off")
    }

    func testAGroupWithOpenTicketsOrARuleNamingItStays() throws {
        var f = Self.teamDesk()
        let id = f.open()
        try f.run(.team(.setGroup(ticket: id, group: "billing")), as: "sam")
        f.assertRefused(.team(.removeGroup(name: "billing")), as: "sam", .conflict, containing: "1 open ticket")
        try f.run(.resolve(ticket: id), as: "sam")
        try f.run(.team(.addRule(RoutingRule(name: "r", conditions: ["channel=chat"], actions: ["group=billing"]))), as: "sam")
        f.assertRefused(.team(.removeGroup(name: "billing")), as: "sam", .conflict, containing: "rule r routes")
        try f.run(.team(.removeRule(name: "r")), as: "sam")
        try f.run(.team(.removeGroup(name: "billing")), as: "sam")
    }

    func testSettingATicketsGroupAndNone() throws {
        var f = Self.teamDesk()
        let id = f.open()
        let events = try f.run(.team(.setGroup(ticket: id, group: "billing")), as: "alice")
        XCTAssertEqual(events, [.ticketGrouped(ticket: id, group: "billing", from: nil)])
        XCTAssertEqual(f.ticket(id).group, "billing")
        f.assertRefused(.team(.setGroup(ticket: id, group: "billing")), as: "alice", .conflict, containing: "already in the group billing")
        f.assertRefused(.team(.setGroup(ticket: id, group: "nope")), as: "alice", .notFound, containing: "no group nope")
        f.assertRefused(.team(.setGroup(ticket: 99, group: "tech")), as: "alice", .notFound, containing: "no ticket 99")
        f.assertRefused(.team(.setGroup(ticket: id, group: nil)), as: "bob", .notAllowed, containing: "bob is not in it")
        try f.run(.team(.setGroup(ticket: id, group: nil)), as: "alice")
        XCTAssertNil(f.ticket(id).group)
        XCTAssertEqual(f.ticket(id).history.last?.event.summary, "moved it to no group (from billing)")
    }

    func testAClosedTicketKeepsItsGroup() throws {
        var f = Self.teamDesk()
        let id = f.open()
        try f.run(.close(ticket: id), as: "sam")
        f.assertRefused(.team(.setGroup(ticket: id, group: "tech")), as: "sam", .conflict, containing: "closed")
    }

    func testMovingATicketToAGroupItsAssigneeIsNotInLetsItGo() throws {
        var f = Self.teamDesk()
        let id = f.open()
        try f.run(.take(ticket: id, steal: false), as: "alice")
        let events = try f.run(.team(.setGroup(ticket: id, group: "tech")), as: "sam")
        XCTAssertEqual(events.last, .unassigned(ticket: id, from: "alice"))
        XCTAssertNil(f.ticket(id).assignee)
    }

    func testAgentsWorkTheirGroupsAndUngroupedTicketsSupervisorsAll() throws {
        var f = Self.teamDesk()
        let billing = f.open(), loose = f.open()
        try f.run(.team(.setGroup(ticket: billing, group: "billing")), as: "sam")
        f.assertRefused(.take(ticket: billing, steal: false), as: "bob", .notAllowed, containing: "in the group billing; bob is not in it")
        f.assertRefused(.give(ticket: billing, to: "bob"), as: "sam", .notAllowed, containing: "bob is not in it")
        try f.run(.take(ticket: loose, steal: false), as: "bob")
        try f.run(.take(ticket: billing, steal: false), as: "alice")
        try f.run(.take(ticket: billing, steal: true), as: "sam")
        XCTAssertTrue(f.desk.mayWork(f.desk.agents["carol"]!, f.ticket(loose)))
        XCTAssertFalse(f.desk.mayWork(f.desk.agents["carol"]!, f.ticket(billing)))
    }

    func testNextPrefersTheAgentsGroups() throws {
        var f = Self.teamDesk()
        let first = f.open(), second = f.open(), third = f.open()
        try f.run(.team(.setGroup(ticket: third, group: "billing")), as: "sam")
        XCTAssertEqual(f.desk.preferringGroups(of: "alice", [first, second, third]), [third, first, second])
        XCTAssertEqual(f.desk.preferringGroups(of: "bob", [first, second, third]), [first, second, third])
    }

    func testAvailabilityIsSaidAndAShellForOutlastsConsoles() throws {
        var f = Self.teamDesk()
        XCTAssertFalse(f.desk.team.isAvailable("alice", at: f.now))
        try f.run(.team(.available(until: nil)), as: "alice")
        XCTAssertTrue(f.desk.team.isAvailable("alice", at: f.now))
        XCTAssertEqual(try f.run(.team(.consolesClosed), as: "alice"), [.agentAway(agent: "alice")])
        XCTAssertFalse(f.desk.team.isAvailable("alice", at: f.now))
        XCTAssertEqual(try f.run(.team(.away), as: "alice"), [], "away twice records nothing")

        try f.run(.team(.available(until: f.now.addingTimeInterval(3600))), as: "alice")
        XCTAssertEqual(try f.run(.team(.consolesClosed), as: "alice"), [], "said from the shell for an hour")
        XCTAssertTrue(f.desk.team.isAvailable("alice", at: f.now))
        f.advance(3601)
        XCTAssertFalse(f.desk.team.isAvailable("alice", at: f.now), "the hour ran out")
        f.assertRefused(.team(.available(until: f.now.addingTimeInterval(-1))), as: "alice", .invalid, containing: "not in the future")
        f.assertRefused(.team(.available(until: nil)), as: "zed", .notAllowed, containing: "not on the desk's roster")
    }

    func testConsolesLostMakeAwayOnlyThoseWhoseConsolesDecidedAndOnlyTheDeskRecordsIt() throws {
        var f = Self.teamDesk()
        try f.run(.team(.available(until: nil)), as: "alice")
        try f.run(.team(.available(until: f.now.addingTimeInterval(3600))), as: "bob")
        let lost = Command.team(.consolesLost(agents: ["bob", "alice", "alice", "sam"]))
        f.assertRefused(lost, as: "alice", .notAllowed, containing: "desk")
        XCTAssertEqual(try f.run(lost, as: AutoAssignment.actor), [.agentAway(agent: "alice")],
                       "bob said it from the shell for an hour; sam never said it")
        XCTAssertTrue(f.desk.team.isAvailable("bob", at: f.now))
        XCTAssertEqual(try f.run(lost, as: AutoAssignment.actor), [], "found twice records nothing")
        f.advance(3601)
        try f.run(.team(.available(until: nil)), as: "alice")
        XCTAssertEqual(try f.run(lost, as: AutoAssignment.actor), [.agentAway(agent: "alice"), .agentAway(agent: "bob")],
                       "alice said it again; bob's hour ran out, so his consoles decide again")
    }
}
