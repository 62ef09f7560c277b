import Foundation
import XCTest
@testable import HelpdeskLog

/// Small pieces are gathered and written in large chunks; a piece larger than a chunk (a
/// snapshot's payload) goes out as it is, after what was gathered before it.
final class BufferedWriterTests: XCTestCase {
    func testPiecesOfEverySizeReachTheFileInOrder() throws {
        let path = try makeTemporaryDirectory().file("out")
        let file = try LogFile.create(path)
        var big = [UInt8](repeating: 7, count: 9 << 20)
        big[0] = 1; big[1 << 20] = 2; big[big.count - 1] = 3
        let pieces: [[UInt8]] = [Array("head".utf8), big, Array("tail".utf8), [], Array("end\n".utf8)]
        var output = BufferedWriter(file: file)
        for piece in pieces { try output.write(piece) }
        XCTAssertEqual(output.offset, Int64(pieces.map(\.count).reduce(0, +)))
        try output.flush()
        XCTAssertEqual(try Bytes.read(path), Array(pieces.joined()))
    }
}
