import Foundation
import HelpdeskCore

/// Enumerations as their position in `allCases` (the schema fingerprint in the header changes
/// when any of them does, so an old snapshot is never read with new meanings).
enum SnapshotCases {
    static let roles = Role.allCases
    static let channels = Channel.allCases
    static let priorities = Priority.allCases
    static let statuses = Status.allCases
    static let kinds = MessageKind.allCases
    static let linkKinds = LinkKind.allCases

    /// Every spelling the snapshot's numbering depends on.
    static var schema: String {
        [roles.map(\.rawValue), channels.map(\.rawValue), priorities.map(\.rawValue), statuses.map(\.rawValue),
         kinds.map(\.rawValue), linkKinds.map(\.rawValue)].map { $0.joined(separator: ",") }.joined(separator: ";")
    }
}

extension BinaryWriter {
    mutating func choice<T: Equatable>(_ value: T, of cases: [T]) {
        byte(UInt8(cases.firstIndex(of: value)!))
    }

    mutating func body(_ body: MessageBody) {
        switch body {
        case .text(let text):
            byte(0)
            string(text)
        case .logged(let offset, let length, let event):
            byte(1)
            varint(UInt64(offset))
            varint(UInt64(length))
            varint(UInt64(event))
        }
    }

    /// An event as its declaration lists its fields (`EventKind.declaration`), after its kind's
    /// number; each kind of field has one binary form, an optional one a presence flag first.
    mutating func event(_ event: Event) {
        let (type, values) = event.fields
        byte(UInt8(type.kind.rawValue))
        for (field, value) in zip(type.fields, values) {
            switch (value, field.isOptional) {
            case (.string(let text), true) where field.kind == .string: optionalString(text)
            case (.absent, true) where field.kind == .string: optionalString(nil)
            case (.absent, _): bool(false)
            case (_, true):
                bool(true)
                fieldValue(value, field.kind)
            case (_, false):
                fieldValue(value, field.kind)
            }
        }
    }

    private mutating func fieldValue(_ value: EventFieldValue, _ kind: EventFieldKind) {
        switch (value, kind) {
        case (.int(let number), _): int(number)
        case (.string(let raw), .choice(let cases)): byte(UInt8(cases.firstIndex(of: raw)!))
        case (.string(let text), _): string(text)
        case (.bool(let flag), _): bool(flag)
        case (.date(let time), _): date(time)
        case (.strings(let texts), _): strings(texts)
        case (.body(let messageBody), _): body(messageBody)
        case (.absent, _): preconditionFailure("an absent value has no binary form")
        }
    }
}

extension BinaryReader {
    mutating func body() throws -> MessageBody {
        switch try byte() {
        case 0: return .text(try string())
        case 1:
            let offset = try varint(), length = try varint(), event = try varint()
            guard offset <= UInt64(Int64.max), length <= UInt64(Int.max), event <= UInt64(Int.max) else { throw Malformed() }
            return .logged(offset: Int64(offset), length: Int(length), event: Int(event))
        default: throw Malformed()
        }
    }

    mutating func event() throws -> Event {
        let kind = Int(try byte())
        guard kind < EventType.all.count else { throw Malformed() }
        let type = EventType.all[kind]
        // The values wait on the stack: a console reads every event of the desk at open.
        return try withUnsafeTemporaryAllocation(of: EventFieldValue.self, capacity: type.fields.count) { values in
            values.initialize(repeating: .absent)
            defer { values.deinitialize() }
            for (k, field) in type.fields.enumerated() {
                if field.isOptional, field.kind == .string {
                    values[k] = try optionalString().map(EventFieldValue.string) ?? .absent
                } else if try !field.isOptional || bool() {
                    values[k] = try fieldValue(field.kind)
                }
            }
            return type.event(taking: values)
        }
    }

    private mutating func fieldValue(_ kind: EventFieldKind) throws -> EventFieldValue {
        switch kind {
        case .int: return .int(try int())
        case .string: return .string(try string())
        case .bool: return .bool(try bool())
        case .date: return .date(try date())
        case .strings: return .strings(try strings())
        case .body: return .body(try body())
        case .choice(let cases):
            let index = Int(try byte())
            guard index < cases.count else { throw Malformed() }
            return .string(cases[index])
        }
    }
}
