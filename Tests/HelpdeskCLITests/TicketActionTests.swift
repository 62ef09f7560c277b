import Foundation
import XCTest

/// Every action on a ticket, and the rules each one keeps, through the real binary.
final class TicketActionTests: CLITestCase {
    private func history(_ id: Int) throws -> [[String: Any]] {
        try XCTUnwrap(cli.ticket(id)["history"] as? [[String: Any]])
    }

    private func event(_ entry: [String: Any]?) -> [String: Any] {
        entry?["event"] as? [String: Any] ?? [:]
    }

    func testTakeStealGiveAndRelease() throws {
        try cli.setUpDesk(agents: [("alice", []), ("bob", []), ("carol", [])])
        try cli.newTicket()

        XCTAssertEqual(try cli.ok("take", "1", "--as", "alice").stdout, "took ticket 1\n")
        var ticket = try cli.ticket(1)
        XCTAssertEqual(ticket["assignee"] as? String, "alice")
        XCTAssertEqual(ticket["status"] as? String, "open", "taking a new ticket opens it")
        XCTAssertEqual(try cli.refused("take", "1", "--as", "alice"), "helpdesk: ticket 1 is already yours")

        XCTAssertEqual(try cli.refused("take", "1", "--as", "bob"),
                       "helpdesk: ticket 1 is assigned to alice; use --steal to take it anyway")
        XCTAssertEqual(try cli.ok("take", "1", "--as", "bob", "--steal").stdout, "took ticket 1 from alice\n")
        let stolen = try history(1).last
        XCTAssertEqual(event(stolen)["type"] as? String, "ticket.assigned")
        XCTAssertEqual(event(stolen)["to"] as? String, "bob")
        XCTAssertEqual(event(stolen)["from"] as? String, "alice")
        XCTAssertEqual(stolen?["actor"] as? String, "bob")
        XCTAssertEqual(stolen?["summary"] as? String, "assigned it to bob (taken from alice)")
        XCTAssertTrue(try cli.ok("events").stdoutLines.last?.hasSuffix("  bob  #1 assigned it to bob (taken from alice)") == true)
        XCTAssertTrue(try cli.ok("history", "1").stdoutLines.last?.hasSuffix("bob  assigned it to bob (taken from alice)") == true)

        // give: only the assignee or a supervisor.
        XCTAssertEqual(try cli.refused("give", "1", "carol", "--as", "alice"),
                       "helpdesk: only the assignee (bob) or a supervisor can give ticket 1 away")
        XCTAssertEqual(try cli.ok("give", "1", "carol", "--as", "bob").stdout, "gave ticket 1 to carol\n")
        XCTAssertEqual(try cli.ticket(1)["assignee"] as? String, "carol")
        XCTAssertEqual(event(try history(1).last)["from"] as? String, "bob")
        try cli.ok("give", "1", "alice")  // root is a supervisor
        XCTAssertEqual(try cli.ticket(1)["assignee"] as? String, "alice")
        XCTAssertTrue(try cli.refused("give", "1", "alice").contains("already assigned to alice"))
        XCTAssertTrue(try cli.refused("give", "1", "mallory").contains("no agent mallory on the roster"))

        // release: the assignee or a supervisor.
        XCTAssertTrue(try cli.refused("release", "1", "--as", "bob").contains("assigned to alice"))
        XCTAssertEqual(try cli.ok("release", "1", "--as", "alice").stdout, "released ticket 1\n")
        ticket = try cli.ticket(1)
        XCTAssertTrue(isNull(ticket["assignee"]))
        XCTAssertEqual(event(try history(1).last)["type"] as? String, "ticket.unassigned")
        XCTAssertEqual(event(try history(1).last)["from"] as? String, "alice")
        XCTAssertEqual(try cli.refused("release", "1"), "helpdesk: ticket 1 is not assigned")
        // An unassigned ticket is given away by a supervisor only.
        XCTAssertTrue(try cli.refused("give", "1", "bob", "--as", "carol").contains("can give ticket 1 away"))
        try cli.ok("give", "1", "bob")
        XCTAssertEqual(try cli.ticket(1)["assignee"] as? String, "bob")
    }

    func testReplySetsTheFirstResponseAndOpensANewTicket() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        try cli.newTicket(subject: "Password reset")
        try cli.newTicket(subject: "Second")
        var ticket = try cli.ticket(1)
        XCTAssertEqual(ticket["status"] as? String, "new")
        XCTAssertTrue(isNull(ticket["first_response_at"]))

        // stdin is a pipe: the body comes from it.
        let replied = try cli.ok("reply", "1", "--as", "alice", stdin: "Have you tried turning it off and on again?\n\n")
        XCTAssertEqual(replied.stdout, "replied on ticket 1\n")
        ticket = try cli.ticket(1)
        XCTAssertEqual(ticket["status"] as? String, "open")
        let messages = try XCTUnwrap(ticket["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.last?["kind"] as? String, "reply")
        XCTAssertEqual(messages.last?["author"] as? String, "alice")
        XCTAssertEqual(messages.last?["body"] as? String, "Have you tried turning it off and on again?")
        let firstResponse = try XCTUnwrap(ticket["first_response_at"] as? String)
        XCTAssertNotNil(parseTime(firstResponse))
        XCTAssertEqual(firstResponse, messages.last?["at"] as? String)

        try cli.ok("reply", "1", "--body", "Any news?")
        XCTAssertEqual(try cli.ticket(1)["first_response_at"] as? String, firstResponse, "only the first reply counts")
        XCTAssertEqual((try cli.ticket(1)["messages"] as? [Any])?.count, 2)

        // Empty bodies are refused, whichever way they come.
        XCTAssertEqual(try cli.refused("reply", "1", "--body", ""), "helpdesk: the reply is empty")
        XCTAssertEqual(try cli.refused("reply", "1", "--body", " \n\t "), "helpdesk: the reply is empty")
        XCTAssertEqual(try cli.refused("reply", "1", stdin: ""), "helpdesk: the reply is empty")
        XCTAssertEqual(try cli.refused("note", "1", "--body", ""), "helpdesk: the note is empty")
        XCTAssertEqual((try cli.ticket(1)["messages"] as? [Any])?.count, 2, "nothing was added")

        // A note is internal: no first response, no status change.
        XCTAssertEqual(try cli.ok("note", "2", "--as", "alice", stdin: "Customer is on the VIP list").stdout,
                       "added a note to ticket 2\n")
        let second = try cli.ticket(2)
        XCTAssertEqual(second["status"] as? String, "new")
        XCTAssertTrue(isNull(second["first_response_at"]))
        XCTAssertEqual((second["messages"] as? [[String: Any]])?.map { $0["kind"] as? String }, ["note"])

        try cli.ok("close", "2")
        XCTAssertTrue(try cli.refused("reply", "2", "--body", "hello?").contains("ticket 2 is closed"))
    }

    func testCustomerMessageClearsAFollowUpAndReopensASolvedTicket() throws {
        try cli.ok("init")
        try cli.newTicket("ann@example.com", subject: "Invoice")
        try cli.newTicket("ann@example.com", subject: "Untouched")

        let before = Date()
        let scheduled = try cli.ok("follow-up", "1", "--in", "2h")
        let after = Date()
        var ticket = try cli.ticket(1)
        XCTAssertEqual(ticket["status"] as? String, "pending")
        let due = try XCTUnwrap(parseTime(ticket["follow_up_at"]))
        XCTAssertGreaterThanOrEqual(due.timeIntervalSince(before), 7200 - 1)
        XCTAssertLessThanOrEqual(due.timeIntervalSince(after), 7200)
        XCTAssertEqual(scheduled.stdout, "ticket 1 is pending until its follow-up at \(ticket["follow_up_at"] as? String ?? "?")\n")

        XCTAssertEqual(try cli.ok("message", "1", "--body", "Still waiting for the refund").stdout,
                       "added the customer's message to ticket 1\n")
        ticket = try cli.ticket(1)
        XCTAssertEqual(ticket["status"] as? String, "open")
        XCTAssertTrue(isNull(ticket["follow_up_at"]))
        let last = (ticket["messages"] as? [[String: Any]])?.last
        XCTAssertEqual(last?["kind"] as? String, "customer")
        XCTAssertEqual(last?["author"] as? String, "ann@example.com")
        XCTAssertEqual(last?["body"] as? String, "Still waiting for the refund")

        XCTAssertEqual(try cli.ok("resolve", "1").stdout, "solved ticket 1\n")
        XCTAssertEqual(try cli.ticket(1)["status"] as? String, "solved")
        try cli.ok("message", "1", stdin: "It happened again.\n")
        XCTAssertEqual(try cli.ticket(1)["status"] as? String, "open", "a customer message reopens a solved ticket")

        // A new ticket stays new when the customer writes again.
        try cli.ok("message", "2", "--body", "Hello?")
        XCTAssertEqual(try cli.ticket(2)["status"] as? String, "new")

        try cli.ok("close", "1")
        XCTAssertEqual(try cli.refused("message", "1", "--body", "One more thing"),
                       "helpdesk: ticket 1 is closed; open a new ticket for the customer")
        XCTAssertEqual(try cli.refused("message", "2", "--body", ""), "helpdesk: the message is empty")
    }

    func testFollowUpAtAndClear() throws {
        try cli.ok("init")
        try cli.newTicket()
        // The harness runs with TZ=UTC, so the local time given is the UTC time printed.
        let scheduled = try cli.ok("follow-up", "1", "--at", "2030-01-02 10:00", "--note", "call back")
        XCTAssertEqual(scheduled.stdout, "ticket 1 is pending until its follow-up at 2030-01-02T10:00:00.000Z\n")
        var ticket = try cli.ticket(1)
        XCTAssertEqual(ticket["status"] as? String, "pending")
        XCTAssertEqual(ticket["follow_up_at"] as? String, "2030-01-02T10:00:00.000Z")
        XCTAssertEqual(ticket["follow_up_note"] as? String, "call back")
        XCTAssertEqual(try cli.array("list", "--json", "--status", "pending").map { $0["id"] as? Int }, [1])

        XCTAssertEqual(try cli.ok("follow-up", "1", "--clear").stdout, "cleared the follow-up of ticket 1\n")
        ticket = try cli.ticket(1)
        XCTAssertEqual(ticket["status"] as? String, "open")
        XCTAssertTrue(isNull(ticket["follow_up_at"]))
        XCTAssertEqual(try cli.refused("follow-up", "1", "--clear"), "helpdesk: ticket 1 has no follow-up")
        XCTAssertTrue(try cli.refused("follow-up", "1", "--at", "2020-01-01 10:00").contains("is not in the future"))
        XCTAssertTrue(try cli.refused("follow-up", "1", "--at", "someday").contains("bad time 'someday'"))

        for usage in [["follow-up", "1"], ["follow-up", "1", "--in", "2h", "--clear"], ["follow-up", "1", "--in", "5x"],
                      ["follow-up", "1", "--clear", "--note", "x"]] {
            XCTAssertEqual(try cli.run(usage).status, 64, usage.joined(separator: " "))
        }
        XCTAssertTrue(isNull(try cli.ticket(1)["follow_up_at"]))

        try cli.ok("resolve", "1")
        XCTAssertTrue(try cli.refused("follow-up", "1", "--in", "1d").contains("ticket 1 is solved"))
    }

    func testEscalatePriorityAndTags() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        try cli.newTicket()
        try cli.ok("take", "1", "--as", "alice")

        let escalated = try cli.ok("escalate", "1", "--reason", "Needs database access", "--as", "alice")
        XCTAssertEqual(escalated.stdout, "escalated ticket 1 to tier 2\n")
        var ticket = try cli.ticket(1)
        XCTAssertEqual(ticket["tier"] as? Int, 2)
        XCTAssertTrue(isNull(ticket["assignee"]), "a tier 1 agent lets go of a tier 2 ticket")
        let entries = try history(1).suffix(2).map(event)
        XCTAssertEqual(entries.map { $0["type"] as? String }, ["ticket.escalated", "ticket.unassigned"])
        XCTAssertEqual(entries.first?["reason"] as? String, "Needs database access")
        XCTAssertEqual(entries.first?["tier"] as? Int, 2)
        XCTAssertEqual(try cli.refused("take", "1", "--as", "alice"), "helpdesk: ticket 1 is at tier 2; alice works at tier 1")

        XCTAssertTrue(try cli.refused("escalate", "1", "--reason", "again", "--tier", "2").contains("cannot escalate ticket 1 from tier 2 to tier 2"))
        XCTAssertEqual(try cli.refused("escalate", "1", "--reason", "  "), "helpdesk: the reason is empty")
        XCTAssertEqual(try cli.run("escalate", "1").status, 64, "--reason is required")
        XCTAssertEqual(try cli.ok("escalate", "1", "--reason", "Vendor bug", "--tier", "3").stdout, "escalated ticket 1 to tier 3\n")
        XCTAssertEqual(try cli.refused("escalate", "1", "--reason", "More"), "helpdesk: ticket 1 is already at tier 3, the highest")
        XCTAssertEqual(try cli.ticket(1)["tier"] as? Int, 3)
        XCTAssertEqual(try cli.array("list", "--json", "--tier", "3").map { $0["id"] as? Int }, [1])

        XCTAssertEqual(try cli.ok("priority", "1", "urgent").stdout, "ticket 1 is now urgent priority\n")
        XCTAssertEqual(try cli.ticket(1)["priority"] as? String, "urgent")
        XCTAssertEqual(try cli.refused("priority", "1", "urgent"), "helpdesk: ticket 1 is already urgent priority")
        XCTAssertEqual(try cli.run("priority", "1", "extreme").status, 64)
        let change = event(try history(1).last)
        XCTAssertEqual(change["type"] as? String, "priority.changed")
        XCTAssertEqual(change["from"] as? String, "normal")
        XCTAssertEqual(change["to"] as? String, "urgent")

        XCTAssertEqual(try cli.ok("tag", "1", "+vip", "billing").stdout, "ticket 1 tags: vip billing\n")
        XCTAssertEqual(try cli.ticket(1)["tags"] as? [String], ["vip", "billing"])
        XCTAssertEqual(try cli.ok("tag", "1", "-vip", "+Refund").stdout, "ticket 1 tags: billing refund\n")
        ticket = try cli.ticket(1)
        XCTAssertEqual(ticket["tags"] as? [String], ["billing", "refund"])
        XCTAssertEqual(event(try history(1).last)["type"] as? String, "tags.changed")
        XCTAssertEqual(try cli.refused("tag", "1", "+billing"), "helpdesk: ticket 1 already has those tags; nothing to change")
        XCTAssertEqual(try cli.refused("tag", "1", "+two words"),
                       "helpdesk: bad tag 'two words': a tag is one word without spaces or commas")
        XCTAssertEqual(try cli.run("tag", "1").status, 64)
        XCTAssertEqual(try cli.refused("tag", "1", "8", "+bulk"),
                       "helpdesk: bad tag '8': a tag cannot be a bare number (is it a ticket id?)")
        XCTAssertEqual(try cli.ticket(1)["tags"] as? [String], ["billing", "refund"], "nothing of it was added")
        XCTAssertEqual(try cli.array("list", "--json")[0]["tags"] as? [String], ["billing", "refund"])
    }

    func testResolveReopenCloseRateAndHold() throws {
        try cli.ok("init")
        try cli.newTicket(subject: "One")
        try cli.newTicket(subject: "Two")

        XCTAssertEqual(try cli.refused("rate", "1", "5"), "helpdesk: ticket 1 is new; only solved or closed tickets are rated")

        XCTAssertEqual(try cli.ok("hold", "1").stdout, "ticket 1 is on hold\n")
        XCTAssertEqual(try cli.ticket(1)["status"] as? String, "on-hold")
        XCTAssertEqual(try cli.refused("hold", "1"), "helpdesk: ticket 1 is already on hold")
        XCTAssertEqual(try cli.array("list", "--json", "--status", "on-hold").map { $0["id"] as? Int }, [1])

        try cli.ok("resolve", "1")
        XCTAssertEqual(try cli.ticket(1)["status"] as? String, "solved")
        XCTAssertEqual(try cli.refused("resolve", "1"), "helpdesk: ticket 1 is already solved")
        XCTAssertEqual(try cli.ok("reopen", "1").stdout, "reopened ticket 1\n")
        XCTAssertEqual(try cli.ticket(1)["status"] as? String, "open")
        XCTAssertEqual(try cli.refused("reopen", "1"), "helpdesk: ticket 1 is open, not solved, pending or on hold")

        try cli.ok("resolve", "1")
        XCTAssertEqual(try cli.refused("rate", "1", "6"), "helpdesk: the score 6 is not between 1 and 5")
        XCTAssertEqual(try cli.refused("rate", "1", "0"), "helpdesk: the score 0 is not between 1 and 5")
        XCTAssertEqual(try cli.ok("rate", "1", "4", "--comment", "  Quick fix, thanks ").stdout, "rated ticket 1 4/5\n")
        var rating = try XCTUnwrap(cli.ticket(1)["rating"] as? [String: Any])
        XCTAssertEqual(rating["score"] as? Int, 4)
        XCTAssertEqual(rating["comment"] as? String, "Quick fix, thanks")
        XCTAssertNotNil(parseTime(rating["at"]))

        XCTAssertEqual(try cli.ok("close", "1").stdout, "closed ticket 1\n")
        XCTAssertEqual(try cli.ticket(1)["status"] as? String, "closed")
        XCTAssertEqual(try cli.refused("reopen", "1"), "helpdesk: ticket 1 is closed and stays closed; open a new ticket instead")
        XCTAssertEqual(try cli.refused("close", "1"), "helpdesk: ticket 1 is already closed")
        XCTAssertEqual(try cli.refused("take", "1"), "helpdesk: ticket 1 is closed; cannot take it")
        XCTAssertEqual(try cli.ticket(1)["status"] as? String, "closed")
        try cli.ok("rate", "1", "5")
        rating = try XCTUnwrap(cli.ticket(1)["rating"] as? [String: Any])
        XCTAssertEqual(rating["score"] as? Int, 5)
        XCTAssertTrue(isNull(rating["comment"]))

        // Straight from new to closed; rated while closed.
        try cli.ok("close", "2")
        try cli.ok("rate", "2", "3")
        XCTAssertEqual(try cli.array("list", "--json").count, 0, "closed tickets leave the default list")
        XCTAssertEqual(try cli.array("list", "--json", "--status", "closed").map { $0["id"] as? Int }, [1, 2])
        XCTAssertEqual(try cli.run("rate", "2").status, 64, "the score is required")
    }

    func testHistoryStatusEventsAndFsck() throws {
        try cli.setUpDesk(agents: [("alice", [])])                               // records 1, 2
        try cli.newTicket("ann@example.com", subject: "High", ["--priority", "high"])  // 3
        try cli.newTicket("ann@example.com", subject: "Low", ["--priority", "low"])    // 4
        try cli.newTicket("ann@example.com", subject: "Done")                     // 5
        try cli.ok("take", "1", "--as", "alice")                                  // 6
        try cli.ok("reply", "1", "--as", "alice", "--body", "On it")              // 7
        try cli.ok("escalate", "2", "--reason", "Hardware")                       // 8
        try cli.ok("resolve", "3")                                                // 9

        let status = try cli.object("status", "--json")
        XCTAssertTrue(Set(["by_status", "by_priority", "by_tier", "by_assignee", "oldest_waiting"]).isSubset(of: status.keys))
        let byStatus = try XCTUnwrap(status["by_status"] as? [String: Int])
        XCTAssertEqual(byStatus, ["new": 1, "open": 1, "pending": 0, "on-hold": 0, "solved": 1, "closed": 0])
        XCTAssertEqual(status["by_priority"] as? [String: Int], ["urgent": 0, "high": 1, "normal": 0, "low": 1])
        XCTAssertEqual(status["by_tier"] as? [String: Int], ["1": 1, "2": 1, "3": 0])
        XCTAssertEqual(status["by_assignee"] as? [String: Int], ["alice": 1, "unassigned": 1])
        // Ticket 1 has been answered; ticket 2 waits since it was opened.
        let oldest = try XCTUnwrap(status["oldest_waiting"] as? [String: Any])
        XCTAssertEqual(oldest["ticket"] as? Int, 2)
        XCTAssertEqual(oldest["since"] as? String, try cli.ticket(2)["created_at"] as? String)
        XCTAssertGreaterThanOrEqual(oldest["waiting_seconds"] as? Int ?? -1, 0)
        let statusText = try cli.ok("status").stdout
        XCTAssertTrue(statusText.contains("oldest waiting: #2"), statusText)
        XCTAssertTrue(statusText.hasPrefix("status"), statusText)

        let history = try cli.ok("history", "1").stdoutLines
        XCTAssertEqual(history.count, 4)
        XCTAssertTrue(history[0].contains("  #3  root  opened it by email, high priority: High"), history[0])
        XCTAssertTrue(history[1].contains("  #6  alice  assigned it to alice"), history[1])
        XCTAssertTrue(history[2].contains("  #6  alice  changed status new → open"), history[2])
        XCTAssertTrue(history[3].contains("  #7  alice  replied"), history[3])
        XCTAssertEqual(try cli.array("history", "1", "--json").count, 4)
        XCTAssertEqual(try cli.refused("history", "9"), "helpdesk: no ticket 9")

        // One line per event: 2 + 1 + 2 + 1 + 1 + 2 + 1 + 1 + 1.
        let events = try cli.ok("events").stdoutLines
        XCTAssertEqual(events.count, 12, events.joined(separator: "\n"))
        for line in events {
            let parts = line.components(separatedBy: "  ")
            XCTAssertGreaterThanOrEqual(parts.count, 4, line)
            XCTAssertNotNil(parseTime(parts[0]), line)
            XCTAssertNotNil(Int(parts[1]), line)
        }
        XCTAssertTrue(events[0].hasSuffix("  1  root  created the desk (log format 1)"), events[0])
        XCTAssertTrue(events[2].hasSuffix("  2  root  added agent alice (alice) at tier 1"), events[2])
        XCTAssertTrue(events[7].hasSuffix("  6  alice  #1 assigned it to alice"), events[7])
        XCTAssertTrue(events[11].hasSuffix("  9  root  #3 changed status new → solved"), events[11])
        let afterEight = try cli.ok("events", "--after", "8").stdoutLines
        XCTAssertEqual(afterEight.count, 1)
        XCTAssertEqual(afterEight.first, events.last)

        // --json: one record a line, with who acted through whom.
        let records = try cli.ok("events", "--json").stdoutLines.map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(records.map { $0["seq"] as? Int }, Array(1...9))
        XCTAssertEqual(records[5]["actor"] as? String, "alice")
        XCTAssertEqual(records[5]["via"] as? String, "root")
        XCTAssertNil(records[4]["via"])
        let replyEvent = (records[6]["events"] as? [[String: Any]])?.first
        XCTAssertEqual(replyEvent?["type"] as? String, "message.added")
        XCTAssertEqual(replyEvent?["body"] as? String, "On it")

        let fsck = try cli.ok("fsck")
        XCTAssertEqual(fsck.stdoutLines.count, 2)
        XCTAssertTrue(fsck.stdoutLines[0].hasPrefix("\(cli.desk.storeName): 9 records, last seq 9, "), fsck.stdout)
        XCTAssertEqual(fsck.stdoutLines.last, "ok")
        XCTAssertEqual(fsck.stderr, "")
    }
}
