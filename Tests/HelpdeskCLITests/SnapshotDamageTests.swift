import Foundation
import XCTest

/// A command reads only the snapshot records it needs, and checks each as it reads it. A record
/// found damaged then (a bit flipped on disk after the desk was saved) stops the command before
/// it answers from a wrong desk; the snapshot is removed, and the next command replays the log.
final class SnapshotDamageTests: CLITestCase {
    func testADamagedRecordStopsTheCommandAndTheNextOneReplaysTheLog() throws {
        try cli.ok("generate", "--tickets", "60", "--seed", "2", "--out", cli.logPath)
        let expected = try cli.ok("export").stdout
        XCTAssertEqual(expected.split(separator: "\n").count, 60)

        let snapshot = cli.logPath + ".snapshot"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: snapshot)))
        // After the 64-byte header, the payload's first word is the length of its part checked
        // at open; the records follow it.
        let checked = bytes[64..<72].reversed().reduce(0) { $0 << 8 | Int($1) }
        bytes[64 + checked + (bytes.count - 64 - checked) / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: snapshot))

        let damaged = try cli.run(["export"])
        XCTAssertEqual(damaged.status, 65, damaged.stderr)
        XCTAssertEqual(damaged.stdout, "", "nothing answered from a damaged desk")
        XCTAssertTrue(damaged.stderr.contains("snapshot \(snapshot) is damaged"), damaged.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: snapshot), "removed, so the next command replays")

        XCTAssertEqual(try cli.ok("export").stdout, expected)
    }
}
