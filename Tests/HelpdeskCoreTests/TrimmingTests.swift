import Foundation
import XCTest
@testable import HelpdeskCore

/// The fast trims give what Foundation's `trimmingCharacters(in:)` gives, for every scalar of
/// the first plane around a word (the whole range was checked once in a release build).
final class TrimmingTests: XCTestCase {
    func testTrimsAgreeWithFoundationAroundEveryScalarOfTheFirstPlane() {
        var checked = 0
        for value in stride(from: 0, through: 0xFFFF, by: 1) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "\(scalar)\(scalar)word \(scalar)x\(scalar)"
            XCTAssertEqual(text.trimmingWhitespaceAndNewlines(), text.trimmingCharacters(in: .whitespacesAndNewlines),
                           "U+\(String(value, radix: 16))")
            XCTAssertEqual(text.trimmingWhitespace(), text.trimmingCharacters(in: .whitespaces), "U+\(String(value, radix: 16))")
            checked += 1
        }
        XCTAssertEqual(checked, 0x10000 - 0x800)
        XCTAssertEqual(" \t\u{200B}a b\n\u{3000}".trimmingWhitespaceAndNewlines(), "a b")
        XCTAssertEqual(" \tA@b.c\u{A0}".trimmingWhitespace(), "A@b.c")
        XCTAssertEqual("\n a \n".trimmingWhitespace(), "\n a \n")
    }
}
