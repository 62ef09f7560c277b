import XCTest

/// `helpdesk report` per group: the `groups` part (JSON and the table after the agents'), and
/// `--group G` on the one-period report and on `--by`, through the real binary.
final class ReportGroupTests: CLITestCase {
    /// billing (alice) holds #1 (solved) and #2, tech (bob) #3, and #4 is in no group.
    func setUpGroups() throws {
        try cli.setUpDesk(agents: [("alice", []), ("bob", [])])
        try cli.ok("group", "add", "billing", "--name", "Billing & refunds")
        try cli.ok("group", "add", "tech")
        try cli.ok("group", "member", "add", "billing", "alice")
        try cli.ok("group", "member", "add", "tech", "bob")
        for (subject, group) in [("Invoice", "billing"), ("Refund", "billing"), ("Crash", "tech")] {
            try cli.ok("group", "set", String(try cli.newTicket(subject: subject)), group)
        }
        try cli.newTicket(subject: "Hello")
        try cli.ok("take", "1", "--as", "alice")
        try cli.ok("reply", "1", "--body", "Refunded", "--as", "alice")
        try cli.ok("resolve", "1", "--as", "alice")
    }

    func figures(_ object: [String: Any]?) -> [Int] {
        ["opened", "solved", "backlog"].map { object?[$0] as? Int ?? -1 }
    }

    func testTheReportHasEachGroupsPart() throws {
        try setUpGroups()
        let report = try cli.object("report", "--json")
        XCTAssertTrue(isNull(report["group"]))
        let groups = try XCTUnwrap(report["groups"] as? [[String: Any]])
        XCTAssertEqual(groups.map { $0["group"] as? String }, ["billing", "tech"])
        XCTAssertEqual(groups.map { $0["name"] as? String }, ["Billing & refunds", "tech"])
        XCTAssertEqual(figures(groups[0]), [2, 1, 1])
        XCTAssertEqual(figures(groups[1]), [1, 0, 1])
        let csat = try XCTUnwrap(groups[0]["csat"] as? [String: Any])
        XCTAssertEqual(csat["sent"] as? Int, 0)
        XCTAssertEqual(csat["answered"] as? Int, 0)
        XCTAssertTrue(isNull(csat["average"]) && isNull(csat["response_rate"]), "no survey yet: nothing to average")

        let lines = try cli.ok("report").stdoutLines
        let agents = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("AGENT ") })
        let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("GROUP ") }, lines.joined(separator: "\n"))
        XCTAssertLessThan(agents, header, "after the agents' table")
        XCTAssertEqual(lines[header].split(separator: " "), ["GROUP", "OPENED", "SOLVED", "BACKLOG", "CSAT"])
        XCTAssertEqual(lines[header + 1].split(separator: " "), ["billing", "2", "1", "1", "-"])
        XCTAssertEqual(lines[header + 2].split(separator: " "), ["tech", "1", "0", "1", "-"])
        XCTAssertEqual(lines.count, header + 3)
    }

    func testGroupCutsTheReportToThatGroupsTickets() throws {
        try setUpGroups()
        let billing = try cli.object("report", "--json", "--group", "billing")
        XCTAssertEqual(billing["group"] as? String, "billing")
        XCTAssertEqual(figures(billing), [2, 1, 1])
        XCTAssertEqual((billing["groups"] as? [[String: Any]])?.map { $0["group"] as? String }, ["billing"])
        let none = try cli.object("report", "--json", "--group", "none")
        XCTAssertEqual(figures(none), [1, 0, 1])
        XCTAssertEqual((none["groups"] as? [[String: Any]])?.count, 0)
        XCTAssertTrue(try cli.ok("report", "--group", "tech").stdoutLines[0].hasSuffix(" · group tech"))

        let trend = try cli.object("report", "--by", "day", "--json", "--group", "billing")
        XCTAssertEqual(trend["group"] as? String, "billing")
        let days = try XCTUnwrap(trend["periods"] as? [[String: Any]])
        XCTAssertEqual(days.map { $0["opened"] as? Int ?? 0 }.reduce(0, +), 2)
        XCTAssertEqual(days.map { $0["solved"] as? Int ?? 0 }.reduce(0, +), 1)
        XCTAssertEqual(days.last?["backlog"] as? Int, 1)
        XCTAssertTrue(isNull(try cli.object("report", "--by", "day", "--json")["group"]))

        for arguments in [["report", "--group", "nosuch"], ["report", "--by", "week", "--group", "nosuch"]] {
            let result = try cli.run(arguments)
            XCTAssertNotEqual(result.status, 0)
            XCTAssertEqual(result.stderr, "helpdesk: no group nosuch (the desk's groups: billing, tech)\n")
            XCTAssertEqual(result.stdout, "", "nothing printed before the refusal")
        }
    }

    func testADeskWithoutGroupsHasNoGroupTable() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        try cli.newTicket()
        XCTAssertFalse(try cli.ok("report").stdoutLines.contains { $0.hasPrefix("GROUP") })
        XCTAssertEqual((try cli.object("report", "--json")["groups"] as? [Any])?.count, 0)
        XCTAssertEqual(try cli.refused("report", "--group", "billing"), "helpdesk: no group billing (the desk's groups: none)")
        XCTAssertEqual(figures(try cli.object("report", "--json", "--group", "none")), [1, 0, 1])
    }
}
