import Foundation
import HelpdeskCore

extension FastRecordDecoder {
    /// Every key of a record (its events' keys come from their declarations: `FastEventTable`).
    enum Key {
        case seq, at, actor, via, events, crc

        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            func equals(_ word: StaticString) -> Bool {
                word.utf8CodeUnitCount == bytes.count && memcmp(word.utf8Start, bytes.baseAddress!, bytes.count) == 0
            }
            if equals("seq") { self = .seq } else if equals("at") { self = .at } else if equals("actor") { self = .actor }
            else if equals("events") { self = .events } else if equals("crc") { self = .crc } else if equals("via") { self = .via }
            else { return nil }
        }
    }
}

/// The event declarations as the fast decoder matches them: names and choices as bytes, the
/// types grouped by the length of their names.
final class FastEventTable: Sendable {
    /// Classes, so that the decoder's every look at one is a reference, not a copy of its arrays.
    final class Field: Sendable {
        let name: [UInt8]
        let kind: EventFieldKind
        /// For a choice: its spellings, as bytes and as strings.
        let cases: [[UInt8]]
        let caseNames: [String]

        init(name: [UInt8], kind: EventFieldKind, cases: [[UInt8]], caseNames: [String]) {
            self.name = name
            self.kind = kind
            self.cases = cases
            self.caseNames = caseNames
        }
    }

    final class Entry: Sendable {
        let name: [UInt8]
        let type: EventType
        let fields: [Field]
        /// Bit k set: field k must be present.
        let required: UInt64

        init(name: [UInt8], type: EventType, fields: [Field], required: UInt64) {
            self.name = name
            self.type = type
            self.fields = fields
            self.required = required
        }
    }

    let entries: [Entry]
    /// Indexes into `entries`, by the length of the type's name.
    let byLength: [[Int]]

    static let shared = FastEventTable(EventType.all)

    init(_ types: [EventType]) {
        entries = types.map { type in
            let fields = type.fields.map { field in
                var caseNames: [String] = []
                if case .choice(let cases) = field.kind { caseNames = cases }
                return Field(name: Array(field.name.utf8), kind: field.kind, cases: caseNames.map { Array($0.utf8) },
                             caseNames: caseNames)
            }
            precondition(fields.count <= 64, "an event type has more than 64 fields")
            var required: UInt64 = 0
            for (k, field) in type.fields.enumerated() where !field.isOptional { required |= 1 << UInt64(k) }
            return Entry(name: Array(type.name.utf8), type: type, fields: fields, required: required)
        }
        var byLength = [[Int]](repeating: [], count: (entries.map(\.name.count).max() ?? 0) + 1)
        for (index, entry) in entries.enumerated() { byLength[entry.name.count].append(index) }
        self.byLength = byLength
    }

    func entry(named bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count < byLength.count else { return nil }
        for index in byLength[bytes.count] where FastEventTable.equal(entries[index].name, bytes) { return index }
        return nil
    }

    static func equal(_ word: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard word.count == bytes.count else { return false }
        return bytes.isEmpty || word.withUnsafeBufferPointer { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
    }
}
