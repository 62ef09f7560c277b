import Foundation
import XCTest

/// `helpdesk rule …`: added, listed, moved, removed, tested, and run on tickets from every channel.
final class RuleCommandTests: CLITestCase {
    func setUpRules() throws {
        try cli.setUpDesk(agents: [("alice", []), ("bob", [])])
        try cli.ok("group", "add", "billing")
        try cli.ok("group", "add", "tech")
        XCTAssertEqual(try cli.ok("rule", "add", "refunds", "--if", "subject~refund", "--then", "group=billing", "tag=+refund").stdout,
                       "added the rule refunds\n")
        try cli.ok("rule", "add", "bigcorp", "--if", "from=@bigcorp.com", "--then", "priority=urgent", "assign=bob")
        try cli.ok("rule", "add", "chat", "--if", "channel=chat", "body~cancel my account", "--then", "group=tech")
    }

    func testRulesRunInOrderOnEveryChannelFirstMatchWins() throws {
        try setUpRules()
        let refund = try cli.newTicket("ann@bigcorp.com", subject: "Refund please")
        XCTAssertEqual(try cli.ticket(refund)["group"] as? String, "billing")
        XCTAssertEqual(try cli.ticket(refund)["tags"] as? [String], ["refund"])
        XCTAssertEqual(try cli.ticket(refund)["priority"] as? String, "normal", "the first match wins")
        XCTAssertTrue(try cli.ok("history", String(refund)).stdout.contains("routed it by the rule refunds"))

        let corp = try cli.newTicket("bo@bigcorp.com", subject: "Hello")
        XCTAssertEqual(try cli.ticket(corp)["assignee"] as? String, "bob")
        XCTAssertEqual(try cli.ticket(corp)["priority"] as? String, "urgent")

        let line = #"{"channel":"chat","customer":{"email":"cy@example.com"},"subject":"Bye","body":"Please cancel my account","external_id":"c-1"}"#
        try cli.ok("ingest", "--json", stdin: line + "\n")
        XCTAssertEqual(try cli.ticket(3)["group"] as? String, "tech")

        try cli.ok("rule", "move", "bigcorp", "--before", "refunds")
        XCTAssertEqual(try cli.array("rule", "list", "--json").map { $0["name"] as? String }, ["bigcorp", "refunds", "chat"])
        let moved = try cli.newTicket("ann@bigcorp.com", subject: "Refund again")
        XCTAssertEqual(try cli.ticket(moved)["assignee"] as? String, "bob")
        XCTAssertTrue(isNull(try cli.ticket(moved)["group"]))
    }

    func testMailIsRoutedByItsRecipient() throws {
        try setUpRules()
        try cli.ok("rule", "add", "billing-mail", "--if", "to=billing@acme.example", "--then", "group=billing")
        let mail = "From: dan@example.com\nTo: Billing <billing@acme.example>\nSubject: Invoice\nMessage-ID: <m1@example.com>\n\nhello\n"
        let ingest = try cli.run(["ingest"], stdin: Data(mail.utf8))
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        XCTAssertEqual(try cli.ticket(1)["group"] as? String, "billing")
    }

    func testListRemoveAndTestWriteWhatTheySay() throws {
        try setUpRules()
        let list = try cli.array("rule", "list", "--json")
        XCTAssertEqual(list.map { $0["name"] as? String }, ["refunds", "bigcorp", "chat"])
        XCTAssertEqual(list[2]["if"] as? [String], ["channel=chat", "body~cancel my account"])
        XCTAssertEqual(list[0]["then"] as? [String], ["group=billing", "tag=+refund"])
        XCTAssertEqual(list[1]["position"] as? Int, 2)
        XCTAssertEqual(try cli.ok("rule", "list").stdoutLines.count, 4)

        let before = try cli.ok("events", "--json").stdout
        let line = #"{"channel":"chat","customer":{"email":"cy@bigcorp.com"},"subject":"Refund","body":"b","external_id":"t-1"}"#
        XCTAssertEqual(try cli.ok("rule", "test", "--json", line).stdout,
                       "the rule refunds would match:\n  moved it to the group billing\n  changed tags +refund\n")
        let mailFile = cli.directory.appendingPathComponent("test.eml")
        try Data("From: x@other.example\nTo: s@acme.example\nSubject: Hi\n\nplease cancel my account\n".utf8).write(to: mailFile)
        XCTAssertEqual(try cli.ok("rule", "test", "--mail", mailFile.path).stdout,
                       "no rule matches; the ticket would stay in no group\n")
        let verdict = try cli.object("rule", "test", "--json", line, "--print-json")
        XCTAssertEqual(verdict["rule"] as? String, "refunds")
        XCTAssertEqual(verdict["would"] as? [String], ["moved it to the group billing", "changed tags +refund"])
        XCTAssertEqual(try cli.ok("events", "--json").stdout, before, "rule test writes nothing")

        XCTAssertEqual(try cli.ok("rule", "remove", "bigcorp").stdout, "removed the rule bigcorp\n")
        XCTAssertEqual(try cli.array("rule", "list", "--json").map { $0["name"] as? String }, ["refunds", "chat"])
    }

    func testBadRulesAreRefusedNamingWhatIsWrong() throws {
        try setUpRules()
        let before = try cli.ok("events", "--json").stdout
        XCTAssertEqual(try cli.refused("rule", "add", "x", "--if", "channel=chat", "--then", "group=sales"), "helpdesk: no group sales")
        XCTAssertEqual(try cli.refused("rule", "add", "x", "--if", "channel=chat", "--then", "assign=zed"),
                       "helpdesk: no agent zed on the roster")
        XCTAssertEqual(try cli.refused("rule", "add", "x", "--if", "colour=red", "--then", "group=tech"),
                       "helpdesk: unknown field 'colour' in the condition 'colour=red'; conditions are on channel, to, from, subject, body, organisation")
        XCTAssertEqual(try cli.refused("rule", "add", "x", "--if", "channel=chat", "--then", "queue=tech"),
                       "helpdesk: unknown field 'queue' in the action 'queue=tech'; actions are group, priority, tag, assign")
        XCTAssertEqual(try cli.refused("rule", "add", "x", "--then", "group=tech"), "helpdesk: the rule x has no condition (--if)")
        XCTAssertEqual(try cli.refused("rule", "add", "refunds", "--if", "channel=chat", "--then", "group=tech"),
                       "helpdesk: a rule named refunds exists already")
        XCTAssertEqual(try cli.refused("rule", "add", "x", "--if", "channel=chat", "--then", "group=tech", "--as", "alice"),
                       "helpdesk: only supervisors change groups and routing rules; alice is an agent")
        XCTAssertEqual(try cli.refused("rule", "remove", "nope"), "helpdesk: no rule nope")
        XCTAssertEqual(try cli.refused("rule", "move", "chat", "--before", "nope"), "helpdesk: no rule nope")
        XCTAssertEqual(try cli.refused("group", "remove", "tech"),
                       "helpdesk: the rule chat routes to the group tech; remove or change it first")
        XCTAssertEqual(try cli.run(["rule", "test"]).status, 64, "--mail or --json")
        XCTAssertEqual(try cli.run(["rule", "test", "--json", "{", "--mail", "x"]).status, 64)
        let badLine = try cli.run(["rule", "test", "--json", "{nope"])
        XCTAssertEqual(badLine.status, 64)
        XCTAssertTrue(badLine.stderr.hasPrefix("helpdesk: bad --json line: not JSON"), badLine.stderr)
        XCTAssertEqual(try cli.run(["rule", "test", "--mail", "/nonexistent/mail"]).status, 66)
        XCTAssertEqual(try cli.ok("events", "--json").stdout, before, "nothing was written")
    }
}
