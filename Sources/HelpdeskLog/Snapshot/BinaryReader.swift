import Foundation

/// Reads what `BinaryWriter` wrote, refusing (by throwing) anything out of bounds.
struct BinaryReader {
    struct Malformed: Error {}

    private let base: UnsafePointer<UInt8>
    private var count: Int
    private var i = 0
    private var table: [String] = []
    /// Times are written as the difference from the one before.
    private var previousMillis = 0

    /// Reads the string table at the front of a part `BinaryWriter.part` made; the body follows.
    init(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard let base = bytes.baseAddress else { throw Malformed() }
        self.base = base
        count = bytes.count
        let total = try elementCount()
        table.reserveCapacity(total)
        for _ in 0..<total {
            let length = try size()
            let text = UnsafeBufferPointer(start: base + i, count: length)
            // Written from strings and checked against a hash since: valid UTF-8.
            table.append(String(decoding: text, as: UTF8.self))
            i += length
        }
    }

    var atEnd: Bool { i == count }

    @inline(__always)
    mutating func byte() throws -> UInt8 {
        guard i < count else { throw Malformed() }
        defer { i += 1 }
        return base[i]
    }

    @inline(__always)
    mutating func varint() throws -> UInt64 {
        if i < count, base[i] < 0x80 {
            i += 1
            return UInt64(base[i - 1])
        }
        return try longVarint()
    }

    private mutating func longVarint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard i < count, shift < 64 else { throw Malformed() }
            let byte = base[i]
            i += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// A size in bytes of what follows in this part: no more than the bytes left.
    mutating func size() throws -> Int {
        let value = try varint()
        guard value <= UInt64(count - i) else { throw Malformed() }
        return Int(value)
    }

    /// How many elements follow in this part. Each takes at least a byte, so there are no more
    /// than the bytes left: small enough to reserve room for.
    mutating func elementCount() throws -> Int {
        try size()
    }

    /// A count of things kept somewhere else (a ticket's history entries, in the header that only
    /// says how many there are): any number an `Int` holds. Never a size; never reserve room by it.
    mutating func tally() throws -> Int {
        let value = try varint()
        guard value <= UInt64(Int.max) else { throw Malformed() }
        return Int(value)
    }

    @inline(__always)
    mutating func int() throws -> Int {
        let raw = try varint()
        return Int(Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
    }

    @inline(__always)
    mutating func bool() throws -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw Malformed()
        }
    }

    mutating func optionalInt() throws -> Int? {
        try bool() ? try int() : nil
    }

    @inline(__always)
    mutating func date() throws -> Date {
        let tagged = try int()
        if tagged & 1 == 0 {
            previousMillis &+= tagged >> 1
            return Date(timeIntervalSince1970: Double(previousMillis) / 1000)
        }
        guard tagged == 1, count - i >= 8 else { throw Malformed() }
        let bits = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
        i += 8
        return Date(timeIntervalSince1970: Double(bitPattern: bits))
    }

    mutating func optionalDate() throws -> Date? {
        try bool() ? try date() : nil
    }

    @inline(__always)
    mutating func string() throws -> String {
        let number = try varint()
        guard number < UInt64(table.count) else { throw Malformed() }
        return table[Int(number)]
    }

    @inline(__always)
    mutating func optionalString() throws -> String? {
        let number = try varint()
        guard number > 0 else { return nil }
        guard number <= UInt64(table.count) else { throw Malformed() }
        return table[Int(number - 1)]
    }

    mutating func strings() throws -> [String] {
        let total = try elementCount()
        var texts: [String] = []
        texts.reserveCapacity(total)
        for _ in 0..<total { texts.append(try string()) }
        return texts
    }

    /// A case of an enumeration, by its position in `allCases`.
    mutating func choice<T: CaseIterable>(_ cases: [T]) throws -> T {
        let index = Int(try byte())
        guard index < cases.count else { throw Malformed() }
        return cases[index]
    }
}
