import Foundation
import XCTest

/// `helpdesk group …`, `list --group`, saved views with a group, and `next`, through the real binary.
final class GroupCommandTests: CLITestCase {
    /// Two groups: billing (alice), tech (bob).
    func setUpGroups() throws {
        try cli.setUpDesk(agents: [("alice", []), ("bob", []), ("carol", [])])
        XCTAssertEqual(try cli.ok("group", "add", "billing", "--name", "Billing & refunds").stdout, "added the group billing\n")
        try cli.ok("group", "add", "tech")
        XCTAssertEqual(try cli.ok("group", "member", "add", "billing", "alice").stdout, "added alice to the group billing\n")
        try cli.ok("group", "member", "add", "tech", "bob")
    }

    func testGroupsTheirMembersAndATicketsGroup() throws {
        try setUpGroups()
        let first = try cli.newTicket(subject: "Invoice"), second = try cli.newTicket(subject: "Crash")
        XCTAssertEqual(try cli.ok("group", "set", String(first), "billing").stdout, "#\(first) is in the group billing\n")
        try cli.ok("group", "set", String(second), "tech")
        XCTAssertEqual(try cli.ticket(first)["group"] as? String, "billing")
        XCTAssertEqual(try cli.listedIDs("--group", "billing"), [first])
        XCTAssertEqual(try cli.listedIDs("--group", "tech"), [second])
        try cli.ok("group", "set", String(second), "none")
        XCTAssertTrue(isNull(try cli.ticket(second)["group"]))
        XCTAssertEqual(try cli.listedIDs("--group", "none"), [second])
        XCTAssertTrue(try cli.ok("show", String(first)).stdout.contains("group billing"))
        XCTAssertTrue(try cli.ok("history", String(second)).stdout.contains("moved it to no group (from tech)"))

        let groups = try cli.array("group", "list", "--json")
        XCTAssertEqual(groups.map { $0["name"] as? String }, ["billing", "tech"])
        XCTAssertEqual(groups[0]["display_name"] as? String, "Billing & refunds")
        XCTAssertEqual((groups[0]["members"] as? [[String: Any]])?.map { $0["agent"] as? String }, ["alice"])
        XCTAssertEqual(groups[0]["assign"] as? String, "off")
        XCTAssertEqual(groups[0]["open"] as? Int, 1)
        XCTAssertTrue(isNull(groups[0]["capacity"]))
        XCTAssertEqual(try cli.ok("group", "list").stdoutLines.count, 3, "a header and two groups")

        try cli.ok("group", "member", "remove", "billing", "alice")
        try cli.ok("group", "set", String(first), "none")
        XCTAssertEqual(try cli.ok("group", "remove", "billing").stdout, "removed the group billing\n")
        XCTAssertEqual(try cli.array("group", "list", "--json").map { $0["name"] as? String }, ["tech"])
    }

    func testAgentsWorkTheirGroupsAndNextTakesFromThemFirst() throws {
        try setUpGroups()
        let loose = try cli.newTicket(subject: "Loose", ["--priority", "urgent"])
        let billing = try cli.newTicket(subject: "Invoice", ["--priority", "low"])
        try cli.ok("group", "set", String(billing), "billing")
        XCTAssertEqual(try cli.refused("take", String(billing), "--as", "bob"),
                       "helpdesk: ticket \(billing) is in the group billing; bob is not in it")
        XCTAssertEqual(try cli.ok("next", "--as", "alice").stdout, "\(billing)\n", "her group's first")
        XCTAssertEqual(try cli.ok("next", "--as", "bob").stdout, "\(loose)\n")
        XCTAssertEqual(try cli.refused("next", "--as", "carol"), "helpdesk: nothing to take: no unassigned ticket you may work")
    }

    func testSavedViewsKeepTheGroup() throws {
        try setUpGroups()
        let id = try cli.newTicket()
        try cli.ok("group", "set", String(id), "tech")
        try cli.newTicket()
        XCTAssertEqual(try cli.ok("view", "save", "tech", "--group", "tech").stdout, "saved the view tech: --group tech\n")
        XCTAssertEqual(try cli.listedIDs("--view", "tech"), [id])
        XCTAssertEqual(try cli.array("view", "list", "--json").first?["group"] as? String, "tech")
        XCTAssertEqual(try cli.refused("view", "save", "x", "--group", "sales"), "helpdesk: no group sales")
    }

    func testBadInputIsNamedAndChangesNothing() throws {
        try setUpGroups()
        let id = try cli.newTicket()
        let before = try cli.ok("events", "--json").stdout
        XCTAssertEqual(try cli.refused("group", "add", "ops", "--as", "alice"),
                       "helpdesk: only supervisors change groups and routing rules; alice is an agent")
        XCTAssertEqual(try cli.refused("group", "add", "billing"), "helpdesk: a group named billing exists already")
        XCTAssertEqual(try cli.refused("group", "add", "two words"),
                       "helpdesk: bad group name 'two words': one word of letters, digits, '-', '_' or '.' (at most 64)")
        XCTAssertEqual(try cli.refused("group", "remove", "sales"), "helpdesk: no group sales")
        XCTAssertEqual(try cli.refused("group", "member", "add", "billing", "zed"), "helpdesk: no agent zed on the roster")
        XCTAssertEqual(try cli.refused("group", "member", "add", "billing", "alice"), "helpdesk: alice is already in the group billing")
        XCTAssertEqual(try cli.refused("group", "member", "remove", "tech", "alice"), "helpdesk: alice is not in the group tech")
        XCTAssertEqual(try cli.refused("group", "set", String(id), "sales"), "helpdesk: no group sales")
        XCTAssertEqual(try cli.refused("group", "set", "99", "tech"), "helpdesk: no ticket 99")
        XCTAssertEqual(try cli.refused("group", "set-assign", "billing", "round-robin", "--capacity", "0"),
                       "helpdesk: the capacity must be at least 1, not 0")
        XCTAssertEqual(try cli.refused("group", "set-assign", "sales", "least-loaded"), "helpdesk: no group sales")
        try cli.ok("group", "set", String(id), "tech")
        XCTAssertEqual(try cli.refused("group", "remove", "tech"),
                       "helpdesk: the group tech still has 1 open ticket; move them first (helpdesk group set ID GROUP|none)")
        let usage = try cli.run(["group", "set-assign", "tech", "sometimes"])
        XCTAssertEqual(usage.status, 64, usage.stderr)
        XCTAssertEqual(try cli.run(["group", "set-assign", "tech", "off", "--capacity", "3"]).status, 64)
        XCTAssertEqual(try cli.run(["group", "set", "x", "tech"]).status, 64)
        let after = try cli.ok("events", "--json").stdoutLines
        XCTAssertEqual(after.count, before.split(separator: "\n").count + 1, "only the one group set was recorded")
    }
}
