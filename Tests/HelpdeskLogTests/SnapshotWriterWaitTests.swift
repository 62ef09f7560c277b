import Foundation
import HelpdeskCore
import HelpdeskTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import HelpdeskLog

/// A desk opened while another holds the snapshot's lock to write one, with no snapshot or
/// checkpoint it can use, waits for that writer and opens from what it wrote rather than
/// replaying the log.
final class SnapshotWriterWaitTests: XCTestCase {
    func testAnOpenWithoutASnapshotWaitsForItsWriterAndOpensFromIt() throws {
        let path = try makeTemporaryDirectory().file("desk.log")
        let summary = try GeneratedLog.write(GeneratorSettings(tickets: 120, seed: 6, supervisor: LogFixture.supervisor), to: path)
        try FileManager.default.removeItem(atPath: path + ".snapshot")
        try? FileManager.default.removeItem(atPath: path + ".snapshot.checkpoints")
        let replayed = try DeskLog(path: path, writable: false)
        let other = try DeskLog(path: path, writable: false)
        XCTAssertEqual(replayed.snapshotCovers.seq, 0, "replayed: no snapshot")
        let prepared = try XCTUnwrap(try replayed.prepareSnapshot(now: Date()), "the writer's lock, free")
        XCTAssertNil(try other.prepareSnapshot(now: Date()), "one writer at a time")

        let opening = Opening()
        Thread.detachNewThread { opening.finish(try? DeskLog(path: path, writable: false)) }
        let lock = path + ".snapshot.lock"
        try waitFor("the open waiting for the writer's lock") { openDescriptors(naming: lock) == 2 }
        try prepared.write()
        prepared.release()
        XCTAssertEqual(opening.done.wait(timeout: .now() + 30), .success)
        let opened = try XCTUnwrap(opening.log, "opened")
        XCTAssertEqual(opened.snapshotCovers.seq, summary.records, "from the snapshot written meanwhile")
        XCTAssertEqual(opened.desk, replayed.desk)
    }

    private final class Opening: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        private(set) var log: DeskLog?

        func finish(_ log: DeskLog?) {
            self.log = log
            done.signal()
        }
    }

    private func openDescriptors(naming path: String) -> Int {
        let folder = "/proc/self/fd"
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + $0)) == path
        }.count
    }
}
