import Foundation
import XCTest

/// A command reads only the snapshot records it needs, and checks each as it reads it. A record
/// found damaged then (a bit flipped on disk after the desk was saved) is never answered from:
/// the snapshot is removed, and the desk it stood for, replayed from the log, answers instead.
/// The answer is whole and right, and the damage is named on stderr.
final class SnapshotDamageTests: CLITestCase {
    func testADamagedRecordIsAnsweredFromTheLogAndTheSnapshotRemoved() throws {
        try cli.ok("generate", "--tickets", "60", "--seed", "2", "--out", cli.logPath)
        try cli.desk.moveFileFixtureIntoStore()
        let expected = try cli.ok("export").stdout
        XCTAssertEqual(expected.split(separator: "\n").count, 60)

        let snapshot = try cli.desk.snapshotPath()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: snapshot)))
        // After the 64-byte header, the payload's first word is the length of its part checked
        // at open; the records follow it.
        let checked = bytes[64..<72].reversed().reduce(0) { $0 << 8 | Int($1) }
        bytes[64 + checked + (bytes.count - 64 - checked) / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: snapshot))

        let damaged = try cli.run(["export"])
        XCTAssertEqual(damaged.status, 0, damaged.stderr)
        XCTAssertEqual(damaged.stdout, expected, "the whole answer, as the log has it")
        XCTAssertTrue(damaged.stderr.contains("snapshot \(snapshot) is damaged"), damaged.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: snapshot), "removed, so no command reads it again")

        XCTAssertEqual(try cli.ok("export").stdout, expected)
    }

    /// Wherever a command meets a damaged record (export at the last solved ticket's messages,
    /// after every ticket before it; the other read commands wherever they read it), its answer
    /// is the one the intact desk gives, whole.
    func testACommandThatMeetsADamagedRecordHalfwayAnswersAsTheIntactDeskDoes() throws {
        try cli.ok("generate", "--tickets", "60", "--seed", "3", "--out", cli.logPath)
        try cli.desk.moveFileFixtureIntoStore()
        let snapshot = try cli.desk.snapshotPath()
        // A ticket no SLA clock makes any command look at first.
        let done = try XCTUnwrap(try cli.array("list", "--status", "all", "--json")
            .filter { ["solved", "closed"].contains($0["status"] as? String) }.last?["id"] as? Int)
        XCTAssertGreaterThan(done, 40)
        let oldest = try XCTUnwrap((try cli.object("status", "--json")["oldest_waiting"] as? [String: Any])?["ticket"] as? Int)
        let email = try XCTUnwrap((try cli.ticket(done)["customer"] as? [String: Any])?["email"] as? String)
        let pristine = try Data(contentsOf: URL(fileURLWithPath: snapshot))
        let cases: [(arguments: [String], ticket: Int, frame: SnapshotRecord.Frame)] = [
            (["export"], done, .detail), (["export", "--format", "csv"], done, .detail), (["status"], oldest, .header),
            (["show", "\(done)"], done, .detail), (["show", "\(done)", "--json"], done, .detail),
            (["history", "\(done)"], done, .detail), (["list", "--status", "all"], done, .header),
            (["customer", email], done, .header), (["sla", "why", "\(done)"], done, .detail),
            (["report", "--since", "400d"], done, .detail),
        ]
        for (arguments, ticket, frame) in cases {
            try pristine.write(to: URL(fileURLWithPath: snapshot))
            let intact = try cli.run(arguments)
            try SnapshotRecord.damage(pristine, ticket: ticket, frame: frame).write(to: URL(fileURLWithPath: snapshot))
            let result = try cli.run(arguments)
            let command = "helpdesk \(arguments.joined(separator: " "))"
            XCTAssertEqual(result.status, 0, "\(command): \(result.stderr)")
            XCTAssertEqual(Self.withoutNow(result.stdout), Self.withoutNow(intact.stdout), command)
            XCTAssertFalse(result.stdout.isEmpty, command)
            XCTAssertTrue(result.stderr.contains("ticket \(ticket) in the snapshot"), "\(command): \(result.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: snapshot), command)
        }

        // `events` reads the log itself: a record damaged in the middle of it, after hundreds of
        // good ones, stops it with nothing printed.
        try cli.desk.damageLine(201, byte: 9, mask: 0x01)
        let events = try cli.run(["events"])
        XCTAssertEqual(events.status, 65, events.stderr)
        XCTAssertTrue(events.stdout.isEmpty, "events printed the records before the damaged one: \(events.stdout.prefix(300))")
    }

    /// The answer with the moments of its own making (a report's range, "now") left out: two
    /// runs a moment apart differ only there.
    static func withoutNow(_ answer: String) -> String {
        let text = answer.hasPrefix("report ") ? "report <range>" + answer.drop { $0 != "\n" } : answer
        let now = Date()
        let stamps = try! NSRegularExpression(pattern: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#)
        var result = text
        for match in stamps.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            let range = Range(match.range, in: text)!
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let date = formatter.date(from: String(text[range])), abs(date.timeIntervalSince(now)) < 600 {
                result.replaceSubrange(Range(match.range, in: result)!, with: "<now>")
            }
        }
        return result
    }
}

/// Where a ticket's record lies in a snapshot file (see SnapshotLayout), to damage one frame of it.
enum SnapshotRecord {
    enum Frame { case header, detail }

    static func damage(_ file: Data, ticket: Int, frame: Frame) throws -> Data {
        var bytes = [UInt8](file)
        let payload = 64
        func word(_ at: Int) -> Int { bytes[at..<(at + 8)].reversed().reduce(0) { $0 << 8 | Int($1) } }
        // Directory words 3 and 4: the ticket count and where the ticket offsets table lies.
        XCTAssertLessThanOrEqual(ticket, word(payload + 3 * 8))
        var start = payload + word(payload + word(payload + 4 * 8) + (ticket - 1) * 8)
        // A frame: its hash (8 bytes), its length (4), its bytes.
        func length(_ at: Int) -> Int { bytes[(at + 8)..<(at + 12)].reversed().reduce(0) { $0 << 8 | Int($1) } }
        if frame == .detail { start += 12 + length(start) }
        XCTAssertGreaterThan(length(start), 0)
        bytes[start + 12 + length(start) - 1] ^= 0x01
        return Data(bytes)
    }
}

/// An answer too big to hold in memory (`events` of a large log) is kept in a temporary file
/// until it is whole: all of it comes out, or, when the log is damaged near its end, none.
final class LargeAnswerTests: CLITestCase {
    func testEventsOfALargeLogComeOutWholeOrNotAtAll() throws {
        try cli.ok("generate", "--tickets", "2500", "--seed", "4", "--out", cli.logPath)
        try cli.desk.moveFileFixtureIntoStore()
        let records = try cli.desk.storedLines().count

        let events = try cli.ok("events", "--json")
        XCTAssertGreaterThan(events.stdoutData.count, 8 << 20, "bigger than what is kept in memory")
        let seqs = events.stdoutLines.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["seq"] as? Int
        }
        XCTAssertEqual(seqs, Array(1...records), "every record, once, in order")

        try cli.desk.damageLine(records - 2, byte: 9, mask: 0x01)
        let damaged = try cli.run(["events", "--json"])
        XCTAssertEqual(damaged.status, 65, damaged.stderr)
        XCTAssertTrue(damaged.stdout.isEmpty, "printed \(damaged.stdoutData.count) bytes before the damage")
    }
}
