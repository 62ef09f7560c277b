import Foundation
import HelpdeskCore

/// Decodes a record straight from its bytes, as the log's writer spells it, without building a
/// JSON tree, and leaves message bodies in the log (stepped over, not made into strings).
/// Anything unusual (a key it does not know, a null, a rare escape) gives nil, and the record
/// goes to the general decoder instead, so the two never disagree on what a record says.
enum FastRecordDecoder {
    static func decode(_ line: UnsafeBufferPointer<UInt8>, offset: Int64) -> Record? {
        var cursor = RecordCursor(line)
        guard cursor.take(UInt8(ascii: "{")) else { return nil }
        var seq: Int?, at: Date?, actor: String?, via: String?, events: [Event]?
        var expected: Key? = .seq
        repeat {
            let key: Key
            if let next = expected, cursor.take(key: next.name) {
                key = next
            } else {
                guard let found = cursor.key().flatMap(Key.init) else { return nil }
                key = found
            }
            expected = key.next
            switch key {
            case .seq:
                guard seq == nil, let value = cursor.int() else { return nil }
                seq = value
            case .at:
                guard at == nil, let value = cursor.text().flatMap(time) else { return nil }
                at = value
            case .actor:
                guard actor == nil, let value = cursor.string() else { return nil }
                actor = value
            case .via:
                guard via == nil, let value = cursor.string() else { return nil }
                via = value
            case .events:
                guard events == nil, let value = decodeEvents(&cursor, length: line.count + 1, offset: offset) else {
                    return nil
                }
                events = value
            case .crc:
                guard cursor.text() != nil else { return nil }
            }
        } while cursor.take(UInt8(ascii: ","))
        guard cursor.take(UInt8(ascii: "}")), cursor.atEnd, let seq, let at, let actor, let events else { return nil }
        return Record(seq: seq, at: at, actor: actor, via: via, events: events)
    }

    private static func decodeEvents(_ cursor: inout RecordCursor, length: Int, offset: Int64) -> [Event]? {
        guard cursor.take(UInt8(ascii: "[")) else { return nil }
        var events: [Event] = []
        if cursor.take(UInt8(ascii: "]")) { return events }
        repeat {
            let index = events.count
            guard let event = decodeEvent(&cursor, body: .logged(offset: offset, length: length, event: index)) else {
                return nil
            }
            events.append(event)
        } while cursor.take(UInt8(ascii: ","))
        return cursor.take(UInt8(ascii: "]")) ? events : nil
    }

    /// An event whose `type` comes first, as the writer puts it, and whose every key its type
    /// declares (once each). Its values wait on the stack.
    private static func decodeEvent(_ cursor: inout RecordCursor, body: MessageBody) -> Event? {
        let table = FastEventTable.shared
        guard cursor.take(UInt8(ascii: "{")), cursor.take(key: "type"),
              case .raw(let name)? = cursor.text(), let index = table.entry(named: name) else { return nil }
        let entry = table.entries[index]
        let fields = entry.fields
        return withUnsafeTemporaryAllocation(of: EventFieldValue.self, capacity: fields.count) { values in
            values.initialize(repeating: .absent)
            defer { values.deinitialize() }
            var seen: UInt64 = 0
            var expected = 0
            while cursor.take(UInt8(ascii: ",")) {
                let k: Int
                if expected < fields.count, cursor.take(key: fields[expected].name) {
                    k = expected
                } else {
                    guard let key = cursor.key(), let found = field(key, of: fields, from: expected) else { return nil }
                    k = found
                }
                guard seen & (1 << UInt64(k)) == 0, let value = read(&cursor, fields[k], body: body) else { return nil }
                seen |= 1 << UInt64(k)
                values[k] = value
                expected = k + 1
            }
            guard cursor.take(UInt8(ascii: "}")), seen & entry.required == entry.required else { return nil }
            return table.types[entry.type].event(taking: values)
        }
    }

    /// The field `key` names: usually the one after the last (the writer keeps the declared order).
    private static func field(_ key: UnsafeBufferPointer<UInt8>, of fields: UnsafeBufferPointer<FastEventTable.Field>,
                              from expected: Int) -> Int? {
        for k in expected..<fields.count where FastEventTable.equal(fields[k].name, key) { return k }
        for k in 0..<min(expected, fields.count) where FastEventTable.equal(fields[k].name, key) { return k }
        return nil
    }

    private static func read(_ cursor: inout RecordCursor, _ field: FastEventTable.Field, body: MessageBody) -> EventFieldValue? {
        switch field.kind {
        case .int: return cursor.int().map(EventFieldValue.int)
        case .string: return cursor.string().map(EventFieldValue.string)
        case .bool: return cursor.bool().map(EventFieldValue.bool)
        case .date: return cursor.text().flatMap(time).map(EventFieldValue.date)
        case .strings: return cursor.strings().map(EventFieldValue.strings)
        case .body: return cursor.skipString() ? .body(body) : nil
        case .choice:
            // Short strings: matched as bytes, no allocation.
            switch cursor.text() {
            case .raw(let bytes)?:
                for (k, spelling) in field.cases.enumerated() where FastEventTable.equal(spelling, bytes) {
                    return .string(field.caseNames[k])
                }
                return nil
            case .decoded(let text)?:
                return field.caseNames.contains(text) ? .string(text) : nil
            case nil:
                return nil
            }
        }
    }

    /// Times as `Timestamp.parse(String)` reads them (which also takes a space for the `T`).
    private static func time(_ text: RecordCursor.Text) -> Date? {
        if case .raw(let bytes) = text, let date = writtenTime(bytes) ?? Timestamp.parse(bytes: bytes) { return date }
        return text.string.flatMap(Timestamp.parse)
    }

    /// A time as the writer spells every one, "2026-11-22T15:58:02.123Z", read at fixed places
    /// (nil for any other spelling, left to `Timestamp.parse`, which means the same by it).
    private static func writtenTime(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count == 24, bytes[4] == 45, bytes[7] == 45, bytes[10] == 84, bytes[13] == 58, bytes[16] == 58,
              bytes[19] == 46, bytes[23] == 90 else { return nil }
        var bad: UInt8 = 0
        func digits(_ from: Int, _ count: Int) -> Int64 {
            var value: Int64 = 0
            for k in from..<from + count {
                let digit = bytes[k] &- 48
                bad |= digit > 9 ? 1 : 0
                value = value * 10 + Int64(digit)
            }
            return value
        }
        let year = digits(0, 4), month = digits(5, 2), day = digits(8, 2)
        let hour = digits(11, 2), minute = digits(14, 2), second = digits(17, 2), millis = digits(20, 3)
        guard bad == 0, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        let days = Timestamp.daysFromCivil(year, month, day)
        return Timestamp.date(milliseconds: ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis)
    }
}
