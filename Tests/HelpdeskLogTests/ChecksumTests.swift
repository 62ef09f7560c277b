import CRecordScan
import Foundation
import XCTest
@testable import HelpdeskLog

/// The record checksum (CRC-32, folded by carry-less multiplication or eight bytes at a time) agrees with the bit-by-bit reference at
/// every length and alignment; the snapshot's XXH64 gives the published values.
final class ChecksumTests: XCTestCase {
    func testCRC32MatchesTheReferenceAtEveryLengthAndOffset() {
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<300).map { _ in UInt8.random(in: 0...255, using: &random) }
        for start in 0..<9 {
            for end in stride(from: start, through: bytes.count, by: 7) {
                let slice = Array(bytes[start..<end])
                XCTAssertEqual(CRC32.checksum(slice), ReferenceCRC32.checksum(slice), "\(start)..<\(end)")
            }
        }
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
    }

    func testTheFoldedCRC32AgreesWithTheTablesOnLongRuns() {
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &random) }
        bytes.withUnsafeBufferPointer { all in
            for _ in 0..<200 {
                let start = Int.random(in: 0..<64, using: &random), end = Int.random(in: start...all.count, using: &random)
                let run = UnsafeBufferPointer(rebasing: all[start..<end])
                let seed = UInt32.random(in: 0...UInt32.max, using: &random)
                XCTAssertEqual(CRC32.update(seed, with: run), CRC32.tableUpdate(seed, with: run), "\(start)..<\(end)")
            }
        }
        XCTAssertEqual(CRC32.checksum(Array(repeating: UInt8(ascii: "a"), count: 1000)), ReferenceCRC32.checksum(Array(repeating: UInt8(ascii: "a"), count: 1000)))
    }

    func testThePlainPrefixEndsAtTheFirstByteAStringMustLookAt() {
        let plain = Array("Dear Maria, please try again in a private browser window. ".utf8)
        for special: UInt8 in [UInt8(ascii: "\""), UInt8(ascii: "\\"), 0, 10, 31, 0x80, 0xC3, 0xFF] {
            for position in [0, 1, 15, 16, 17, 31, 32, 40, plain.count - 1] {
                var bytes = plain
                bytes[position] = special
                let prefix = bytes.withUnsafeBufferPointer { helpdesk_plain_prefix($0.baseAddress!, $0.count) }
                XCTAssertEqual(prefix, position, "byte \(special) at \(position)")
            }
        }
        XCTAssertEqual(plain.withUnsafeBufferPointer { helpdesk_plain_prefix($0.baseAddress!, $0.count) }, plain.count)
        let printable = Array("~ }{ and DEL, \u{7F}, are plain".utf8)
        XCTAssertEqual(printable.withUnsafeBufferPointer { helpdesk_plain_prefix($0.baseAddress!, $0.count) }, printable.count)
    }

    func testCRC32CanBeComputedInPieces() {
        let text = Array("The quick brown fox jumps over the lazy dog".utf8)
        let whole = CRC32.checksum(text)
        let head = text.withUnsafeBufferPointer { CRC32.update(0, with: UnsafeBufferPointer(rebasing: $0[..<10])) }
        let both = text.withUnsafeBufferPointer { CRC32.update(head, with: UnsafeBufferPointer(rebasing: $0[10...])) }
        XCTAssertEqual(both, whole)
        XCTAssertEqual(whole, 0x414F_A339)
    }

    func testXXHash64GivesThePublishedValues() {
        XCTAssertEqual(XXHash64.hash([]), 0xEF46_DB37_51D8_E999)
        XCTAssertEqual(XXHash64.hash(Array("a".utf8)), 0xD24E_C4F1_A98C_6E5B)
        XCTAssertEqual(XXHash64.hash(Array("abc".utf8)), 0x44BC_2CF5_AD77_0999)
        XCTAssertEqual(XXHash64.hash(Array("Nobody inspects the spammish repetition".utf8)), 0xFBCE_A83C_8A37_8BF1)
        XCTAssertEqual(XXHash64.hash((0..<100).map(UInt8.init)), 0x6AC1_E580_3216_6597)
    }
}
