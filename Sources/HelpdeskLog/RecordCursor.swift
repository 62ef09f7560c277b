import CRecordScan
import Foundation

/// A position in one record's bytes and the few JSON pieces records are made of, read in
/// place. Every method returns nil (or false) on anything it does not expect; the caller then
/// hands the record to the general parser, which accepts or refuses it exactly as before.
struct RecordCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// A string's contents: its raw bytes when it holds no escape, else the decoded text.
    enum Text {
        case raw(UnsafeBufferPointer<UInt8>)
        case decoded(String)

        var string: String? {
            switch self {
            // ASCII is valid as it is: `String(validating:)` looks up generic metadata on every
            // call, which cost more than the rest of decoding an actor or a subject.
            case .raw(let bytes): bytes.allSatisfy { $0 < 0x80 } ? String(decoding: bytes, as: UTF8.self)
                : String(validating: bytes, as: UTF8.self)
            case .decoded(let text): text
            }
        }

        func equals(_ literal: String.UTF8View) -> Bool {
            switch self {
            case .raw(let bytes): bytes.elementsEqual(literal)
            case .decoded(let text): text.utf8.elementsEqual(literal)
            }
        }
    }

    var atEnd: Bool { i >= bytes.count }

    mutating func take(_ byte: UInt8) -> Bool {
        guard i < bytes.count, bytes[i] == byte else { return false }
        i += 1
        return true
    }

    var next: UInt8? { i < bytes.count ? bytes[i] : nil }

    /// A key without escapes, and the colon after it.
    mutating func key() -> UnsafeBufferPointer<UInt8>? {
        guard take(quote) else { return nil }
        let start = i
        while i < bytes.count, bytes[i] != quote {
            guard bytes[i] != backslash else { return nil }
            i += 1
        }
        let key = UnsafeBufferPointer(rebasing: bytes[start..<i])
        i += 1
        return take(UInt8(ascii: ":")) ? key : nil
    }

    /// Takes `"name":` when it is exactly what comes next: the key the writer puts here, matched
    /// without looking for where the key ends (false, and nothing taken, for any other).
    mutating func take(key name: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = name.count
        guard i + count + 3 <= bytes.count, bytes[i] == quote, bytes[i + count + 1] == quote,
              bytes[i + count + 2] == UInt8(ascii: ":"), let base = bytes.baseAddress, let expected = name.baseAddress,
              memcmp(base + i + 1, expected, count) == 0 else { return false }
        i += count + 3
        return true
    }

    mutating func take(key name: StaticString) -> Bool {
        take(key: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }

    mutating func text() -> Text? {
        guard next == quote, let base = bytes.baseAddress else { return nil }
        let start = i + 1
        // Plain ASCII sixteen bytes at a time, then byte by byte from whatever stopped it.
        var k = start + helpdesk_plain_prefix(base + start, bytes.count - start)
        while k < bytes.count {
            let byte = bytes[k]
            if byte == quote {
                i = k + 1
                return .raw(UnsafeBufferPointer(rebasing: bytes[start..<k]))
            }
            if byte == backslash || byte < 32 { break }
            k += 1
        }
        // Escapes: the general parser's own string reader, so they mean exactly what they meant.
        var parser = JSONParser(bytes: bytes)
        parser.i = i
        guard let decoded = try? parser.parseString() else { return nil }
        i = parser.i
        return .decoded(decoded)
    }

    mutating func string() -> String? {
        text()?.string
    }

    mutating func int() -> Int? {
        let negative = take(UInt8(ascii: "-"))
        let start = i
        var value = 0
        while i < bytes.count, bytes[i] &- 48 < 10 {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(bytes[i] &- 48))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            i += 1
        }
        // A fraction, an exponent or a leading zero is for the general parser to judge.
        guard i > start, i - start < 19, bytes[start] != 48 || i - start == 1,
              next != UInt8(ascii: "."), next.map({ $0 | 0x20 }) != UInt8(ascii: "e") else {
            return nil
        }
        return negative ? -value : value
    }

    mutating func bool() -> Bool? {
        if matches("true") { return true }
        if matches("false") { return false }
        return nil
    }

    private mutating func matches(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard i + count <= bytes.count, memcmp(bytes.baseAddress! + i, word.utf8Start, count) == 0 else { return false }
        i += count
        return true
    }

    mutating func strings() -> [String]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var items: [String] = []
        if take(UInt8(ascii: "]")) { return items }
        repeat {
            guard let item = string() else { return nil }
            items.append(item)
        } while take(comma)
        return take(UInt8(ascii: "]")) ? items : nil
    }

    /// Steps over a string without making it, checking it as the general parser would: valid
    /// UTF-8, no raw control characters, simple escapes (anything rarer gives up). Message
    /// bodies are most of a log's bytes and stay in the log, so this is the replay's inner loop.
    mutating func skipString() -> Bool {
        guard take(quote), let base = bytes.baseAddress else { return false }
        let end = bytes.count
        while true {
            // Plain ASCII (no quote, backslash, control or high byte), sixteen bytes at a time.
            i += helpdesk_plain_prefix(base + i, end - i)
            guard i < end else { return false }
            let byte = bytes[i]
            switch byte {
            case quote:
                i += 1
                return true
            case backslash:
                guard i + 1 < end else { return false }
                switch bytes[i + 1] {
                case quote, backslash, UInt8(ascii: "/"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"),
                     UInt8(ascii: "b"), UInt8(ascii: "f"):
                    i += 2
                default:
                    return false
                }
            case 0..<32:
                return false
            case 0..<0x80:
                i += 1
            default:
                guard let length = RecordCursor.utf8SequenceLength(base + i, available: end - i) else { return false }
                i += length
            }
        }
    }

    /// The length of the valid UTF-8 sequence at `p` (its first byte is not ASCII), or nil.
    static func utf8SequenceLength(_ p: UnsafePointer<UInt8>, available: Int) -> Int? {
        func continuation(_ k: Int) -> Bool { k < available && p[k] & 0xC0 == 0x80 }
        let lead = p[0]
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : nil
        case 0xE0...0xEF:
            guard available >= 3, continuation(1), continuation(2) else { return nil }
            if lead == 0xE0, p[1] < 0xA0 { return nil }  // overlong
            if lead == 0xED, p[1] >= 0xA0 { return nil }  // surrogates
            return 3
        case 0xF0...0xF4:
            guard available >= 4, continuation(1), continuation(2), continuation(3) else { return nil }
            if lead == 0xF0, p[1] < 0x90 { return nil }  // overlong
            if lead == 0xF4, p[1] >= 0x90 { return nil }  // beyond U+10FFFF
            return 4
        default:
            return nil
        }
    }
}

private let quote = UInt8(ascii: "\"")
private let backslash = UInt8(ascii: "\\")
private let comma = UInt8(ascii: ",")
