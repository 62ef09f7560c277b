import Foundation
import XCTest

/// `helpdesk macro add|list|show|remove|apply` through the real binary: the contract, the
/// placeholders, one record per apply, and bad input named.
final class MacroCommandTests: CLITestCase {
    /// `events --json` prints one record a line.
    private func recordCount() throws -> Int {
        try cli.ok("events", "--json").stdoutLines.count
    }

    func testAddListShowAndRemove() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        XCTAssertEqual(try cli.ok("macro", "add", "thanks", "--reply", "Hello {{customer.first_name}}", "--status", "solved",
                                  "--tag", "+done", "-billing", "--priority", "low", "--assign", "me").stdout,
                       "saved the macro thanks: reply, assign me, priority low, tags +done -billing, status solved\n")
        try cli.ok("macro", "add", "later", "--note", "Waiting on {{customer.email}}", "--follow-up", "2h", "--assign", "alice")
        try cli.ok("macro", "add", "piped", "--escalate", "needs billing", stdin: "Dear {{customer.name}},\n\nWe are on it.\n")

        let list = try XCTUnwrap(try cli.json("macro", "list", "--json") as? [[String: Any]])
        XCTAssertEqual(list.map { $0["name"] as? String }, ["later", "piped", "thanks"])
        let thanks = list[2]
        XCTAssertEqual(thanks["reply"] as? String, "Hello {{customer.first_name}}")
        XCTAssertTrue(isNull(thanks["note"]))
        XCTAssertEqual(thanks["status"] as? String, "solved")
        XCTAssertEqual(thanks["priority"] as? String, "low")
        XCTAssertEqual(thanks["tags_added"] as? [String], ["done"])
        XCTAssertEqual(thanks["tags_removed"] as? [String], ["billing"])
        XCTAssertEqual(thanks["assign"] as? String, "me")
        XCTAssertEqual(list[0]["note"] as? String, "Waiting on {{customer.email}}")
        XCTAssertEqual(list[0]["follow_up"] as? Int, 7200)
        XCTAssertEqual(list[0]["assign"] as? String, "alice")
        XCTAssertEqual(list[1]["reply"] as? String, "Dear {{customer.name}},\n\nWe are on it.", "the reply from standard input")
        XCTAssertEqual(list[1]["escalate"] as? String, "needs billing")

        let table = try cli.ok("macro", "list").stdoutLines
        XCTAssertEqual(table.count, 4)
        XCTAssertTrue(table[0].hasPrefix("NAME"), table[0])
        XCTAssertTrue(table[2].hasPrefix("piped   reply, escalate: needs billing"), table[2])
        XCTAssertEqual(try cli.ok("macro", "show", "piped").stdout,
                       "macro piped: reply, escalate: needs billing\nDear {{customer.name}},\n\nWe are on it.\n")

        XCTAssertEqual(try cli.refused("macro", "remove", "piped", "--as", "alice"),
                       "helpdesk: only supervisors may remove macros; alice is an agent")
        XCTAssertEqual(try cli.ok("macro", "remove", "piped").stdout, "removed the macro piped\n")
        XCTAssertEqual(try cli.refused("macro", "show", "piped"), "helpdesk: no macro piped")
        XCTAssertEqual(try cli.refused("macro", "remove", "piped"), "helpdesk: no macro piped")
        XCTAssertTrue(try cli.ok("events").stdoutLines.last?.hasSuffix("removed the macro piped") == true)
    }

    func testBadMacrosAreRefusedNamingWhatIsWrongAndNothingIsWritten() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        let before = try recordCount()
        XCTAssertEqual(try cli.refused("macro", "add", "hi", "--reply", "Dear {{customer.title}}"),
                       "helpdesk: unknown placeholder {{customer.title}} in the macro's text; use {{customer.name}}, "
                       + "{{customer.first_name}}, {{customer.email}}, {{ticket.id}}, {{ticket.subject}}, {{agent.name}}, {{desk.name}}")
        XCTAssertTrue(try cli.refused("macro", "add", "hi", "--reply", "Dear {{customer.name").contains("not a valid template"))
        XCTAssertEqual(try cli.refused("macro", "add", "hi", "--status", "solved", "--as", "alice"),
                       "helpdesk: only supervisors may save macros; alice is an agent")
        XCTAssertTrue(try cli.refused("macro", "add", "two words", "--status", "solved").contains("bad macro name 'two words'"))
        XCTAssertTrue(try cli.refused("macro", "add", "idle").contains("does nothing"))
        XCTAssertTrue(try cli.refused("macro", "add", "ghost", "--assign", "zed").contains("no agent zed"))
        XCTAssertEqual(try recordCount(), before, "nothing written")

        // Usage errors: exit 64.
        for arguments in [["macro", "add", "x", "--reply", "a", "--note", "b"], ["macro", "add", "x", "--status", "pending"],
                          ["macro", "add", "x", "--follow-up", "soon"], ["macro", "add", "x", "--tag", "+a", "stray"]] {
            XCTAssertEqual(try cli.run(arguments).status, 64, arguments.joined(separator: " "))
        }
        try cli.ok("macro", "add", "x", "--status", "closed")
        XCTAssertTrue(try cli.refused("macro", "add", "x", "--status", "solved").contains("exists already"))
        try cli.ok("macro", "add", "x", "--status", "solved", "--replace")
        XCTAssertEqual(try cli.ok("macro", "show", "x").stdout, "macro x: status solved\n")
    }

    func testApplyRendersTheTextAndTakesEveryActionInOneRecord() throws {
        try cli.setUpDesk(agents: [("alice", ["--name", "Alice Agent"])])
        let hostile = "Jo & <b>\"Bob\"</b> \u{1B}[31m"
        let id = try cli.newTicket("jo@example.com", subject: "Printer <on> fire", ["--customer-name", hostile, "--body", "help"])
        try cli.ok("macro", "add", "thanks", "--reply",
                   "Hello {{customer.first_name}} ({{customer.name}}), #{{ticket.id}} {{ticket.subject}}. {{agent.name}}, {{desk.name}}",
                   "--status", "solved", "--tag", "+done", "--assign", "me")
        let before = try recordCount()

        let dry = try cli.ok("macro", "apply", String(id), "thanks", "--dry-run", "--as", "alice")
        XCTAssertEqual(dry.stdoutLines, [
            "reply on ticket \(id):",
            "Hello Jo (Jo & <b>\"Bob\"</b> ^[[31m), #\(id) Printer <on> fire. Alice Agent, The support team",
            "would (nothing written):",
            "  assigned it to alice", "  changed status new → open", "  replied", "  changed tags +done",
            "  changed status open → solved",
        ])
        XCTAssertEqual(try recordCount(), before, "a dry run writes nothing")

        let applied = try cli.ok("macro", "apply", String(id), "thanks", "--as", "alice")
        XCTAssertTrue(applied.stdout.hasPrefix("applied the macro thanks to ticket \(id): assigned it to alice; "), applied.stdout)
        XCTAssertEqual(try recordCount(), before + 1, "one record")
        let ticket = try cli.ticket(id)
        XCTAssertEqual(ticket["status"] as? String, "solved")
        XCTAssertEqual(ticket["assignee"] as? String, "alice")
        XCTAssertEqual(ticket["tags"] as? [String], ["done"])
        let messages = try XCTUnwrap(ticket["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.last?["body"] as? String,
                       "Hello Jo (\(hostile)), #\(id) Printer <on> fire. Alice Agent, The support team",
                       "the customer's text is data: no HTML escaping, the escape kept in the log")
    }

    func testApplyRefusalsLeaveTheTicketAsItWas() throws {
        try cli.setUpDesk(agents: [("alice", []), ("bob", [])])
        let id = try cli.newTicket()
        try cli.ok("macro", "add", "grab", "--note", "mine now", "--assign", "me", "--priority", "urgent")
        try cli.ok("take", String(id), "--as", "bob")
        let before = try recordCount()
        XCTAssertEqual(try cli.refused("macro", "apply", String(id), "grab", "--as", "alice"),
                       "helpdesk: ticket \(id) is assigned to bob; take it first with: helpdesk take \(id) --steal")
        XCTAssertEqual(try cli.refused("macro", "apply", String(id), "nope"), "helpdesk: no macro nope")
        XCTAssertEqual(try cli.refused("macro", "apply", "99", "grab"), "helpdesk: no ticket 99")
        XCTAssertEqual(try cli.refused("macro", "apply", "99", "grab", "--dry-run"), "helpdesk: no ticket 99")
        XCTAssertEqual(try recordCount(), before)
        XCTAssertEqual(try cli.ticket(id)["priority"] as? String, "normal")
    }
}
