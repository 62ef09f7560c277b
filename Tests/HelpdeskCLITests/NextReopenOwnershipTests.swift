import Foundation
import XCTest

/// `helpdesk next`, `helpdesk reopen` of held and pending tickets, and who may change a ticket,
/// through the real binary.
final class NextReopenOwnershipTests: CLITestCase {
    func testNextTakesTheMostUrgentTicketYouMayWork() throws {
        try cli.setUpDesk(agents: [("alice", []), ("carol", ["--tier", "2"])])
        let low = try cli.newTicket(subject: "Low", ["--priority", "low"])
        let deep = try cli.newTicket(subject: "Deep", ["--priority", "urgent"])
        let high = try cli.newTicket(subject: "High", ["--priority", "high"])
        try cli.ok("escalate", "\(deep)", "--reason", "needs tier 2")

        XCTAssertEqual(try cli.ok("next", "--as", "alice").stdout, "\(high)\n", "the urgent one is above alice's tier")
        XCTAssertEqual(try cli.ticket(high)["assignee"] as? String, "alice")
        let taken = try XCTUnwrap(try cli.json("next", "--json", "--as", "carol") as? [String: Any])
        XCTAssertEqual(taken["id"] as? Int, deep)
        XCTAssertEqual(taken["assignee"] as? String, "carol")
        XCTAssertEqual(try cli.ok("next", "--as", "alice").stdout, "\(low)\n")
        XCTAssertEqual(try cli.refused("next", "--as", "alice"), "helpdesk: nothing to take: no unassigned ticket you may work")
        XCTAssertEqual(try cli.refused("next", "--json", "--as", "carol"),
                       "helpdesk: nothing to take: no unassigned ticket you may work")
    }

    func testReopenBringsHeldAndPendingTicketsBackToOpen() throws {
        try cli.setUpDesk()
        let held = try cli.newTicket(subject: "Held"), pending = try cli.newTicket(subject: "Waiting")
        try cli.ok("hold", "\(held)")
        XCTAssertEqual(try cli.ok("reopen", "\(held)").stdout, "reopened ticket \(held)\n")
        XCTAssertEqual(try cli.ticket(held)["status"] as? String, "open")
        try cli.ok("follow-up", "\(pending)", "--in", "2h")
        XCTAssertEqual(try cli.ticket(pending)["status"] as? String, "pending")
        try cli.ok("reopen", "\(pending)")
        let ticket = try cli.ticket(pending)
        XCTAssertEqual(ticket["status"] as? String, "open")
        XCTAssertTrue(isNull(ticket["follow_up_at"]), "its follow-up is cleared")
        XCTAssertEqual(try cli.refused("reopen", "\(held)"), "helpdesk: ticket \(held) is open, not solved, pending or on hold")
        XCTAssertEqual(try cli.run("reopen", "x").status, 64)
        XCTAssertEqual(try cli.refused("reopen", "99"), "helpdesk: no ticket 99")
    }

    func testOnlyTheAssigneeOrWhoMayTakeItChangesATicket() throws {
        try cli.setUpDesk(agents: [("alice", []), ("dave", ["--tier", "3"])])
        let id = try cli.newTicket()
        try cli.ok("escalate", "\(id)", "--reason", "kernel", "--tier", "3")
        try cli.ok("take", "\(id)", "--as", "dave")
        let before = try cli.ok("events", "--json").stdoutLines.count
        for change in [["resolve", "\(id)"], ["hold", "\(id)"], ["priority", "\(id)", "urgent"], ["tag", "\(id)", "+vip"],
                       ["reply", "\(id)", "--body", "Hi"], ["follow-up", "\(id)", "--in", "1h"], ["close", "\(id)"]] {
            let refusal = try cli.run(change + ["--as", "alice"])
            XCTAssertEqual(cli.assertOneLineError(refusal, status: 1, change), "helpdesk: #\(id) is dave's", "\(change)")
        }
        XCTAssertEqual(try cli.refused("escalate", "\(id)", "--reason", "x", "--as", "alice"),
                       "helpdesk: #\(id) is dave's")
        XCTAssertEqual(try cli.ok("events", "--json").stdoutLines.count, before, "nothing written")
        try cli.ok("note", "\(id)", "--body", "I saw this last week", "--as", "alice")  // notes are open to all

        try cli.ok("release", "\(id)", "--as", "dave")
        XCTAssertEqual(try cli.refused("resolve", "\(id)", "--as", "alice"), "helpdesk: #\(id) is tier 3, you are tier 1")
        XCTAssertEqual(try cli.refused("bulk", "priority", "low", "--ids", "\(id)", "--as", "alice"),
                       "helpdesk: 1 of 1 refused: #\(id) is tier 3, you are tier 1; nothing applied")
        try cli.ok("resolve", "\(id)")  // the supervisor who set up the desk
        XCTAssertEqual(try cli.ticket(id)["status"] as? String, "solved")

        let other = try cli.newTicket(subject: "Unassigned")
        XCTAssertEqual(try cli.ok("reply", "\(other)", "--body", "On it", "--as", "alice").stdout, "replied on ticket \(other)\n")
        XCTAssertEqual(try cli.ticket(other)["assignee"] as? String, "alice", "a reply takes an unassigned ticket")
        let taken = try XCTUnwrap(try cli.array("history", "\(other)", "--json").first { ($0["summary"] as? String) == "assigned it to alice" })
        XCTAssertEqual(taken["actor"] as? String, "alice")
        XCTAssertEqual(taken["via"] as? String, "root", "who acted as alice")
        XCTAssertTrue(isNull(try cli.array("history", "\(other)", "--json").first?["via"]), "root opened it as itself")
    }
}
