import Foundation
import HelpdeskCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import HelpdeskLog

/// An interrupted write leaves bytes at the end that are not a record: readers ignore them,
/// fsck reports them, and the next append (under the lock) cuts them off.
final class TornTailTests: XCTestCase {
    /// A log of `tickets` tickets, and the desk after each record (`snapshots[seq]`).
    func makeLog(tickets: Int) throws -> (path: String, snapshots: [Desk]) {
        let directory = try makeTemporaryDirectory()
        let path = directory.file("desk.log")
        let log = try LogFixture.create(path)
        var snapshots = [Desk(), log.desk]
        for index in 1...tickets {
            try LogFixture.openTickets(log, ["ticket \(index)"])
            snapshots.append(log.desk)
        }
        XCTAssertEqual(snapshots.count, tickets + 2)
        return (path, snapshots)
    }

    func testCutLastFourBytes() throws {
        let (path, snapshots) = try makeLog(tickets: 6)
        let lines = Bytes.lines(try Bytes.read(path))
        XCTAssertEqual(lines.count, 7)
        let size = try Bytes.size(path)
        try Bytes.truncate(path, to: size - 4)
        try assertTornTail(path, intactRecords: 6, validEnd: lines[5].end, snapshots: snapshots)
    }

    func testZeroedLast512Bytes() throws {
        let (path, snapshots) = try makeLog(tickets: 12)
        let original = try Bytes.read(path)
        let lines = Bytes.lines(original)
        let size = Int64(original.count)
        let zeroFrom = size - 512
        let intact = lines.filter { $0.end <= zeroFrom }
        XCTAssertLessThan(intact.count, lines.count - 1, "the zeros should cover more than one record")

        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: UInt64(zeroFrom))
        try handle.write(contentsOf: Data(count: 512))
        try handle.close()
        XCTAssertEqual(try Bytes.size(path), size, "same length")
        XCTAssertEqual(Array(try Bytes.read(path).suffix(512)), [UInt8](repeating: 0, count: 512))

        try assertTornTail(path, intactRecords: intact.count, validEnd: intact.last!.end, snapshots: snapshots)
    }

    /// What a crash can leave when the file's size reached the disk but its data did not.
    func testZeroFilledExtension() throws {
        let (path, snapshots) = try makeLog(tickets: 3)
        let size = try Bytes.size(path)
        try Bytes.append([UInt8](repeating: 0, count: 4096), to: path)
        try assertTornTail(path, intactRecords: 4, validEnd: size, snapshots: snapshots)
    }

    /// Zeros that happen to end in a newline are a line that is not a record: still a tail.
    func testZeroLineWithNewlineAtTheEnd() throws {
        let (path, snapshots) = try makeLog(tickets: 3)
        let size = try Bytes.size(path)
        try Bytes.append([UInt8](repeating: 0, count: 100) + [10], to: path)
        try assertTornTail(path, intactRecords: 4, validEnd: size, snapshots: snapshots)
    }

    /// A record being written is not applied until its newline is there, and a reader never cuts it.
    func testIncompleteLastLineIsNotApplied() throws {
        let directory = try makeTemporaryDirectory()
        let path = directory.file("desk.log")
        let log = try LogFixture.create(path)
        try LogFixture.openTickets(log, ["one", "two"])
        let reader = try DeskLog(path: path, writable: false)
        let before = reader.desk

        let command = Command.openTicket(customerEmail: "jane@example.com", customerName: nil, subject: "three",
                                         channel: .email, priority: .normal, body: "the third")
        let now = Timestamp.truncated(Date())
        let events = try Rules.decide(command, by: "root", at: now, on: log.desk)
        let bytes = RecordCodec.encode(Record(seq: log.desk.lastSeq + 1, at: now, actor: "root", events: events))
        let start = try Bytes.size(path)

        // Every prefix short of the newline is left alone, by readers and by a fresh open.
        for cut in [1, bytes.count / 3, bytes.count / 2, bytes.count - 2, bytes.count - 1] {
            try Bytes.truncate(path, to: start)
            try Bytes.append(Array(bytes.prefix(cut)), to: path)
            XCTAssertEqual(try reader.catchUp(), 0, "prefix of \(cut) bytes")
            XCTAssertEqual(reader.desk.tickets, before.tickets)
            XCTAssertEqual(reader.readOffset, start)
            XCTAssertEqual(try DeskLog(path: path, writable: true).desk.lastSeq, 3)
            XCTAssertEqual(try Bytes.size(path), start + Int64(cut), "a reader must not cut the tail")
            guard case .tornTail(start, _)? = try LogCheck.run(path: path, repair: false, now: Date()).problem else {
                return XCTFail("fsck should report a torn tail at \(start) for a prefix of \(cut) bytes")
            }
        }
        // The rest of the record arrives: now it is applied.
        try Bytes.append([10], to: path)
        XCTAssertEqual(try reader.catchUp(), 1)
        XCTAssertEqual(reader.desk.tickets.map(\.subject), ["one", "two", "three"])
        XCTAssertEqual(try reader.text(of: reader.desk.tickets[2].messages[0].body), "the third")
        XCTAssertNil(try LogCheck.run(path: path, repair: false, now: Date()).problem)

        // The writer that was open all along catches up before its next append.
        let appended = try LogFixture.perform(log, .note(ticket: 3, body: "seen"))
        XCTAssertEqual(appended.record?.seq, 5)
        XCTAssertEqual(try LogFileFacts(path: path).seqs, [1, 2, 3, 4, 5])
    }

    func testRepairOfATornTailKeepsACopy() throws {
        let (path, _) = try makeLog(tickets: 2)
        let lines = Bytes.lines(try Bytes.read(path))
        XCTAssertEqual(lines.count, 3)
        try Bytes.truncate(path, to: lines[2].end - 10)
        let damaged = try Bytes.read(path)
        let report = try LogCheck.run(path: path, repair: true, now: Date())
        XCTAssertEqual(report.problem.map(Self.offset), lines[1].end)
        let copy = try XCTUnwrap(report.copy)
        XCTAssertEqual(try Bytes.read(copy), damaged)
        XCTAssertEqual(try Bytes.size(path), lines[1].end)
        XCTAssertNil(try LogCheck.run(path: path, repair: false, now: Date()).problem)
        XCTAssertEqual(try DeskLog(path: path, writable: false).desk.lastSeq, 2)
    }

    // MARK: - Helpers

    static func offset(_ problem: LogCheck.Problem) -> Int64 {
        switch problem {
        case .tornTail(let offset, _), .damaged(let offset, _), .newer(let offset, _): return offset
        }
    }

    /// The log at `path` ends in a torn tail after `intactRecords` good records ending at `validEnd`:
    /// readers ignore it, fsck reports it, the next append cuts it, and all is sound after.
    func assertTornTail(_ path: String, intactRecords: Int, validEnd: Int64, snapshots: [Desk],
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let damagedSize = try Bytes.size(path)
        XCTAssertGreaterThan(damagedSize, validEnd, file: file, line: line)

        let reader = try DeskLog(path: path, writable: false)
        XCTAssertEqual(reader.desk.lastSeq, intactRecords, file: file, line: line)
        XCTAssertEqual(reader.desk.tickets, snapshots[intactRecords].tickets, file: file, line: line)
        XCTAssertEqual(reader.desk.customers, snapshots[intactRecords].customers, file: file, line: line)
        XCTAssertEqual(reader.readOffset, validEnd, file: file, line: line)

        let report = try LogCheck.run(path: path, repair: false, now: Date())
        guard case .tornTail(let offset, let reason)? = report.problem else {
            return XCTFail("expected a torn tail, got \(String(describing: report.problem))", file: file, line: line)
        }
        XCTAssertEqual(offset, validEnd, reason, file: file, line: line)
        XCTAssertEqual(report.validEnd, validEnd, file: file, line: line)
        XCTAssertEqual(report.records, intactRecords, file: file, line: line)
        XCTAssertEqual(report.lastSeq, intactRecords, file: file, line: line)
        XCTAssertEqual(report.size, damagedSize, file: file, line: line)
        XCTAssertNil(report.copy, file: file, line: line)
        XCTAssertEqual(try Bytes.size(path), damagedSize, "neither readers nor a check change the file", file: file, line: line)

        // The next append cuts the tail off, says so, and writes the next seq in its place.
        let writer = try DeskLog(path: path, writable: true)
        var notices: [String] = []
        writer.onNotice = { notices.append($0) }
        let appended = try LogFixture.perform(writer, .openTicket(
            customerEmail: "later@example.com", customerName: nil, subject: "after the cut", channel: .web,
            priority: .low, body: "written after the cut"))
        XCTAssertEqual(notices.count, 1, "\(notices)", file: file, line: line)
        XCTAssertTrue(notices.first?.contains("\(damagedSize - validEnd) bytes") ?? false, "\(notices)", file: file, line: line)
        XCTAssertEqual(appended.record?.seq, intactRecords + 1, file: file, line: line)

        // Sound afterwards, gap-free, and every reader agrees.
        let after = try LogCheck.run(path: path, repair: false, now: Date())
        XCTAssertNil(after.problem, file: file, line: line)
        XCTAssertEqual(after.records, intactRecords + 1, file: file, line: line)
        let facts = try LogFileFacts(path: path)
        XCTAssertEqual(facts.seqs, Array(1...intactRecords + 1), file: file, line: line)
        XCTAssertTrue(facts.allChecksumsMatch, file: file, line: line)
        XCTAssertEqual(facts.trailingBytes, 0, file: file, line: line)
        XCTAssertEqual(try reader.catchUp(), 1, "a reader that saw the tail goes on after the cut", file: file, line: line)
        let fresh = try DeskLog(path: path, writable: false)
        XCTAssertEqual(fresh.desk.tickets, writer.desk.tickets, file: file, line: line)
        XCTAssertEqual(reader.desk.tickets, writer.desk.tickets, file: file, line: line)
        let last = try XCTUnwrap(fresh.desk.tickets.last, file: file, line: line)
        XCTAssertEqual(last.subject, "after the cut", file: file, line: line)
        XCTAssertEqual(try fresh.text(of: last.messages[0].body), "written after the cut", file: file, line: line)

        // A second append has nothing to cut.
        try LogFixture.perform(writer, .note(ticket: last.id, body: "again"))
        XCTAssertEqual(notices.count, 1, file: file, line: line)
    }
}
