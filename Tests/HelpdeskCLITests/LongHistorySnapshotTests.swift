import Foundation
import XCTest

/// Issue 10, part 1: a ticket whose history has more entries than its saved header has bytes
/// (a one-character subject and forty notes) was refused as damaged by every command once a
/// snapshot covered it, and the snapshot was removed and rewritten and refused again.
final class LongHistorySnapshotTests: CLITestCase {
    func testATicketWithAShortSubjectAndManyNotesReadsFromTheSnapshot() throws {
        try cli.setUpDesk()
        XCTAssertEqual(try cli.newTicket("a@ex.com", subject: "x", ["--body", "hi"]), 1)
        for note in 1...40 { try cli.ok("note", "1", "--body", "n\(note)") }
        let lines = (1...5000).map { """
            {"channel":"chat","customer":{"email":"c\($0)@ex.com"},"subject":"s\($0)","body":"b","external_id":"e\($0)"}
            """ }
        let ingest = try cli.run(["ingest", "--json"], stdin: Data((lines.joined(separator: "\n") + "\n").utf8))
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        let snapshot = try cli.desk.snapshotPath()
        XCTAssertTrue(FileManager.default.fileExists(atPath: snapshot), "5,000 records written: a snapshot")

        let shown = try cli.ok("show", "1")
        XCTAssertEqual(shown.stderr, "")
        XCTAssertTrue(shown.stdout.hasPrefix("#1 x\n"), shown.stdout)
        XCTAssertTrue(shown.stdout.hasSuffix("\nn40\n"), "the whole conversation, to the last note")
        XCTAssertEqual(shown.stdout.components(separatedBy: "── internal note").count - 1, 40)

        try cli.ok("take", "1")
        let ticket = try cli.ticket(1)
        XCTAssertEqual(ticket["subject"] as? String, "x")
        XCTAssertEqual(ticket["assignee"] as? String, NSUserName())
        let messages = try XCTUnwrap(ticket["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.map { $0["body"] as? String }, ["hi"] + (1...40).map { "n\($0)" })
        let history = try XCTUnwrap(ticket["history"] as? [[String: Any]])
        XCTAssertEqual(history.count, 44, "opened, first message, 40 notes, then the take's assignment and status")
        XCTAssertTrue(FileManager.default.fileExists(atPath: snapshot), "never found damaged, never removed")
    }
}
