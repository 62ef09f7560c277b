import Foundation
import XCTest

/// Automatic assignment under concurrency: 8 agents, 1,000 tickets arriving from 4 real
/// processes at once, each appending many small batches, every one of them handing out what
/// is waiting under the log's lock.
final class AutoAssignmentConcurrencyTests: CLITestCase {
    let agents = (1...8).map { "agent\($0)" }
    let capacity = 150

    func testRoundRobinUnderFourConcurrentWritersIsFairBoundedAndAssignsEachTicketOnce() throws {
        try cli.setUpDesk(agents: agents.map { ($0, []) })
        try cli.ok("group", "add", "support")
        for agent in agents { try cli.ok("group", "member", "add", "support", agent) }
        try cli.ok("group", "set-assign", "support", "round-robin", "--capacity", String(capacity))
        try cli.ok("rule", "add", "everything", "--if", "channel=chat", "--then", "group=support")
        for agent in agents { try cli.ok("available", "--as", agent) }

        // 1,000 tickets: 4 processes, each 25 ingests of 10 lines.
        try arrive(processes: 4, calls: 25, lines: 10, tag: "a")
        var counts = try assigneeCounts()
        XCTAssertEqual(counts.values.reduce(0, +), 1000, "every ticket was handed out: \(counts)")
        XCTAssertEqual(Set(counts.keys), Set(agents))
        XCTAssertLessThanOrEqual(counts.values.max()! - counts.values.min()!, 1, "round-robin is fair: \(counts)")
        XCTAssertLessThanOrEqual(counts.values.max()!, capacity)
        try assertEachTicketAssignedOnce(expected: 1000)

        // agent8 goes away: at once, they receive nothing more.
        try cli.ok("away", "--as", "agent8")
        try arrive(processes: 4, calls: 5, lines: 5, tag: "b")
        let before = counts
        counts = try assigneeCounts()
        XCTAssertEqual(counts["agent8"], before["agent8"], "away stops receiving at once")
        let others = agents.dropLast().map { counts[$0] ?? 0 }
        XCTAssertEqual(others.reduce(0, +), 1000 + 100 - (counts["agent8"] ?? 0))
        XCTAssertLessThanOrEqual(others.max()! - others.min()!, 1, "still fair among the available: \(counts)")
        XCTAssertLessThanOrEqual(others.max()!, capacity)

        // Everyone else goes away; tickets wait; agent8 comes back and receives the oldest, up to capacity.
        for agent in agents.dropLast() { try cli.ok("away", "--as", agent) }
        try arrive(processes: 4, calls: 2, lines: 5, tag: "c")
        let waiting = try cli.listedIDs("--unassigned")
        XCTAssertEqual(waiting.count, 40)
        try cli.ok("available", "--as", "agent8")
        counts = try assigneeCounts()
        XCTAssertEqual(counts["agent8"], capacity, "agent8 filled up to capacity")
        let given = capacity - (before["agent8"] ?? 0)
        XCTAssertEqual(try cli.listedIDs("--unassigned"), Array(waiting.dropFirst(given)), "the oldest went first")
        try assertEachTicketAssignedOnce(expected: 1100 + given)
    }

    /// `processes` shell loops at once, each running `calls` times `ingest --json` with `lines` lines.
    private func arrive(processes: Int, calls: Int, lines: Int, tag: String) throws {
        for p in 0..<processes {
            for c in 0..<calls {
                let text = (0..<lines).map { n in
                    #"{"channel":"chat","customer":{"email":"c\#(tag)\#(p)-\#(c)-\#(n)@example.com"},"subject":"s","body":"b","external_id":"\#(tag)-\#(p)-\#(c)-\#(n)"}"#
                }.joined(separator: "\n") + "\n"
                try Data(text.utf8).write(to: cli.directory.appendingPathComponent("\(tag)\(p)-\(c).jsonl"))
            }
        }
        let loop = #"for c in $(seq 0 $((CALLS - 1))); do "$HD" ingest --json < "$DIR/$TAG$P-$c.jsonl" > /dev/null || exit 1; done"#
        let shell = URL(fileURLWithPath: "/bin/sh")
        let running = try (0..<processes).map { p in
            try cli.start(["-c", loop], environment: ["HD": CLIHarness.binary.path, "P": String(p), "CALLS": String(calls),
                                                       "TAG": tag, "DIR": cli.directory.path], executable: shell)
        }
        for result in running.map({ $0.wait() }) { XCTAssertEqual(result.status, 0, result.stderr) }
    }

    private func assigneeCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for ticket in try cli.array("list", "--json", "--status", "all") {
            if let assignee = ticket["assignee"] as? String { counts[assignee, default: 0] += 1 }
        }
        return counts
    }

    /// Every `ticket.assigned` in the log is the desk's, and no ticket has two.
    private func assertEachTicketAssignedOnce(expected: Int) throws {
        var assigned: [Int: Int] = [:]
        for line in try cli.ok("events", "--json").stdoutLines {
            let record = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for event in record["events"] as? [[String: Any]] ?? [] where event["type"] as? String == "ticket.assigned" {
                XCTAssertEqual(record["actor"] as? String, "desk")
                assigned[event["ticket"] as? Int ?? 0, default: 0] += 1
            }
        }
        XCTAssertEqual(assigned.count, expected)
        XCTAssertEqual(assigned.values.max(), 1, "no ticket was assigned twice")
    }
}
