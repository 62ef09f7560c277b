import Foundation
import XCTest
@testable import HelpdeskConsole
import HelpdeskCore

/// `A` toggles available/away (the status line says which), the view chooser offers a view per
/// group the agent belongs to, and `N` takes from the agent's groups first.
final class ConsoleTeamTests: XCTestCase {
    func fixtureWithGroups() throws -> ConsoleFixture {
        let fixture = try ConsoleFixture()
        try fixture.run(.team(.addGroup(name: "billing", displayName: nil)), as: "sam")
        try fixture.run(.team(.addGroup(name: "tech", displayName: nil)), as: "sam")
        try fixture.run(.team(.addMember(group: "billing", agent: "alice")), as: "sam")
        try fixture.run(.team(.addMember(group: "tech", agent: "bob")), as: "sam")
        return fixture
    }

    func testAToggleAvailableAndAwayAndTheStatusLineSaysWhich() throws {
        let fixture = try fixtureWithGroups()
        XCTAssertTrue(fixture.screen(columns: 160).lines.last?.contains("0 mine · away") == true,
                      fixture.screen(columns: 160).lines.last ?? "")
        fixture.press(.character("A"))
        XCTAssertTrue(fixture.console.desk.team.isAvailable("alice", at: fixture.now))
        XCTAssertEqual(fixture.console.state.message?.text, "you are available: your groups hand you tickets")
        fixture.console.state.message = nil
        XCTAssertTrue(fixture.screen(columns: 160).lines.last?.contains("0 mine · available") == true)
        fixture.press(.character("A"))
        XCTAssertFalse(fixture.console.desk.team.isAvailable("alice", at: fixture.now))
        XCTAssertEqual(fixture.console.state.message?.text, "you are away")
    }

    func testAnAgentWithoutGroupsSeesNoAvailabilityUntilTheySayIt() throws {
        let fixture = try ConsoleFixture()
        XCTAssertFalse(fixture.screen(columns: 160).lines.last?.contains("away") ?? true)
        XCTAssertNil(fixture.console.availabilityWord)
    }

    func testAvailableInARoundRobinGroupReceivesWaitingTickets() throws {
        let fixture = try fixtureWithGroups()
        try fixture.run(.team(.setAssignMode(group: "billing", mode: .roundRobin, capacity: nil)), as: "sam")
        let id = try fixture.open("Invoice")
        try fixture.run(.team(.setGroup(ticket: id, group: "billing")), as: "sam")
        fixture.press(.character("A"))
        XCTAssertEqual(fixture.console.desk.ticket(id)?.assignee, "alice", "handed out after her change")
        XCTAssertEqual(fixture.console.desk.ticket(id)?.history.last?.actor, "desk")
    }

    func testTheLastConsoleClosingMakesTheAgentAwayUnlessSaidForAWhile() throws {
        let fixture = try fixtureWithGroups()
        fixture.press(.character("A"))
        fixture.console.consoleClosing(othersOpen: true)
        XCTAssertTrue(fixture.console.desk.team.isAvailable("alice", at: fixture.now), "another console is open")
        fixture.console.consoleClosing(othersOpen: false)
        XCTAssertFalse(fixture.console.desk.team.isAvailable("alice", at: fixture.now))
        try fixture.run(.team(.available(until: fixture.now.addingTimeInterval(3600))), as: "alice")
        fixture.console.consoleClosing(othersOpen: false)
        XCTAssertTrue(fixture.console.desk.team.isAvailable("alice", at: fixture.now), "said from the shell for an hour")
    }

    func testAViewPerGroupOfTheAgentFollowsTheSavedViews() throws {
        let fixture = try fixtureWithGroups()
        let billing = try fixture.open("Invoice"), tech = try fixture.open("Crash")
        _ = try fixture.open("Loose")
        try fixture.run(.team(.setGroup(ticket: billing, group: "billing")), as: "sam")
        try fixture.run(.team(.setGroup(ticket: tech, group: "tech")), as: "sam")
        try fixture.run(.saveView(SavedView(name: "all", allStatuses: true), replacing: false), as: "sam")
        fixture.press(.character("v"))
        let prompt = fixture.screen(columns: 160).lines.last ?? ""
        XCTAssertTrue(prompt.contains("[1] all  [2] group billing"), prompt)
        XCTAssertFalse(prompt.contains("group tech"), "alice is not in tech")
        fixture.press(.character("2"))
        XCTAssertEqual(fixture.console.state.savedView, "group billing")
        XCTAssertEqual(fixture.console.queue.ids, [billing])
        XCTAssertTrue(fixture.screen().lines.contains { $0.contains("Queue · group billing · 1") })

        try fixture.appendElsewhere(.team(.removeMember(group: "billing", agent: "alice")), as: "sam")
        XCTAssertTrue(fixture.console.catchUp())
        XCTAssertNil(fixture.console.state.savedView, "no longer in the group: back to the built-in view")
    }

    func testNTakesFromTheAgentsGroupsFirst() throws {
        let fixture = try fixtureWithGroups()
        _ = try fixture.open("Loose and urgent", priority: .urgent)
        let billing = try fixture.open("Invoice", priority: .low)
        let tech = try fixture.open("Crash", priority: .urgent)
        try fixture.run(.team(.setGroup(ticket: billing, group: "billing")), as: "sam")
        try fixture.run(.team(.setGroup(ticket: tech, group: "tech")), as: "sam")
        fixture.press(.character("N"))
        XCTAssertEqual(fixture.console.desk.ticket(billing)?.assignee, "alice")
        XCTAssertNil(fixture.console.desk.ticket(tech)?.assignee, "never another group's")
    }

    func testHelpListsA() throws {
        let fixture = try ConsoleFixture()
        fixture.press(.character("?"))
        let help = fixture.screen(rows: 60, columns: 160).lines.joined(separator: "\n")
        XCTAssertTrue(help.contains("available or away"), help)
    }
}
