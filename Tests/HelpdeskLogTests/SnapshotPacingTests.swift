import Foundation
import HelpdeskCore
import XCTest
@testable import HelpdeskLog

/// A process that appends for a long while (`ingest --json` of many lines) spaces out the
/// snapshot refreshes that fall due, and writes the last one when it stops pacing.
final class SnapshotPacingTests: XCTestCase {
    func testAtATenthTheNextRefreshWaitsNineTimesAsLongAsTheLastTook() {
        var pacing = SnapshotPacing(share: 0.1)
        let start = ContinuousClock.now
        XCTAssertTrue(pacing.allows(at: start), "the first refresh due is written")
        pacing.note(refreshStarted: start, ended: start + .seconds(1))
        XCTAssertFalse(pacing.allows(at: start + .seconds(1)))
        XCTAssertFalse(pacing.allows(at: start + .seconds(9.9)))
        XCTAssertTrue(pacing.allows(at: start + .seconds(10)))
    }

    func testAPacedLogDefersADueRefreshAndWritesItOnceUnpaced() throws {
        let path = try makeTemporaryDirectory().file("desk.log")
        let log = try LogFixture.create(path)
        log.snapshotPolicy = SnapshotPolicy(records: 1, bytes: 1 << 40)
        log.snapshotPacing = SnapshotPacing(share: 1e-9)  // after one refresh, the next would wait for ages
        try LogFixture.openTickets(log, ["One"])
        let first = log.desk.lastSeq
        XCTAssertEqual(SnapshotFile.header(at: path + ".snapshot")?.lastSeq, first)

        try LogFixture.openTickets(log, ["Two", "Three"])
        XCTAssertTrue(log.snapshotIsDue)
        XCTAssertEqual(SnapshotFile.header(at: path + ".snapshot")?.lastSeq, first, "due, but paced")
        XCTAssertEqual(try DeskLog(path: path, writable: false).desk.lastSeq, first + 2, "a reader replays the rest")

        log.snapshotPacing = nil
        log.refreshSnapshotIfDue(now: Date())
        XCTAssertEqual(SnapshotFile.header(at: path + ".snapshot")?.lastSeq, first + 2)
        let reader = try DeskLog(path: path, writable: false)
        XCTAssertEqual(reader.snapshotCovers.seq, first + 2)
        XCTAssertEqual(reader.desk, try DeskLog(path: path, writable: false, snapshots: false).desk)
    }
}
