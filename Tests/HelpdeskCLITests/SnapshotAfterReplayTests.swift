import Foundation
import XCTest

/// A read command that had to replay much of the log (no snapshot, or an old one) writes a new
/// snapshot after it answers, so the next command starts from it rather than replaying
/// again; one that found a current snapshot writes nothing.
final class SnapshotAfterReplayTests: CLITestCase {
    func testAReadWithoutASnapshotLeavesOneForTheNextCommand() throws {
        try cli.ok("generate", "--tickets", "800", "--seed", "4", "--out", cli.logPath)
        try cli.desk.moveFileFixtureIntoStore()
        let snapshot = try cli.desk.snapshotPath()
        try FileManager.default.removeItem(atPath: snapshot)
        let replayed = try cli.object("status", "--json")
        // Written after the read answered, by a child of its own (see SnapshotAfterAnswerTests).
        try waitFor("the snapshot written by the read") { FileManager.default.fileExists(atPath: snapshot) }
        try waitFor("its writer to end") { ProcessTable.holding(snapshot + ".lock").isEmpty }
        let written = try FileManager.default.attributesOfItem(atPath: snapshot)[.modificationDate] as? Date

        let fromSnapshot = try cli.object("status", "--json")
        for key in ["by_status", "by_priority", "by_assignee", "active", "last_seq"] {
            XCTAssertEqual(fromSnapshot[key] as? NSObject, replayed[key] as? NSObject, "\(key): the same answer from the snapshot")
        }
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: snapshot)[.modificationDate] as? Date, written,
                       "a current snapshot is not written again")
    }

    func testASmallDeskIsNotWorthASnapshot() throws {
        try cli.ok("init")
        try cli.ok("new", "--customer", "c@example.com", "--subject", "one", "--body", "b")
        let snapshot = try cli.desk.snapshotPath()
        try? FileManager.default.removeItem(atPath: snapshot)
        try cli.ok("list")
        XCTAssertFalse(FileManager.default.fileExists(atPath: snapshot))
    }
}
