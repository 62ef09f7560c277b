import Foundation
import XCTest

/// `merge`, `link`, `unlink` and `undo` through the real binary.
final class MergeLinkUndoTests: CLITestCase {
    private static func mail(id: String, subject: String, inReplyTo: String? = nil, body: String) -> Data {
        Data(("From: Jane Doe <jane@example.com>\nTo: support@acme.example\nSubject: \(subject)\nMessage-ID: <\(id)>\n"
              + (inReplyTo.map { "In-Reply-To: <\($0)>\n" } ?? "") + "Content-Type: text/plain\n\n\(body)\n").utf8)
    }

    private func ingest(_ mail: Data) throws -> String {
        let result = try cli.run(["ingest"], stdin: mail)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout
    }

    func testMergeMovesTheConversationAndLaterMailToTheTarget() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        XCTAssertEqual(try ingest(Self.mail(id: "first@mail.example.com", subject: "Printer", body: "It is on fire")),
                       "opened ticket 1\n")
        let target = try cli.newTicket("jane@example.com", subject: "Printer, by phone", ["--body", "Called about it"])
        try cli.ok("note", "1", "--body", "seen it", "--as", "alice")

        XCTAssertEqual(try cli.ok("merge", "1", "\(target)", "--as", "alice").stdout, "merged ticket 1 into \(target)\n")
        let source = try cli.ticket(1)
        XCTAssertEqual(source["status"] as? String, "closed")
        XCTAssertEqual(source["merged_into"] as? Int, target)
        XCTAssertEqual(source["merged_from"] as? [Int], [])
        var merged = try cli.ticket(target)
        XCTAssertTrue(isNull(merged["merged_into"]))
        XCTAssertEqual(merged["merged_from"] as? [Int], [1])
        var messages = try XCTUnwrap(merged["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.map { $0["body"] as? String }, ["It is on fire", "Called about it", "seen it"], "in time order")
        XCTAssertEqual(messages.map { $0["from"] as? Int }, [1, nil, 1])
        XCTAssertEqual((messages[0]["received"] as? [String: Any])?["id"] as? String, "first@mail.example.com")
        let shown = try cli.ok("show", "\(target)").stdout
        XCTAssertTrue(shown.contains("merged from #1"), shown)
        XCTAssertTrue(shown.contains("── customer · jane@example.com · "), shown)
        XCTAssertTrue(shown.contains(" · by email · from #1\nIt is on fire"), shown)
        XCTAssertTrue(try cli.ok("show", "1").stdout.contains("merged into #\(target)"))
        XCTAssertTrue(try cli.ok("history", "\(target)").stdout.contains("alice  merged #1 into #\(target)"))

        // Mail replying to the merged ticket's thread, or tagged with its id, lands on the target.
        XCTAssertTrue(try ingest(Self.mail(id: "second@mail.example.com", subject: "still", inReplyTo: "first@mail.example.com",
                                           body: "Still burning")).hasPrefix("added to ticket \(target) (by In-Reply-To"))
        XCTAssertTrue(try ingest(Self.mail(id: "third@mail.example.com", subject: "Re: Printer [#1]", body: "Hello?"))
            .hasPrefix("added to ticket \(target) (by its subject tag)"))
        merged = try cli.ticket(target)
        messages = try XCTUnwrap(merged["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.suffix(2).map { $0["body"] as? String }, ["Still burning", "Hello?"])
        XCTAssertEqual(try XCTUnwrap(cli.ticket(1)["messages"] as? [[String: Any]]).count, 2, "the closed source took nothing")
        XCTAssertEqual(try cli.ticketCountOpened(), 2)
    }

    func testAChainOfMergesSendsMailToTheLast() throws {
        try cli.setUpDesk()
        XCTAssertEqual(try ingest(Self.mail(id: "a@mail.example.com", subject: "A", body: "a")), "opened ticket 1\n")
        let b = try cli.newTicket("jane@example.com", subject: "B"), c = try cli.newTicket("jane@example.com", subject: "C")
        try cli.ok("merge", "1", "\(b)")
        try cli.ok("merge", "\(b)", "\(c)")
        XCTAssertTrue(try ingest(Self.mail(id: "a2@mail.example.com", subject: "x", inReplyTo: "a@mail.example.com", body: "again"))
            .hasPrefix("added to ticket \(c) "))
        XCTAssertEqual(try cli.ticket(c)["merged_from"] as? [Int], [b])
    }

    func testMergeRefusals() throws {
        try cli.setUpDesk()
        let a = try cli.newTicket(), b = try cli.newTicket(), closed = try cli.newTicket()
        try cli.ok("close", "\(closed)")
        XCTAssertEqual(try cli.refused("merge", "\(a)", "\(a)"), "helpdesk: cannot merge ticket \(a) into itself")
        XCTAssertEqual(try cli.refused("merge", "\(a)", "99"), "helpdesk: no ticket 99")
        XCTAssertEqual(try cli.refused("merge", "\(a)", "\(closed)"), "helpdesk: ticket \(closed) is closed; cannot merge into it")
        try cli.ok("merge", "\(a)", "\(b)")
        XCTAssertEqual(try cli.refused("merge", "\(a)", "\(b)"), "helpdesk: ticket \(a) is already merged into #\(b)")
        let bad = try cli.run(["merge", "x", "1"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("The value 'x' is invalid for '<source>'"), bad.stderr)
    }

    func testLinksBothWaysAndTheParentSolveWarning() throws {
        try cli.setUpDesk()
        let parent = try cli.newTicket(subject: "Outage"), child = try cli.newTicket(subject: "My mail is down")
        let other = try cli.newTicket(subject: "Related")
        XCTAssertEqual(try cli.ok("link", "\(child)", "\(parent)", "--kind", "parent").stdout,
                       "linked: #\(parent) is the parent of #\(child)\n")
        XCTAssertEqual(try cli.ok("link", "\(child)", "\(other)").stdout, "linked: #\(other) is related to #\(child)\n")
        func links(_ id: Int) throws -> [String] {
            try XCTUnwrap(cli.ticket(id)["links"] as? [[String: Any]]).map { "\($0["ticket"] as? Int ?? 0) \($0["kind"] as? String ?? "")" }
        }
        XCTAssertEqual(try links(child), ["\(parent) parent", "\(other) related"])
        XCTAssertEqual(try links(parent), ["\(child) child"])
        let listed = try cli.array("list", "--json").first { $0["id"] as? Int == parent }
        XCTAssertEqual((listed?["links"] as? [[String: Any]])?.count, 1)
        XCTAssertTrue(try cli.ok("show", "\(parent)").stdout.contains("link: child #\(child) (new) My mail is down"))

        XCTAssertEqual(try cli.refused("link", "\(child)", "\(child)"), "helpdesk: cannot link ticket \(child) to itself")
        XCTAssertEqual(try cli.refused("link", "\(child)", "42"), "helpdesk: no ticket 42")
        XCTAssertEqual(try cli.refused("link", "\(parent)", "\(child)", "--kind", "duplicate"),
                       "helpdesk: ticket \(parent) is already linked to #\(child): #\(child) is a child of #\(parent)")
        XCTAssertEqual(try cli.run(["link", "1", "2", "--kind", "cousin"]).status, 64)

        // Solving a parent with an open child solves it, with a warning on stderr.
        let solved = try cli.run(["resolve", "\(parent)"])
        XCTAssertEqual(solved.status, 0)
        XCTAssertEqual(solved.stdout, "solved ticket \(parent)\n")
        XCTAssertEqual(solved.stderr, "helpdesk: warning: ticket \(parent) has open children: #\(child)\n")
        XCTAssertEqual(try cli.ticket(parent)["status"] as? String, "solved")

        XCTAssertEqual(try cli.ok("unlink", "\(parent)", "\(child)").stdout, "unlinked tickets \(parent) and \(child)\n")
        XCTAssertEqual(try links(parent), [])
        XCTAssertEqual(try cli.refused("unlink", "\(parent)", "\(child)"), "helpdesk: ticket \(parent) is not linked to #\(child)")
    }

    func testUndoTakesBackYourLastChange() throws {
        try cli.setUpDesk(agents: [("alice", []), ("bob", []), ("carol", [])])
        let id = try cli.newTicket()
        try cli.ok("priority", "\(id)", "urgent", "--as", "alice")
        XCTAssertEqual(try cli.ok("undo", "--as", "alice").stdout, "undid your last change on ticket \(id): priority changed\n")
        XCTAssertEqual(try cli.ticket(id)["priority"] as? String, "normal")
        XCTAssertTrue(try cli.ok("history", "\(id)").stdout.contains("alice  undid: priority changed"))
        XCTAssertEqual(try cli.refused("undo", "\(id)", "--as", "alice"),
                       "helpdesk: nothing to undo: your last change on ticket \(id) was itself an undo")

        try cli.ok("note", "\(id)", "--body", "wrong ticket", "--as", "bob")
        try cli.ok("undo", "\(id)", "--as", "bob")
        let ticket = try cli.ticket(id)
        XCTAssertFalse(try XCTUnwrap(ticket["messages"] as? [[String: Any]]).contains { $0["body"] as? String == "wrong ticket" },
                       "the note is withdrawn from the conversation")
        XCTAssertTrue(try cli.ok("history", "\(id)").stdout.contains("bob  undid: note added (message 1 withdrawn)"))

        try cli.ok("tag", "\(id)", "+x", "--as", "alice")
        XCTAssertTrue(try cli.refused("undo", "\(id)", "--as", "bob")
            .hasPrefix("helpdesk: alice changed ticket \(id) since your last change (tags changed, "))
        XCTAssertEqual(try cli.refused("undo", "\(id)", "--as", "carol"),
                       "helpdesk: the last change on ticket \(id) (tags changed) is alice's, not yours; you can only undo your own")
        XCTAssertEqual(try cli.refused("undo", "99", "--as", "bob"), "helpdesk: no ticket 99")
        XCTAssertEqual(try cli.run(["undo", "x"]).status, 64)
    }

    func testUndoOfAMailedReplyIsRefused() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        XCTAssertEqual(try ingest(Self.mail(id: "m@mail.example.com", subject: "Help", body: "help")), "opened ticket 1\n")
        _ = try cli.run(["reply", "1", "--body", "on it", "--as", "alice"])
        XCTAssertEqual(try cli.refused("undo", "1", "--as", "alice"),
                       "helpdesk: your reply on ticket 1 was mailed (or is queued to be): mail that went out cannot be unsent")
    }

    func testUndoTooLateSaysHowLongAgo() throws {
        guard let faketime = Processes.which("faketime") else {
            throw XCTSkip("faketime is not installed; cannot run the command eleven minutes later")
        }
        try cli.setUpDesk(agents: [("alice", [])])
        let id = try cli.newTicket()
        try cli.ok("priority", "\(id)", "high", "--as", "alice")
        let later = try Processes.run(faketime, ["-f", "+660", BuiltProducts.helpdesk, "undo", "\(id)", "--as", "alice"],
                                      environment: cli.environment(), in: cli.directory.path)
        XCTAssertEqual(cli.assertOneLineError(later, status: 1, ["undo"]),
                       "helpdesk: too late: your last change on ticket \(id) (priority changed) was 11m ago; undo works for 10m")
        XCTAssertEqual(try cli.ticket(id)["priority"] as? String, "high", "nothing was undone")
    }
}

private extension CLIHarness {
    /// How many tickets the desk has, whatever their status.
    func ticketCountOpened() throws -> Int {
        try array("list", "--json", "--status", "all").count
    }
}
