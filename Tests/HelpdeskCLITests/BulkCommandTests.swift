import Foundation
import XCTest

/// `helpdesk bulk` through the real binary: one record for every ticket, all or none, `--partial`.
final class BulkCommandTests: CLITestCase {
    private func recordCount() throws -> Int { try cli.ok("events", "--json").stdoutLines.count }

    func testOneActionOnManyTicketsIsOneRecord() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        for _ in 1...3 { try cli.newTicket() }
        let before = try recordCount()
        XCTAssertEqual(try cli.ok("bulk", "take", "--ids", "1,2,3", "--as", "alice").stdout,
                       "#1 taken\n#2 taken\n#3 taken\n")
        XCTAssertEqual(try recordCount(), before + 1, "one record")
        XCTAssertEqual(try cli.ok("bulk", "tag", "+billing", "-none", "--ids", "1,3", "--as", "alice").stdout,
                       "#1 tags changed\n#3 tags changed\n")
        XCTAssertEqual(try cli.ticket(3)["tags"] as? [String], ["billing"])
        try cli.ok("view", "save", "billing", "--tag", "billing")
        let solved = try cli.array("bulk", "resolve", "--view", "billing", "--as", "alice", "--json")
        XCTAssertEqual(solved.map { $0["id"] as? Int }, [1, 3])
        XCTAssertEqual(solved.map { $0["result"] as? String }, ["applied", "applied"])
        XCTAssertTrue(solved.allSatisfy { isNull($0["error"]) })
        XCTAssertEqual(try cli.ticket(1)["status"] as? String, "solved")
        XCTAssertEqual(try cli.ok("bulk", "priority", "high", "--stdin", "--as", "alice", stdin: "2\n 3, 1\n").stdout,
                       "#2 now high priority\n#3 now high priority\n#1 now high priority\n")
        try cli.ok("macro", "add", "park", "--note", "Parked #{{ticket.id}} by {{agent.name}}", "--priority", "low")
        XCTAssertEqual(try cli.ok("bulk", "macro", "park", "--ids", "2,3", "--as", "alice").stdout,
                       "#2 macro park applied\n#3 macro park applied\n")
        for id in [2, 3] {
            let ticket = try cli.ticket(id)
            XCTAssertEqual(ticket["priority"] as? String, "low")
            let messages = try XCTUnwrap(ticket["messages"] as? [[String: Any]])
            XCTAssertEqual(messages.last?["body"] as? String, "Parked #\(id) by alice", "rendered for each ticket")
        }
    }

    func testARefusedTicketRefusesAllNamingEveryRefusalUnlessPartial() throws {
        try cli.setUpDesk(agents: [("alice", []), ("bob", [])])
        for _ in 1...4 { try cli.newTicket() }
        try cli.ok("bulk", "take", "--ids", "2,4", "--as", "bob")
        let before = try recordCount()
        XCTAssertEqual(try cli.refused("bulk", "take", "--ids", "1,2,3,4", "--as", "alice"),
                       "helpdesk: 2 of 4 refused: #2: ticket 2 is assigned to bob; #4: ticket 4 is assigned to bob; nothing applied")
        XCTAssertEqual(try recordCount(), before, "nothing written")
        XCTAssertTrue(isNull(try cli.ticket(1)["assignee"]))

        let partial = try cli.array("bulk", "take", "--ids", "1,2,3,4", "--partial", "--json", "--as", "alice")
        XCTAssertEqual(partial.map { $0["result"] as? String }, ["applied", "refused", "applied", "refused"])
        XCTAssertEqual(partial[1]["error"] as? String, "ticket 2 is assigned to bob")
        XCTAssertEqual(try cli.ticket(3)["assignee"] as? String, "alice")
        XCTAssertEqual(try cli.refused("bulk", "take", "--ids", "2", "--partial", "--as", "alice"),
                       "helpdesk: 1 of 1 refused: #2: ticket 2 is assigned to bob; nothing applied")
        XCTAssertEqual(try cli.refused("bulk", "macro", "absent", "--ids", "1"),
                       "helpdesk: 1 of 1 refused: #1: no macro absent; nothing applied")
        XCTAssertEqual(try cli.refused("bulk", "release", "--view", "absent"), "helpdesk: no view absent")
    }

    func testBadInputIsNamedAndChangesNothing() throws {
        try cli.setUpDesk()
        try cli.newTicket()
        let before = try recordCount()
        let usage: [([String], String, String?)] = [
            (["bulk", "take"], "give exactly one of --ids, --view or --stdin", nil),
            (["bulk", "take", "--ids", "1", "--stdin"], "give exactly one of --ids, --view or --stdin", nil),
            (["bulk", "dance", "--ids", "1"], "unknown bulk action 'dance'", nil),
            (["bulk", "give", "--ids", "1"], "bulk give takes one agent", nil),
            (["bulk", "priority", "hot", "--ids", "1"], "bad priority 'hot'", nil),
            (["bulk", "escalate", "--ids", "1"], "bulk escalate needs --reason", nil),
            (["bulk", "take", "--reason", "x", "--ids", "1"], "--reason and --tier go with escalate", nil),
            (["bulk", "take", "--ids", "1,x2"], "not a ticket id in --ids: 'x2'", nil),
            (["bulk", "take", "--stdin"], "not a ticket id in standard input: '#7'", "1\n#7\n"),
            (["bulk", "take", "--stdin"], "no ticket ids in standard input", " \n"),
        ]
        for (arguments, message, stdin) in usage {
            let result = try cli.run(arguments, stdin: stdin.map { Data($0.utf8) })
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "\(arguments)")
        }
        XCTAssertEqual(try cli.refused("bulk", "take", "--ids", "1,1"), "helpdesk: ticket 1 is named twice")
        XCTAssertEqual(try recordCount(), before, "nothing written")
    }
}
