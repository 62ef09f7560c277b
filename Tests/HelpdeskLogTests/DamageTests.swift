import Foundation
import HelpdeskCore
import XCTest
@testable import HelpdeskLog

/// A bad record with good records after it is damage, not a torn tail: opening refuses with the
/// record's byte offset, and fsck --repair keeps a copy and cuts back to the last good record.
final class DamageTests: XCTestCase {
    func makeLog(tickets: Int) throws -> String {
        let directory = try makeTemporaryDirectory()
        let path = directory.file("desk.log")
        let log = try LogFixture.create(path)
        try LogFixture.openTickets(log, (1...tickets).map { "ticket \($0)" })
        return path
    }

    func testFlippedByteInAnEarlierRecord() throws {
        let path = try makeLog(tickets: 10)
        var bytes = try Bytes.read(path)
        let lines = Bytes.lines(bytes)
        XCTAssertEqual(lines.count, 11)
        let target = lines[5]  // seq 6, ticket 5
        let subject = Array(#""subject":"ticket 5""#.utf8)
        let at = try XCTUnwrap(Self.find(subject, in: bytes, from: Int(target.offset)))
        XCTAssertLessThan(at, Int(target.end))
        bytes[at + subject.count - 2] ^= 0x01  // "ticket 5" becomes "ticket 4": still JSON, wrong checksum
        try Bytes.write(bytes, to: path)
        let damaged = bytes

        for writable in [false, true] {
            XCTAssertThrowsError(try DeskLog(path: path, writable: writable)) { error in
                guard case .damaged(let errorPath, let offset, let reason)? = error as? LogError else {
                    return XCTFail("expected LogError.damaged, got \(error)")
                }
                XCTAssertEqual(errorPath, path)
                XCTAssertEqual(offset, target.offset)
                XCTAssertTrue(reason.contains("checksum"), reason)
                XCTAssertTrue("\(error)".contains("byte \(target.offset)"), "\(error)")
            }
        }

        let check = try LogCheck.run(path: path, repair: false, now: Date())
        XCTAssertEqual(check.problem.map(TornTailTests.offset), target.offset)
        guard case .damaged? = check.problem else { return XCTFail("expected damage, got \(String(describing: check.problem))") }
        XCTAssertEqual(check.validEnd, target.offset)
        XCTAssertEqual(check.records, 5)
        XCTAssertEqual(check.lastSeq, 5)
        XCTAssertNil(check.copy)
        XCTAssertEqual(try Bytes.read(path), damaged, "a check without --repair changes nothing")

        let repair = try LogCheck.run(path: path, repair: true, now: Date())
        XCTAssertEqual(repair.problem, check.problem)
        let copy = try XCTUnwrap(repair.copy)
        XCTAssertTrue(FileManager.default.fileExists(atPath: copy))
        XCTAssertNotEqual(copy, path)
        XCTAssertEqual(try Bytes.read(copy), damaged, "the copy is the damaged original, byte for byte")
        XCTAssertEqual(try Bytes.read(path), Array(damaged.prefix(Int(target.offset))))

        let reopened = try DeskLog(path: path, writable: true)
        XCTAssertEqual(reopened.desk.lastSeq, 5)
        XCTAssertEqual(reopened.desk.tickets.map(\.subject), ["ticket 1", "ticket 2", "ticket 3", "ticket 4"])
        XCTAssertNil(try LogCheck.run(path: path, repair: false, now: Date()).problem)
        XCTAssertEqual(try LogFixture.perform(reopened, .note(ticket: 4, body: "after the repair")).record?.seq, 6)
        XCTAssertEqual(try LogFileFacts(path: path).seqs, Array(1...6))
        XCTAssertNil(try LogCheck.run(path: path, repair: false, now: Date()).problem)
    }

    func testLineOfGarbageBetweenRecords() throws {
        let path = try makeLog(tickets: 3)
        let lines = Bytes.lines(try Bytes.read(path))
        var bytes = try Bytes.read(path)
        bytes.insert(contentsOf: Array("garbage\n".utf8), at: Int(lines[2].offset))
        try Bytes.write(bytes, to: path)
        XCTAssertThrowsError(try DeskLog(path: path, writable: false)) { error in
            XCTAssertEqual((error as? LogError).flatMap(Self.offset), lines[2].offset)
        }
        let repair = try LogCheck.run(path: path, repair: true, now: Date())
        XCTAssertEqual(try Bytes.read(try XCTUnwrap(repair.copy)), bytes)
        XCTAssertEqual(try Bytes.size(path), lines[2].offset)
        XCTAssertEqual(try DeskLog(path: path, writable: false).desk.lastSeq, 2)
    }

    /// Intact records that cannot follow: a seq out of order, or an event the desk cannot take.
    func testIntactRecordsThatDoNotFit() throws {
        let now = Timestamp.truncated(Date())
        let misfits: [(String, (Desk) -> Record)] = [
            ("seq skipped", { desk in
                Record(seq: desk.lastSeq + 2, at: now, actor: "root", events: [.followUpCleared(ticket: 1)]) }),
            ("seq repeated", { desk in
                Record(seq: desk.lastSeq, at: now, actor: "root", events: [.followUpCleared(ticket: 1)]) }),
            ("no such ticket", { desk in
                Record(seq: desk.lastSeq + 1, at: now, actor: "root", events: [.followUpCleared(ticket: 99)]) }),
            ("desk created twice", { desk in
                Record(seq: desk.lastSeq + 1, at: now, actor: "root", events: [.deskCreated(format: 1)]) }),
        ]
        for (name, misfit) in misfits {
            let path = try makeLog(tickets: 2)
            let log = try DeskLog(path: path, writable: true)
            let offset = try Bytes.size(path)
            try Bytes.append(RecordCodec.encode(misfit(log.desk)), to: path)
            // Even as the last line it is damage, not a tail: its checksum is right.
            XCTAssertThrowsError(try DeskLog(path: path, writable: false), name) { error in
                XCTAssertEqual((error as? LogError).flatMap(Self.offset), offset, name)
            }
            XCTAssertThrowsError(try LogFixture.perform(log, .note(ticket: 1, body: "x")), name) { error in
                XCTAssertEqual((error as? LogError).flatMap(Self.offset), offset, name)
            }
            let check = try LogCheck.run(path: path, repair: true, now: Date())
            guard case .damaged(offset, _)? = check.problem else {
                return XCTFail("\(name): expected damage at \(offset), got \(String(describing: check.problem))")
            }
            XCTAssertEqual(try Bytes.size(path), offset, name)
            XCTAssertEqual(try DeskLog(path: path, writable: false).desk.lastSeq, 3, name)
        }
    }

    /// A reader that had read past where a repair cut the log is told so, rather than going on.
    func testReaderNoticesTheLogWasCutUnderIt() throws {
        let path = try makeLog(tickets: 4)
        let reader = try DeskLog(path: path, writable: false)
        var bytes = try Bytes.read(path)
        let lines = Bytes.lines(bytes)
        bytes[Int(lines[2].offset) + 5] ^= 0x01
        try Bytes.write(bytes, to: path)
        XCTAssertNotNil(try LogCheck.run(path: path, repair: true, now: Date()).copy)
        XCTAssertThrowsError(try reader.catchUp()) { error in
            XCTAssertEqual(error as? LogError, .truncated(path: path, size: lines[2].offset, expected: lines[4].end))
        }
    }

    /// A follower that meets damage after applying some new records names the same byte when
    /// it tries again, and has applied each good record once.
    func testFollowerMeetingDamageReportsItTheSameWayTwice() throws {
        let path = try makeLog(tickets: 2)
        let reader = try DeskLog(path: path, writable: false)
        let writer = try DeskLog(path: path, writable: true)
        try LogFixture.openTickets(writer, ["3", "4", "5"])
        var bytes = try Bytes.read(path)
        let lines = Bytes.lines(bytes)
        bytes[Int(lines[4].offset) + 5] ^= 0x01  // the second of the three new records
        try Bytes.write(bytes, to: path)
        for attempt in 1...2 {
            XCTAssertThrowsError(try reader.catchUp(), "attempt \(attempt)") { error in
                XCTAssertEqual((error as? LogError).flatMap(Self.offset), lines[4].offset, "attempt \(attempt): \(error)")
            }
            XCTAssertEqual(reader.desk.lastSeq, 4, "attempt \(attempt)")
        }
    }

    /// The design's limit: a bad last record looks like an interrupted write, so the next append
    /// cuts it off (with a notice) even if it had been acknowledged before the bits rotted.
    func testFlippedByteInTheLastRecordIsTreatedAsATornTail() throws {
        let path = try makeLog(tickets: 3)
        var bytes = try Bytes.read(path)
        let last = try XCTUnwrap(Bytes.lines(bytes).last)
        bytes[Int(last.offset) + 3] ^= 0x01
        try Bytes.write(bytes, to: path)
        XCTAssertEqual(try DeskLog(path: path, writable: false).desk.lastSeq, 3)
        guard case .tornTail(last.offset, let reason)? = try LogCheck.run(path: path, repair: false, now: Date()).problem else {
            return XCTFail("expected a torn tail")
        }
        XCTAssertTrue(reason.contains("checksum"), reason)
    }

    // MARK: - Helpers

    static func offset(_ error: LogError) -> Int64? {
        if case .damaged(_, let offset, _) = error { return offset }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], Array(haystack[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }
}
