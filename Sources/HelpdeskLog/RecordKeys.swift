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
struct FastEventTable: Sendable {
    struct Field: Sendable {
        var name: [UInt8]
        var kind: EventFieldKind
        var isOptional: Bool
        /// For a choice: its spellings, as bytes and as strings.
        var cases: [[UInt8]]
        var caseNames: [String]
    }

    struct Entry: Sendable {
        var name: [UInt8]
        var type: EventType
        var fields: [Field]
        /// Bit k set: field k must be present.
        var required: UInt64
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
                return Field(name: Array(field.name.utf8), kind: field.kind, isOptional: field.isOptional,
                             cases: caseNames.map { Array($0.utf8) }, caseNames: caseNames)
            }
            precondition(fields.count <= 64, "an event type has more than 64 fields")
            var required: UInt64 = 0
            for (k, field) in fields.enumerated() where !field.isOptional { required |= 1 << UInt64(k) }
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
