import Foundation
import HelpdeskCore
import XCTest
@testable import HelpdeskLog

/// The two-thread replay of long logs gives what the one-thread replay gives: the same desk,
/// the same offset after a torn tail, the same error at the same byte for damage.
final class PipelinedReplayTests: XCTestCase {
    /// Opens `path` one way, then the other; returns both results.
    private func bothWays(_ path: String) -> (pipelined: Result<DeskLog, any Error>, single: Result<DeskLog, any Error>) {
        let pipelined = Result { try DeskLog(path: path, writable: false, snapshots: false, pipelinedReplayBytes: 0) }
        let single = Result { try DeskLog(path: path, writable: false, snapshots: false, pipelinedReplayBytes: .max) }
        return (pipelined, single)
    }

    private func generated(tickets: Int = 200) throws -> (path: String, summary: GeneratedLog.Summary) {
        let path = try makeTemporaryDirectory().file("desk.log")
        return (path, try GeneratedLog.write(GeneratorSettings(tickets: tickets, seed: 11, supervisor: "root"), to: path))
    }

    func testTheSameDeskEitherWay() throws {
        let (path, summary) = try generated()
        let (pipelined, single) = bothWays(path)
        let a = try pipelined.get(), b = try single.get()
        XCTAssertEqual(a.desk, summary.desk)
        XCTAssertEqual(b.desk, summary.desk)
        XCTAssertEqual(a.readOffset, summary.bytes)
        XCTAssertGreaterThan(summary.records, 4 * BatchQueue.batchSize, "several batches cross the threads")
    }

    func testATornTailIsLeftAloneEitherWay() throws {
        let (path, summary) = try generated(tickets: 40)
        try Bytes.append(Array(#"{"seq":99999,"at":"2026"#.utf8), to: path)
        let (pipelined, single) = bothWays(path)
        XCTAssertEqual(try pipelined.get().readOffset, summary.bytes)
        XCTAssertEqual(try single.get().readOffset, summary.bytes)
        XCTAssertEqual(try pipelined.get().desk, try single.get().desk)
    }

    func testDamageInTheMiddleIsReportedAtTheSameByteEitherWay() throws {
        let (path, _) = try generated(tickets: 60)
        var bytes = try Bytes.read(path)
        let lines = Bytes.lines(bytes)
        let victim = lines[lines.count / 2]
        bytes[Int(victim.offset) + 20] ^= 0x01
        try Bytes.write(bytes, to: path)
        let (pipelined, single) = bothWays(path)
        for result in [pipelined, single] {
            XCTAssertThrowsError(try result.get()) { error in
                guard case LogError.damaged(_, let offset, _)? = error as? LogError else { return XCTFail("\(error)") }
                XCTAssertEqual(offset, victim.offset)
            }
        }
    }

    func testARecordThatDoesNotFollowIsReportedAtTheSameByteEitherWay() throws {
        let (path, _) = try generated(tickets: 60)
        let bytes = try Bytes.read(path)
        let lines = Bytes.lines(bytes)
        let dropped = lines[lines.count / 3]
        try Bytes.write(Array(bytes[..<Int(dropped.offset)] + bytes[Int(dropped.end)...]), to: path)
        let (pipelined, single) = bothWays(path)
        var messages: [String] = []
        for result in [pipelined, single] {
            XCTAssertThrowsError(try result.get()) { error in
                guard case LogError.damaged(_, let offset, let reason)? = error as? LogError else { return XCTFail("\(error)") }
                XCTAssertEqual(offset, dropped.offset)
                messages.append(reason)
            }
        }
        XCTAssertEqual(messages.count, 2)
        XCTAssertEqual(messages.first, messages.last)
        XCTAssertTrue(messages.first?.contains("follows record") ?? false)
    }
}
