import XCTest
@testable import HelpdeskCore

final class RosterTests: XCTestCase {
    func testCreatingTheDeskMakesItsCreatorASupervisor() {
        let fixture = DeskFixture(agents: [])
        XCTAssertEqual(fixture.desk.format, Rules.logFormat)
        XCTAssertEqual(fixture.desk.agents["sam"],
                       Agent(account: "sam", displayName: "Sam Supervisor", role: .supervisor, tier: 3, active: true))
        XCTAssertEqual(fixture.desk.roster, ["sam"])
    }

    func testTheDeskIsCreatedOnce() {
        var fixture = DeskFixture(agents: [])
        fixture.assertRefused(.createDesk(displayName: nil), as: "sam", .conflict, containing: "already exists")
    }

    func testNothingButCreationWorksBeforeTheDeskExists() {
        do {
            _ = try Rules.decide(.take(ticket: 1, steal: false), by: "sam", at: Date(), on: Desk())
            XCTFail("expected a refusal")
        } catch {
            XCTAssertTrue(error.message.contains("helpdesk init"))
        }
    }

    func testSupervisorsAddAgents() throws {
        var fixture = DeskFixture(agents: [])
        try fixture.run(.addAgent(account: "dave", displayName: "Dave D", role: .agent, tier: 2), as: "sam")
        XCTAssertEqual(fixture.desk.agents["dave"], Agent(account: "dave", displayName: "Dave D", role: .agent, tier: 2, active: true))
        XCTAssertEqual(fixture.desk.roster, ["sam", "dave"])
    }

    func testTheNamesTheDeskActsUnderCannotJoinTheRoster() {
        var fixture = DeskFixture(agents: [])
        for name in ["desk", "mail", "intake", "customer", SLAEscalation.actor, Intake.mailActor, Intake.intakeActor] {
            fixture.assertRefused(.addAgent(account: name, displayName: nil, role: .agent, tier: 1), as: "sam",
                                  .invalid, containing: "'\(name)' is reserved")
            XCTAssertNil(fixture.desk.agents[name])
        }
        // Nor can a desk be created by one of them.
        for name in RosterRules.reservedAccounts {
            XCTAssertThrowsError(try Rules.decide(.createDesk(displayName: nil), by: name, at: Date(), on: Desk())) { error in
                XCTAssertTrue((error as? Refusal)?.message.contains("'\(name)' is reserved") == true, "\(error)")
            }
        }
        XCTAssertNoThrow(try fixture.run(.addAgent(account: "desker", displayName: nil, role: .agent, tier: 1), as: "sam"))
    }

    func testAgentsCannotChangeTheRoster() {
        var fixture = DeskFixture()
        fixture.assertRefused(.addAgent(account: "eve", displayName: nil, role: .supervisor, tier: 3), as: "alice",
                              .notAllowed, containing: "only supervisors")
        fixture.assertRefused(.changeAgent(account: "alice", displayName: nil, role: .supervisor, tier: nil, active: nil),
                              as: "alice", .notAllowed, containing: "only supervisors")
    }

    func testBadAgentsAreRefused() {
        var fixture = DeskFixture()
        fixture.assertRefused(.addAgent(account: "alice", displayName: nil, role: .agent, tier: 1), as: "sam",
                              .conflict, containing: "already on the roster")
        fixture.assertRefused(.addAgent(account: "Bad Name", displayName: nil, role: .agent, tier: 1), as: "sam",
                              .invalid, containing: "bad account name")
        fixture.assertRefused(.addAgent(account: "dave", displayName: nil, role: .agent, tier: 4), as: "sam",
                              .invalid, containing: "tiers run from 1 to 3")
        fixture.assertRefused(.changeAgent(account: "zed", displayName: nil, role: nil, tier: 2, active: nil), as: "sam",
                              .notFound, containing: "no agent zed")
        fixture.assertRefused(.changeAgent(account: "alice", displayName: nil, role: .agent, tier: 1, active: true),
                              as: "sam", .conflict, containing: "nothing to change")
    }

    func testChangingAnAgentRecordsOnlyWhatChanged() throws {
        var fixture = DeskFixture()
        let events = try fixture.run(.changeAgent(account: "alice", displayName: "Alice", role: .agent, tier: 2, active: nil),
                                     as: "sam")
        XCTAssertEqual(events, [.agentChanged(account: "alice", displayName: "Alice", role: nil, tier: 2, active: nil)])
        XCTAssertEqual(fixture.desk.agents["alice"]?.tier, 2)
        XCTAssertEqual(fixture.desk.agents["alice"]?.displayName, "Alice")
    }

    func testTheLastSupervisorCannotStepDown() throws {
        var fixture = DeskFixture()
        fixture.assertRefused(.changeAgent(account: "sam", displayName: nil, role: .agent, tier: nil, active: nil),
                              as: "sam", .conflict, containing: "last active supervisor")
        fixture.assertRefused(.changeAgent(account: "sam", displayName: nil, role: nil, tier: nil, active: false),
                              as: "sam", .conflict, containing: "last active supervisor")
        try fixture.run(.changeAgent(account: "carol", displayName: nil, role: .supervisor, tier: nil, active: nil), as: "sam")
        try fixture.run(.changeAgent(account: "sam", displayName: nil, role: nil, tier: nil, active: false), as: "sam")
        XCTAssertEqual(fixture.desk.agents["sam"]?.active, false)
    }

    func testAccountsOffTheRosterAndInactiveAgentsAreRefused() throws {
        var fixture = DeskFixture()
        let id = fixture.open()
        fixture.assertRefused(.take(ticket: id, steal: false), as: "mallory", .notAllowed,
                              containing: "account 'mallory' is not on the desk's roster")
        // Each adapter says how it is fixed (the command line: helpdesk agent add mallory).
        XCTAssertThrowsError(try fixture.run(.take(ticket: id, steal: false), as: "mallory")) { error in
            XCTAssertEqual((error as? Refusal)?.subject, .notOnRoster(account: "mallory"))
        }
        try fixture.run(.changeAgent(account: "bob", displayName: nil, role: nil, tier: nil, active: false), as: "sam")
        fixture.assertRefused(.take(ticket: id, steal: false), as: "bob", .notAllowed, containing: "inactive")
        XCTAssertThrowsError(try fixture.run(.take(ticket: id, steal: false), as: "bob")) { error in
            XCTAssertEqual((error as? Refusal)?.subject, .inactiveAgent(account: "bob"))
        }
    }
}
