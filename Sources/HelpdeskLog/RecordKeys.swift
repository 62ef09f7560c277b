import Foundation
import HelpdeskCore

extension FastRecordDecoder {
    /// Every key of a record (its events' keys come from their declarations: `FastEventTable`).
    enum Key: CaseIterable {
        case seq, at, actor, via, events, crc

        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard let key = Key.allCases.first(where: { key in
                let name = key.name
                return name.utf8CodeUnitCount == bytes.count && memcmp(name.utf8Start, bytes.baseAddress!, bytes.count) == 0
            }) else { return nil }
            self = key
        }

        var name: StaticString {
            switch self {
            case .seq: "seq"
            case .at: "at"
            case .actor: "actor"
            case .via: "via"
            case .events: "events"
            case .crc: "crc"
            }
        }

        /// The key the writer puts after this one (`via` is rare, so `events` after `actor`).
        var next: Key? {
            switch self {
            case .seq: .at
            case .at: .actor
            case .actor, .via: .events
            case .events: .crc
            case .crc: nil
            }
        }
    }
}

/// The event declarations as the fast decoder matches them: names and choices as bytes, the
/// types grouped by the length of their names. Made once and never freed, in memory the decoder
/// reads through plain pointers: a look at an entry or a field retains and releases nothing
/// (with classes in arrays, the counting was a tenth of the scanning thread's replay).
struct FastEventTable: @unchecked Sendable {
    enum Kind {
        case int, string, bool, date, strings, body, choice
    }

    struct Field {
        let name: UnsafeBufferPointer<UInt8>
        let kind: Kind
        /// For a choice: its spellings, as bytes and as strings (short: held inline, not counted).
        let cases: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>
        let caseNames: UnsafeBufferPointer<String>
    }

    struct Entry {
        let name: UnsafeBufferPointer<UInt8>
        /// Its position in `EventType.all` (and `types`).
        let type: Int
        let fields: UnsafeBufferPointer<Field>
        /// Bit k set: field k must be present.
        let required: UInt64
    }

    let entries: UnsafeBufferPointer<Entry>
    let types: UnsafeBufferPointer<EventType>
    /// Indexes into `entries`, by the length of the type's name.
    let byLength: UnsafeBufferPointer<UnsafeBufferPointer<Int>>

    static let shared = FastEventTable(EventType.all)

    /// Private: its memory is never freed, so there is one, `shared`.
    private init(_ types: [EventType]) {
        self.types = UnsafeBufferPointer(FastEventTable.keep(types))
        entries = UnsafeBufferPointer(FastEventTable.keep(types.enumerated().map { index, type in
            let fields = type.fields.map { field in
                var caseNames: [String] = []
                if case .choice(let cases) = field.kind { caseNames = cases }
                return Field(name: FastEventTable.keep(field.name), kind: Kind(field.kind),
                             cases: UnsafeBufferPointer(FastEventTable.keep(caseNames.map(FastEventTable.keep))),
                             caseNames: UnsafeBufferPointer(FastEventTable.keep(caseNames)))
            }
            precondition(fields.count <= 64, "an event type has more than 64 fields")
            var required: UInt64 = 0
            for (k, field) in type.fields.enumerated() where !field.isOptional { required |= 1 << UInt64(k) }
            return Entry(name: FastEventTable.keep(type.name), type: index,
                         fields: UnsafeBufferPointer(FastEventTable.keep(fields)), required: required)
        }))
        var byLength = [[Int]](repeating: [], count: (types.map(\.name.utf8.count).max() ?? 0) + 1)
        for (index, type) in types.enumerated() { byLength[type.name.utf8.count].append(index) }
        self.byLength = UnsafeBufferPointer(FastEventTable.keep(byLength.map { UnsafeBufferPointer(FastEventTable.keep($0)) }))
    }

    func entry(named bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count < byLength.count else { return nil }
        for index in byLength[bytes.count] where FastEventTable.equal(entries[index].name, bytes) { return index }
        return nil
    }

    static func equal(_ word: UnsafeBufferPointer<UInt8>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        word.count == bytes.count && (bytes.isEmpty || memcmp(word.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
    }

    /// A copy that lives as long as the process.
    private static func keep<Element>(_ elements: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let copy = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(elements.count, 1))
        _ = copy.initialize(from: elements)
        return UnsafeMutableBufferPointer(rebasing: copy[..<elements.count])
    }

    private static func keep(_ text: String) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(keep(Array(text.utf8)))
    }
}

private extension FastEventTable.Kind {
    init(_ kind: EventFieldKind) {
        switch kind {
        case .int: self = .int
        case .string: self = .string
        case .bool: self = .bool
        case .date: self = .date
        case .strings: self = .strings
        case .body: self = .body
        case .choice: self = .choice
        }
    }
}
