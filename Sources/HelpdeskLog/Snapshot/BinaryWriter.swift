import Foundation

/// Bytes for a part of a snapshot: LEB128 varints, and strings written once each (a table at
/// the front of the part) and referred to by number, since the same account, address or tag
/// recurs on every line of a ticket's history. Each part reads on its own.
struct BinaryWriter {
    private(set) var body: [UInt8] = []
    private var strings: [String] = []
    private var stringNumbers: [String: Int] = [:]
    private var previousMillis = 0

    init(capacity: Int = 256) {
        body.reserveCapacity(capacity)
    }

    /// What `build` writes, as a part that reads on its own: its string table, then its body.
    static func part(capacity: Int = 256, _ build: (inout BinaryWriter) -> Void) -> [UInt8] {
        var writer = BinaryWriter(capacity: capacity)
        build(&writer)
        return writer.finished()
    }

    mutating func byte(_ value: UInt8) { body.append(value) }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            body.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        body.append(UInt8(value))
    }

    /// Zig-zag, so that small negative numbers stay short.
    mutating func int(_ value: Int) {
        varint(UInt64(bitPattern: Int64((value << 1) ^ (value >> 63))))
    }

    mutating func bool(_ value: Bool) { byte(value ? 1 : 0) }

    mutating func optionalInt(_ value: Int?) {
        bool(value != nil)
        if let value { int(value) }
    }

    /// Whole milliseconds (what the log keeps) since the time written before, in a varint (a
    /// desk's times come close together, so most take two or three bytes); any other time as
    /// its exact bits.
    mutating func date(_ date: Date) {
        let seconds = date.timeIntervalSince1970
        let millis = (seconds * 1000).rounded()
        if abs(millis) < 1e15, Date(timeIntervalSince1970: millis / 1000) == date {
            int((Int(millis) - previousMillis) << 1)
            previousMillis = Int(millis)
        } else {
            int(1)
            withUnsafeBytes(of: seconds.bitPattern.littleEndian) { body.append(contentsOf: $0) }
        }
    }

    mutating func optionalDate(_ value: Date?) {
        bool(value != nil)
        if let value { date(value) }
    }

    mutating func string(_ text: String) {
        varint(UInt64(number(of: text)))
    }

    /// 0 for none, else the string's number plus one.
    mutating func optionalString(_ text: String?) {
        guard let text else { return varint(0) }
        varint(UInt64(number(of: text) + 1))
    }

    /// Up to how many strings a table is searched in order rather than through a dictionary:
    /// most parts (a ticket's messages and history) hold a handful of accounts and tags, which
    /// compare for less than they would hash.
    private static let searchedInOrder = 16

    /// `text`'s number in the string table, added when it is new.
    private mutating func number(of text: String) -> Int {
        if stringNumbers.isEmpty {
            if let number = strings.firstIndex(of: text) { return number }
            guard strings.count >= Self.searchedInOrder else {
                strings.append(text)
                return strings.count - 1
            }
            for (number, known) in strings.enumerated() { stringNumbers[known] = number }
        }
        if let number = stringNumbers[text] { return number }
        stringNumbers[text] = strings.count
        strings.append(text)
        return strings.count - 1
    }

    mutating func strings(_ texts: [String]) {
        varint(UInt64(texts.count))
        for text in texts { string(text) }
    }

    /// The string table followed by the body.
    func finished() -> [UInt8] {
        var table = BinaryWriter(capacity: strings.reduce(16) { $0 + $1.utf8.count + 2 })
        table.varint(UInt64(strings.count))
        for text in strings {
            table.varint(UInt64(text.utf8.count))
            table.body.append(contentsOf: text.utf8)
        }
        return table.body + body
    }
}
