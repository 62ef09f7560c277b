import Foundation
import XCTest
import HelpdeskCore
@testable import HelpdeskLog
import HelpdeskTestSupport

/// The times around a moment that stepping a desk opened `asOf` needs, from a checkpoint or
/// from the start, equal what every record's time says.
extension TimeTravelTests {
    /// A ticket every 10 minutes for 12 hours, and a second record in the same millisecond every
    /// hour; snapshots written often, so checkpoints are kept.
    private func makeStepDesk() throws -> [Date] {
        let log = try DeskLog.create(path: path, actor: "root", displayName: "Root", now: start)
        log.snapshotPolicy = SnapshotPolicy(records: 5, events: 1_000, bytes: 1 << 30)
        func run(_ command: Command, at minute: Int) throws {
            _ = try log.append(actor: "root", now: start.addingTimeInterval(Double(minute) * 60)) { desk, now throws(Refusal) in
                try Rules.decide(command, by: "root", at: now, on: desk)
            }
        }
        for minute in stride(from: 10, through: 12 * 60, by: 10) {
            try run(.openTicket(customerEmail: "c@example.com", customerName: nil, subject: "At \(minute)", channel: .email,
                                priority: .normal, body: "Help"), at: minute)
            if minute % 60 == 0 { try run(.note(ticket: log.desk.tickets.count, body: "same time"), at: minute) }
        }
        return [start] + stride(from: 10, through: 12 * 60, by: 10).map { start.addingTimeInterval(Double($0) * 60) }
    }

    func testTheTimesAroundEveryMomentEqualTheRecordsTimesFromACheckpointOrFromTheStart() throws {
        let times = try makeStepDesk()  // distinct, in order
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: path + ".snapshot.checkpoints")
        XCTAssertGreaterThan(checkpoints.count, 3, "\(checkpoints)")
        var fromCheckpoints = 0
        for minute in stride(from: -5, through: 12 * 60 + 5, by: 5) {
            let moment = start.addingTimeInterval(Double(minute) * 60)
            let log = try DeskLog(location: .file(path: path), asOf: moment)
            if log.snapshotCovers.offset > 0 { fromCheckpoints += 1 }
            let last = times.last { $0 <= moment }
            let expected = RecordTimes(last: last, previous: last.flatMap { last in times.last { $0 < last } },
                                       next: times.first { $0 > moment })
            XCTAssertEqual(try log.recordTimesAroundMoment(), expected, "at minute \(minute)")
        }
        XCTAssertGreaterThan(fromCheckpoints, 50, "most moments start from a checkpoint")
    }

    func testALiveDeskFindsTheRecordBeforeItsNewestFromAnOlderCheckpointNotTheWholeLog() throws {
        let times = try makeStepDesk()
        let live = try DeskLog(location: .file(path: path), writable: true)
        _ = try live.writeSnapshot(now: times.last!)  // unless the last append already wrote one
        let reopened = try DeskLog(location: .file(path: path), writable: false)
        XCTAssertEqual(reopened.snapshotCovers.offset, try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64)
        let expected = RecordTimes(last: times.last, previous: times.dropLast().last, next: nil)
        XCTAssertEqual(try reopened.recordTimesAroundMoment(), expected)

        // A record early in the log made unreadable (past the fingerprint's first bytes): only a
        // scan from the log's start would reach it.
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
        let bytes = try XCTUnwrap(try handle.readToEnd())
        var offset = Int(SnapshotFile.window) + 1
        while bytes[offset - 1] != UInt8(ascii: "\n") { offset += 1 }
        try handle.seek(toOffset: UInt64(offset + 1))
        try handle.write(contentsOf: Data("#".utf8))
        try handle.close()
        XCTAssertEqual(try reopened.recordTimesAroundMoment(), expected, "read from the checkpoint before the newest")
        XCTAssertThrowsError(try DeskLog(location: .file(path: path), writable: false, snapshots: false), "the damage is there")
    }
}
