import Foundation
import XCTest

/// `helpdesk available|away` and `group set-assign`: waiting tickets handed out by the desk.
final class AvailabilityCommandTests: CLITestCase {
    func testRoundRobinHandsOutToAvailableAgentsAndWaitingTicketsWhenOneComesBack() throws {
        try cli.setUpDesk(agents: [("alice", []), ("bob", [])])
        try cli.ok("group", "add", "billing")
        try cli.ok("group", "member", "add", "billing", "alice")
        try cli.ok("group", "member", "add", "billing", "bob")
        XCTAssertEqual(try cli.ok("group", "set-assign", "billing", "round-robin", "--capacity", "2").stdout,
                       "the group billing assigns round-robin, at most 2 open tickets each\n")
        try cli.ok("rule", "add", "all", "--if", "channel=email", "--then", "group=billing")
        let waiting = try cli.newTicket()
        XCTAssertTrue(isNull(try cli.ticket(waiting)["assignee"]), "nobody is available")
        XCTAssertEqual(try cli.ok("available", "--as", "alice").stdout, "you are available; handed out #\(waiting) to alice\n")
        XCTAssertEqual(try cli.ticket(waiting)["assignee"] as? String, "alice")
        let history = try cli.array("history", String(waiting), "--json")
        XCTAssertTrue(history.contains { $0["actor"] as? String == "desk" && ($0["summary"] as? String) == "handed it out round-robin" },
                      "\(history)")

        try cli.ok("available", "--as", "bob")
        let second = try cli.newTicket(), third = try cli.newTicket()
        XCTAssertEqual(try cli.ticket(second)["assignee"] as? String, "bob")
        XCTAssertEqual(try cli.ticket(third)["assignee"] as? String, "alice")
        XCTAssertEqual(try cli.ok("away", "--as", "bob").stdout, "you are away\n")
        let fourth = try cli.newTicket()
        XCTAssertTrue(isNull(try cli.ticket(fourth)["assignee"]), "bob is away, alice at capacity")
        XCTAssertEqual(try cli.array("group", "list", "--json").first?["waiting"] as? Int, 1)
        try cli.ok("resolve", String(waiting), "--as", "alice")
        XCTAssertEqual(try cli.ticket(fourth)["assignee"] as? String, "alice", "below capacity again")

        XCTAssertTrue(try cli.ok("available", "--for", "2h", "--as", "bob").stdout.hasPrefix("you are available until "))
    }

    func testBadInput() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        XCTAssertEqual(try cli.run(["available", "--for", "soon"]).status, 64)
        XCTAssertEqual(try cli.run(["available", "--for", "0m"]).status, 64)
        XCTAssertEqual(try cli.refused("available", "--as", "zed"), "helpdesk: account 'zed' is not on the desk's roster; a supervisor can add it with: helpdesk agent add zed")
    }
}
