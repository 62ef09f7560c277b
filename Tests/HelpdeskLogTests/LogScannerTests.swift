import Foundation
import HelpdeskCore
import XCTest
@testable import HelpdeskLog

/// The scanner reads the log in chunks: a record cut by a chunk's end, or longer than a chunk,
/// is still handed over whole, at its own offset, whatever the chunk size and starting point.
final class LogScannerTests: XCTestCase {
    func testEveryRecordIsVisitedWholeAcrossChunkBoundaries() throws {
        let path = try makeTemporaryDirectory().file("desk.log")
        let log = try LogFixture.create(path)
        try LogFixture.openTickets(log, (1...12).map { String(repeating: "subject \($0) ", count: $0 * 7) })
        let bytes = try Bytes.read(path)
        let lines = Bytes.lines(bytes)
        let file = try LogFile.open(path, writable: false)
        for chunkSize in [16, 100, 333, 4096, 1 << 20] {
            for first in [0, 1, lines.count / 2, lines.count - 1] {
                var seen: [(offset: Int64, bytes: [UInt8])] = []
                let end = try LogScanner(file: file, chunkSize: chunkSize).scan(from: lines[first].offset) { line, offset in
                    seen.append((offset, Array(line)))
                }
                let expected = lines[first...]
                XCTAssertEqual(seen.map { $0.offset }, expected.map { $0.offset }, "chunks of \(chunkSize), from record \(first)")
                XCTAssertEqual(seen.map { $0.bytes }, expected.map { Array(bytes[Int($0.offset)..<Int($0.end) - 1]) })
                XCTAssertEqual(end, LogScanner.End(validEnd: Int64(bytes.count), size: Int64(bytes.count), tailReason: nil))
            }
        }
        let atTheEnd = try LogScanner(file: file).scan(from: Int64(bytes.count)) { _, _ in XCTFail("nothing after the end") }
        XCTAssertEqual(atTheEnd.validEnd, Int64(bytes.count))
    }
}
