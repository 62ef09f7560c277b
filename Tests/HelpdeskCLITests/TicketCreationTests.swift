import Foundation
import XCTest

/// `new`, `list`, `show` and `customer`: what scripts read.
final class TicketCreationTests: CLITestCase {
    static let ticketFields: Set<String> = [
        "id", "subject", "status", "priority", "channel", "assignee", "tier", "tags", "customer",
        "created_at", "updated_at", "first_response_at", "follow_up_at",
    ]

    func testNewPrintsTheIdAloneAndIdsCountUp() throws {
        try cli.ok("init")
        for expected in 1...3 {
            let result = try cli.run(["new", "--customer", "c\(expected)@example.com", "--subject", "Problem \(expected)"])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdout, "\(expected)\n")
            XCTAssertEqual(result.stderr, "")
        }
        let full = try cli.run(["new", "--customer", "dora@example.com", "--subject", "Phone call", "--customer-name", "Dora Explorer",
                                "--channel", "phone", "--priority", "high", "--body", "She called about her invoice."])
        XCTAssertEqual(full.stdout, "4\n")

        let ticket = try cli.ticket(4)
        XCTAssertEqual(ticket["id"] as? Int, 4)
        XCTAssertEqual(ticket["subject"] as? String, "Phone call")
        XCTAssertEqual(ticket["status"] as? String, "new")
        XCTAssertEqual(ticket["priority"] as? String, "high")
        XCTAssertEqual(ticket["channel"] as? String, "phone")
        XCTAssertEqual(ticket["tier"] as? Int, 1)
        XCTAssertTrue(isNull(ticket["assignee"]))
        let customer = try XCTUnwrap(ticket["customer"] as? [String: Any])
        XCTAssertEqual(customer["name"] as? String, "Dora Explorer")
        XCTAssertEqual(customer["email"] as? String, "dora@example.com")
        XCTAssertEqual(customer["id"] as? Int, 4)
        let messages = try XCTUnwrap(ticket["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.count, 1)
        XCTAssertEqual(messages.first?["kind"] as? String, "customer")
        XCTAssertEqual(messages.first?["author"] as? String, "dora@example.com")
        XCTAssertEqual(messages.first?["body"] as? String, "She called about her invoice.")

        // Defaults: email, normal priority; no body when stdin is empty.
        let first = try cli.ticket(1)
        XCTAssertEqual(first["channel"] as? String, "email")
        XCTAssertEqual(first["priority"] as? String, "normal")
        XCTAssertEqual((first["messages"] as? [Any])?.count, 0)

        // Required options and choices are usage errors.
        XCTAssertEqual(try cli.run("new", "--subject", "no customer").status, 64)
        XCTAssertEqual(try cli.run("new", "--customer", "x@example.com").status, 64)
        XCTAssertEqual(try cli.run("new", "--customer", "x@example.com", "--subject", "s", "--channel", "pigeon").status, 64)
        XCTAssertTrue(try cli.refused("new", "--customer", "x@example.com", "--subject", "   ").contains("subject is empty"))
        XCTAssertEqual(try cli.array("list", "--json", "--status", "all").count, 4, "refused commands add nothing")
    }

    func testNewReadsTheBodyFromStdinWhenItIsAPipe() throws {
        try cli.ok("init")
        let id = try cli.newTicket("ann@example.com", subject: "Printer", stdin: "My printer is on fire.\nPlease help!\n\n")
        XCTAssertEqual(id, 1)
        let messages = try XCTUnwrap(cli.ticket(1)["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.map { $0["body"] as? String }, ["My printer is on fire.\nPlease help!"])
        XCTAssertEqual(messages.first?["kind"] as? String, "customer")
        XCTAssertNotNil(parseTime(messages.first?["at"]))

        // --body wins over stdin.
        try cli.newTicket("ann@example.com", subject: "Scanner", ["--body", "From the option"], stdin: "From stdin")
        XCTAssertEqual((try cli.ticket(2)["messages"] as? [[String: Any]])?.map { $0["body"] as? String }, ["From the option"])
    }

    func testAnExistingCustomerIsReusedWhateverTheCaseOfTheEmail() throws {
        try cli.ok("init")
        try cli.newTicket("Ann.Lee@Example.com", subject: "First", ["--customer-name", "Ann Lee"])
        try cli.newTicket("ann.lee@EXAMPLE.COM", subject: "Second", ["--customer-name", "Someone Else"])
        try cli.newTicket("bob@example.com", subject: "Other customer")

        let customer = try cli.object("customer", "ANN.LEE@example.com", "--json")
        XCTAssertEqual(customer["id"] as? Int, 1)
        XCTAssertEqual(customer["name"] as? String, "Ann Lee")
        XCTAssertEqual(customer["email"] as? String, "Ann.Lee@Example.com")
        let tickets = try XCTUnwrap(customer["tickets"] as? [[String: Any]])
        XCTAssertEqual(tickets.map { $0["id"] as? Int }, [1, 2])
        XCTAssertEqual(tickets.map { $0["subject"] as? String }, ["First", "Second"])
        XCTAssertEqual(tickets.map { $0["status"] as? String }, ["new", "new"])

        let one = try XCTUnwrap(cli.ticket(1)["customer"] as? [String: Any])
        let two = try XCTUnwrap(cli.ticket(2)["customer"] as? [String: Any])
        let three = try XCTUnwrap(cli.ticket(3)["customer"] as? [String: Any])
        XCTAssertEqual(one["id"] as? Int, 1)
        XCTAssertEqual(two["id"] as? Int, one["id"] as? Int)
        XCTAssertEqual(three["id"] as? Int, 2)

        XCTAssertTrue(try cli.refused("customer", "nobody@example.com", "--json").contains("no customer nobody@example.com"))
    }

    func testListFiltersAndJSONFields() throws {
        try cli.setUpDesk(agents: [("alice", []), ("bob", ["--tier", "2"])])
        for n in 1...5 { try cli.newTicket("c\(n)@example.com", subject: "Ticket \(n)") }
        try cli.ok("take", "1", "--as", "alice")
        try cli.ok("take", "2", "--as", "bob")
        try cli.ok("escalate", "3", "--reason", "needs tier 2")
        try cli.ok("resolve", "4")
        try cli.ok("close", "5")

        let all = try cli.array("list", "--json", "--status", "all")
        XCTAssertEqual(all.map { $0["id"] as? Int }, [1, 2, 3, 4, 5])
        for ticket in all {
            XCTAssertTrue(Self.ticketFields.isSubset(of: ticket.keys), "missing: \(Self.ticketFields.subtracting(ticket.keys))")
            XCTAssertEqual(Set((ticket["customer"] as? [String: Any] ?? [:]).keys), ["id", "name", "email"])
            XCTAssertNotNil(parseTime(ticket["created_at"]))
            XCTAssertNotNil(parseTime(ticket["updated_at"]))
            XCTAssertTrue(isNull(ticket["first_response_at"]))
            XCTAssertTrue(isNull(ticket["follow_up_at"]))
            XCTAssertEqual(ticket["tags"] as? [String], [])
        }
        XCTAssertEqual(all.map { $0["status"] as? String }, ["open", "open", "new", "solved", "closed"])
        XCTAssertEqual(all.map { $0["assignee"] as? String }, ["alice", "bob", nil, nil, nil])
        XCTAssertTrue(isNull(all[2]["assignee"]))
        XCTAssertEqual(all.map { $0["tier"] as? Int }, [1, 1, 2, 1, 1])
        XCTAssertEqual((all[0]["customer"] as? [String: Any])?["email"] as? String, "c1@example.com")

        func ids(_ arguments: String...) throws -> [Int?] {
            let result = try cli.run(["list", "--json"] + arguments)
            XCTAssertEqual(result.status, 0, result.stderr)
            let list = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]])
            return list.map { $0["id"] as? Int }
        }
        XCTAssertEqual(try ids(), [1, 2, 3, 4], "default: every ticket that is not closed, solved included")
        XCTAssertEqual(try ids("--status", "closed"), [5])
        XCTAssertEqual(try ids("--status", "open"), [1, 2])
        XCTAssertEqual(try ids("--status", "new"), [3])
        XCTAssertEqual(try ids("--mine", "--as", "alice"), [1])
        XCTAssertEqual(try ids("--mine", "--as", "bob"), [2])
        XCTAssertEqual(try ids("--mine"), [], "root has nothing")
        XCTAssertEqual(try ids("--assignee", "bob"), [2])
        XCTAssertEqual(try ids("--unassigned"), [3, 4])
        XCTAssertEqual(try ids("--unassigned", "--status", "all"), [3, 4, 5])
        XCTAssertEqual(try ids("--tier", "2"), [3])
        XCTAssertEqual(try ids("--tier", "1", "--status", "open", "--assignee", "alice"), [1])

        XCTAssertEqual(try cli.run("list", "--mine", "--unassigned").status, 64)
        XCTAssertEqual(try cli.run("list", "--status", "sleeping").status, 64)

        // The table for people: a header and one row per ticket.
        let table = try cli.ok("list").stdoutLines
        XCTAssertEqual(table.first?.split(separator: " ", omittingEmptySubsequences: true),
                       ["ID", "PRIORITY", "STATUS", "TIER", "ASSIGNEE", "AGE", "CUSTOMER", "SUBJECT"])
        XCTAssertEqual(table.dropFirst().map { $0.split(separator: " ").first.map(String.init) }, ["1", "2", "3", "4"])
        XCTAssertTrue(table[1].contains("alice") && table[1].hasSuffix("Ticket 1"), table[1])
    }

    func testShowJSONAddsMessagesAndHistory() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        try cli.newTicket("ann@example.com", subject: "VPN", ["--body", "The VPN drops."])
        try cli.ok("take", "1", "--as", "alice")
        try cli.ok("reply", "1", "--as", "alice", "--body", "Try reconnecting.")
        try cli.ok("note", "1", "--as", "alice", "--body", "Probably the router.")

        let ticket = try cli.ticket(1)
        XCTAssertTrue(Self.ticketFields.isSubset(of: ticket.keys))
        let messages = try XCTUnwrap(ticket["messages"] as? [[String: Any]])
        for message in messages {
            XCTAssertTrue(Set(["kind", "author", "at", "body"]).isSubset(of: message.keys), "\(message.keys)")
        }
        XCTAssertEqual(messages.map { $0["kind"] as? String }, ["customer", "reply", "note"])
        XCTAssertEqual(messages.map { $0["author"] as? String }, ["ann@example.com", "alice", "alice"])
        XCTAssertEqual(messages.map { $0["body"] as? String }, ["The VPN drops.", "Try reconnecting.", "Probably the router."])
        for message in messages { XCTAssertNotNil(parseTime(message["at"])) }

        let history = try XCTUnwrap(ticket["history"] as? [[String: Any]])
        let types = history.map { ($0["event"] as? [String: Any])?["type"] as? String }
        XCTAssertEqual(types, ["ticket.opened", "message.added", "ticket.assigned", "status.changed", "message.added", "message.added"])
        XCTAssertEqual(history.map { $0["actor"] as? String }, ["root", "root", "alice", "alice", "alice", "alice"])
        let seqs = history.compactMap { $0["seq"] as? Int }
        XCTAssertEqual(seqs, seqs.sorted())
        XCTAssertEqual(history[2]["summary"] as? String, "assigned it to alice")
        XCTAssertEqual(history[3]["summary"] as? String, "changed status new → open")
        for entry in history { XCTAssertNotNil(parseTime(entry["at"])) }

        // The text view shows the conversation.
        let text = try cli.ok("show", "1").stdout
        XCTAssertTrue(text.hasPrefix("#1 VPN\n"), text)
        XCTAssertTrue(text.contains("status open · priority normal · tier 1 · assignee alice · channel email"), text)
        XCTAssertTrue(text.contains("Try reconnecting."), text)
        XCTAssertTrue(text.contains("internal note · alice"), text)
    }
}
