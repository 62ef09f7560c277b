import XCTest
@testable import HelpdeskLog

/// A part's string table: each string written once and referred to by number, whether the
/// table is small (searched in order) or large (hashed), and across the change from one to the other.
final class BinaryWriterTests: XCTestCase {
    func testStringsReadBackAsWrittenAcrossTheTablesSizes() throws {
        let distinct = (0..<40).map { "s\($0)" } + ["", "é", "中文", String(repeating: "long ", count: 20)]
        var written: [String?] = []
        for round in 0..<3 {
            for (k, text) in distinct.enumerated() where (k + round) % 2 == 0 || round == 2 {
                written.append(text)
                if k % 7 == 0 { written.append(nil) }
            }
        }
        let bytes = BinaryWriter.part { out in
            for text in written { out.optionalString(text) }
            out.string("s3")
        }
        var input = try bytes.withUnsafeBufferPointer { try BinaryReader($0) }
        XCTAssertEqual(try written.map { _ in try input.optionalString() }, written)
        XCTAssertEqual(try input.string(), "s3")
        XCTAssertTrue(input.atEnd)
        // Each distinct string once in the table: a repeat costs its number alone.
        let tableBytes = distinct.reduce(0) { $0 + $1.utf8.count }
        XCTAssertLessThan(bytes.count, tableBytes + 2 * distinct.count + 2 * written.count + 8)
    }
}
