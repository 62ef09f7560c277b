import Foundation

/// Bytes for a snapshot: LEB128 varints, and strings written once each (a table at the front)
/// and referred to by number, since the same account, address or tag recurs on every line of
/// a desk's history.
struct BinaryWriter {
    private(set) var body: [UInt8] = []
    private var strings: [String] = []
    private var stringNumbers: [String: Int] = [:]
    private var previousMillis = 0

    /// `strings` seeds the table (numbered in order), so parts written against that table by
    /// an earlier writer can be copied in as they are (`copiedPart`).
    init(capacity: Int = 1 << 16, strings seed: [String] = []) {
        body.reserveCapacity(capacity)
        strings = seed
        stringNumbers.reserveCapacity(seed.count)
        for (number, text) in seed.enumerated() where stringNumbers[text] == nil { stringNumbers[text] = number }
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
        if let number = stringNumbers[text] {
            varint(UInt64(number))
            return
        }
        stringNumbers[text] = strings.count
        varint(UInt64(strings.count))
        strings.append(text)
    }

    /// 0 for none, else the string's number plus one.
    mutating func optionalString(_ text: String?) {
        guard let text else { return varint(0) }
        if let number = stringNumbers[text] {
            varint(UInt64(number + 1))
            return
        }
        stringNumbers[text] = strings.count
        varint(UInt64(strings.count + 1))
        strings.append(text)
    }

    mutating func strings(_ texts: [String]) {
        varint(UInt64(texts.count))
        for text in texts { string(text) }
    }

    /// What `build` writes, after its length: a part a reader can hand to another thread.
    mutating func lengthPrefixed(_ build: (inout BinaryWriter) -> Void) {
        let before = (body, previousMillis)
        body = []
        previousMillis = 0
        build(&self)
        let part = body
        (body, previousMillis) = before
        varint(UInt64(part.count))
        body.append(contentsOf: part)
    }

    /// What `build` writes, after its length in four bytes, with times starting afresh: a part
    /// a reader can skip now and read on its own later (`BinaryReader.skipPart`). Written in
    /// place, so a desk of a million parts is not copied a million times.
    mutating func skippablePart(_ build: (inout BinaryWriter) -> Void) {
        let lengthAt = body.count
        body.append(contentsOf: [0, 0, 0, 0])
        let millis = previousMillis
        previousMillis = 0
        build(&self)
        previousMillis = millis
        let length = UInt32(body.count - lengthAt - 4)
        withUnsafeBytes(of: length.littleEndian) { bytes in
            for k in 0..<4 { body[lengthAt + k] = bytes[k] }
        }
    }

    /// A part as `skippablePart` wrote it, copied from bytes written against the same first
    /// strings of the table.
    mutating func copiedPart(_ part: UnsafeBufferPointer<UInt8>) {
        withUnsafeBytes(of: UInt32(part.count).littleEndian) { body.append(contentsOf: $0) }
        body.append(contentsOf: part)
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
