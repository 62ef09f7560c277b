import Foundation
import HelpdeskCore
import XCTest
@testable import HelpdeskLog

/// The parser reads RFC 8259 exactly (intake and the log share it), and the writer escapes every
/// control, C1 included, so JSON printed on a terminal cannot drive it.
final class JSONGrammarTests: XCTestCase {
    func testNumbersFollowRFC8259sGrammar() throws {
        let accepted: [(String, JSONValue)] = [
            ("0", .int(0)), ("-0", .int(0)), ("7", .int(7)), ("-12", .int(-12)), ("1e5", .double(1e5)),
            ("1.5E-3", .double(1.5e-3)), ("0.25", .double(0.25)), ("-0.0", .double(-0.0)), ("2E+2", .double(200)),
        ]
        for (text, value) in accepted {
            XCTAssertEqual(try JSONValue.parse(text), value, text)
            XCTAssertEqual(try JSONValue.parse("[\(text)]"), .array([value]), text)
        }
        for text in ["-01", "2.", "0.e1", "012", "+1", ".5", "-", "1e", "1e+", "00", "-.5", "1.e3", "0x10", "1..2"] {
            XCTAssertThrowsError(try JSONValue.parse(text), text)
            XCTAssertThrowsError(try JSONValue.parse("{\"n\":\(text)}"), text)
        }
    }

    func testTheWriterEscapesC1ControlsAndReadsThemBack() throws {
        let text = "a\u{85}b\u{9B}31mc\u{80}\u{9F}é\u{A0}日\u{1B}"
        let written = JSONValue.string(text).serializedString()
        XCTAssertEqual(written, #""a\u0085b\u009b31mc\u0080\u009fé\#u{A0}日\u001b""#)
        XCTAssertEqual(try JSONValue.parse(written), .string(text))
    }

    /// The record decoder's fast path hands what it does not expect to the general parser, so a
    /// number the grammar refuses is refused there too, checksum or not.
    func testARecordWithALeadingZeroIsRefused() throws {
        let record = Record(seq: 5, at: Date(timeIntervalSince1970: 0), actor: "sam",
                            events: [.assigned(ticket: 1, to: "sam", from: nil)])
        let good = RecordCodec.encode(record).dropLast()
        XCTAssertEqual(try RecordCodec.decode(Array(good), bodies: .referenced(offset: 0)).seq, 5)
        for (from, to) in [(#""seq":5"#, #""seq":05"#), (#""ticket":1"#, #""ticket":01"#)] {
            var text = String(decoding: good, as: UTF8.self).replacingOccurrences(of: from, with: to)
            let marker = text.range(of: #","crc":""#)!
            let crc = CRC32.checksum(Array(text[..<marker.lowerBound].utf8))
            text = String(text[..<marker.upperBound]) + String(format: "%08x", crc) + "\"}"
            XCTAssertThrowsError(try RecordCodec.decode(Array(text.utf8), bodies: .referenced(offset: 0)), text)
            XCTAssertThrowsError(try RecordCodec.decode(Array(text.utf8), bodies: .inline), text)
        }
    }
}
