import Foundation
import XCTest

/// Several real processes on one log at once.
final class ConcurrencyTests: CLITestCase {
    func testEightSimultaneousTakesHaveExactlyOneWinner() throws {
        let agents = (1...8).map { "agent\($0)" }
        try cli.setUpDesk(agents: agents.map { ($0, []) })
        try cli.newTicket()

        // Start all eight, then wait for all.
        let running = try agents.map { try cli.start(["take", "1", "--as", $0]) }
        let results = running.map { $0.wait() }

        let winners = zip(agents, results).filter { $0.1.status == 0 }
        XCTAssertEqual(winners.count, 1, results.map { "\($0.status) \($0.stdout)\($0.stderr)" }.joined(separator: "\n"))
        let winner = try XCTUnwrap(winners.first?.0)
        XCTAssertEqual(winners.first?.1.stdout, "took ticket 1\n")
        for (agent, result) in zip(agents, results) where agent != winner {
            let line = cli.assertOneLineError(result, status: 1, ["take", "1", "--as", agent])
            XCTAssertEqual(line, "helpdesk: ticket 1 is assigned to \(winner); use --steal to take it anyway")
        }

        let ticket = try cli.ticket(1)
        XCTAssertEqual(ticket["assignee"] as? String, winner)
        let assignments = (ticket["history"] as? [[String: Any]] ?? []).filter {
            ($0["event"] as? [String: Any])?["type"] as? String == "ticket.assigned"
        }
        XCTAssertEqual(assignments.count, 1)
        XCTAssertEqual(assignments.first?["actor"] as? String, winner)
    }

    func testTwoConcurrentLoopsOfNewMakeFortyDistinctTickets() throws {
        try cli.ok("init")
        let loop = #"for i in $(seq 20); do "$HD" new --customer "$P$i@example.com" --subject "loop $P $i" || exit 1; done"#
        let shell = URL(fileURLWithPath: "/bin/sh")
        let loops = try ["a", "b"].map { prefix in
            try cli.start(["-c", loop], environment: ["HD": CLIHarness.binary.path, "P": prefix], executable: shell)
        }
        let results = loops.map { $0.wait() }
        var printed: [String: [Int]] = [:]
        for (prefix, result) in zip(["a", "b"], results) {
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stderr, "")
            let ids = result.stdoutLines.compactMap { Int($0) }
            XCTAssertEqual(ids.count, 20, result.stdout)
            XCTAssertEqual(ids, ids.sorted(), "each loop's ids increase")
            printed[prefix] = ids
        }
        let allPrinted = (printed["a"] ?? []) + (printed["b"] ?? [])
        XCTAssertEqual(allPrinted.sorted(), Array(1...40), "ids 1...40, each exactly once")

        let tickets = try cli.array("list", "--json", "--status", "all")
        XCTAssertEqual(tickets.map { $0["id"] as? Int }, Array(1...40))
        // Each id printed belongs to the ticket that loop opened.
        for (prefix, ids) in printed {
            for (n, id) in ids.enumerated() {
                XCTAssertEqual(tickets[id - 1]["subject"] as? String, "loop \(prefix) \(n + 1)")
                XCTAssertEqual((tickets[id - 1]["customer"] as? [String: Any])?["email"] as? String, "\(prefix)\(n + 1)@example.com")
            }
        }

        let fsck = try cli.ok("fsck")
        XCTAssertTrue(fsck.stdoutLines.first?.hasPrefix("\(cli.desk.storeName): 41 records, last seq 41, ") == true, fsck.stdout)
        XCTAssertEqual(fsck.stdoutLines.last, "ok")
    }

    func testEventsFollowSeesWhatAnotherProcessWrites() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        let follower = try cli.startStreaming(["events", "--follow"])
        defer { follower.kill9() }

        // The records already in the log come first: then it is watching.
        XCTAssertNotNil(follower.waitForLine(timeout: 10) { $0.hasSuffix("root  added agent alice (alice) at tier 1") },
                        "replay: \(follower.lines) \(follower.errorText)")

        try cli.newTicket("ann@example.com", subject: "Seen live")
        let opened = follower.waitForLine(timeout: 10) { $0.hasSuffix("root  #1 opened it by email, normal priority: Seen live") }
        XCTAssertNotNil(opened, "follower saw: \(follower.lines) \(follower.errorText)")

        try cli.ok("take", "1", "--as", "alice")
        XCTAssertNotNil(follower.waitForLine(timeout: 10) { $0.hasSuffix("alice  #1 assigned it to alice") },
                        "follower saw: \(follower.lines)")
        // The take's record has a second event, printed after the first: wait for it before the signal.
        XCTAssertNotNil(follower.waitForLine(timeout: 10) { $0.hasSuffix("alice  #1 changed status new → open") },
                        "follower saw: \(follower.lines)")
        XCTAssertTrue(follower.exitStatus == nil && Processes.alive(follower.pid), "--follow keeps running")

        follower.end(with: SIGTERM)
        follower.drain(deadline: Date().addingTimeInterval(10))
        let status = try XCTUnwrap(follower.exitStatus)
        XCTAssertNotEqual(status & 0x7F, 0, "ended by a signal")
        XCTAssertEqual(status & 0x7F, SIGTERM)
        // Every event once, in order.
        let lines = follower.lines
        XCTAssertEqual(lines.count, 3 + 2 + 2, lines.joined(separator: "\n"))
        XCTAssertEqual(lines.filter { $0.contains("#1 opened it") }.count, 1)
    }
}
