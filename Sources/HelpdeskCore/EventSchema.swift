import Foundation

/// The declaration of one event type (see `Event.swift`): its name in the log, its fields in the
/// order the log writes them, and how to build the event from their values. The log's JSON
/// encoder and decoders, the snapshot's binary form and the snapshot's schema fingerprint are all
/// derived from these declarations, so none of them names an event.
public struct EventType: Sendable {
    public let kind: EventKind
    /// As the log's `type` spells it: `ticket.opened`.
    public let name: String
    public let fields: [EventField]
    /// Builds the event from one value per field, in order, already checked against the fields'
    /// kinds (a required field is never `.absent`, a choice is one of its cases).
    let make: @Sendable (inout EventFieldReader) -> Event

    init(_ kind: EventKind, _ name: String, _ fields: [EventField], make: @escaping @Sendable (inout EventFieldReader) -> Event) {
        self.kind = kind
        self.name = name
        self.fields = fields
        self.make = make
    }

    /// The event from checked values (see `make`).
    public func event(_ values: [EventFieldValue]) -> Event {
        withUnsafeTemporaryAllocation(of: EventFieldValue.self, capacity: values.count) { buffer in
            _ = buffer.initialize(from: values)
            defer { buffer.deinitialize() }
            return event(taking: buffer)
        }
    }

    /// The event from checked values, moved out of `values` (each left `.absent`): no value is
    /// copied on the way, and the caller's buffer can live on the stack.
    public func event(taking values: UnsafeMutableBufferPointer<EventFieldValue>) -> Event {
        var reader = EventFieldReader(values: values)
        return make(&reader)
    }

    /// Every event type, in `EventKind` order (a snapshot's tag for an event is its position).
    public static let all: [EventType] = EventKind.allCases.map(\.declaration)

    /// By name.
    public static let named: [String: EventType] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// One line per event type: its name, then each field's name, kind and whether it may be
    /// absent. A change to any of them changes the snapshot's schema fingerprint.
    public static var schemaText: String { schemaText(of: all) }

    static func schemaText(of types: [EventType]) -> String {
        types.map { type in
            ([type.name] + type.fields.map { "\($0.name):\($0.kind.schemaText)\($0.isOptional ? "?" : "")" })
                .joined(separator: " ")
        }.joined(separator: "\n")
    }
}

/// One field of an event type: its JSON name, what it holds, and whether it may be absent
/// (written as no key at all; read as absent when missing or null).
public struct EventField: Sendable, Equatable {
    public var name: String
    public var kind: EventFieldKind
    public var isOptional = false

    public static func int(_ name: String) -> EventField { EventField(name: name, kind: .int) }
    public static func string(_ name: String) -> EventField { EventField(name: name, kind: .string) }
    public static func bool(_ name: String) -> EventField { EventField(name: name, kind: .bool) }
    public static func date(_ name: String) -> EventField { EventField(name: name, kind: .date) }
    public static func strings(_ name: String) -> EventField { EventField(name: name, kind: .strings) }
    /// A message's text: inline in the event, or left in the log and read when shown.
    public static func body(_ name: String) -> EventField { EventField(name: name, kind: .body) }
    /// An enumeration, as its raw value.
    public static func choice<T: RawRepresentable & CaseIterable>(_ name: String, _: T.Type) -> EventField
    where T.RawValue == String {
        EventField(name: name, kind: .choice(T.allCases.map(\.rawValue)))
    }

    /// The same field, which may be absent.
    public var optional: EventField {
        var field = self
        field.isOptional = true
        return field
    }
}

public enum EventFieldKind: Sendable, Equatable {
    case int, string, bool, date, strings, body
    /// One of these spellings (an enumeration's raw values, in `allCases` order).
    case choice([String])

    var schemaText: String {
        switch self {
        case .int: "int"
        case .string: "string"
        case .bool: "bool"
        case .date: "date"
        case .strings: "strings"
        case .body: "body"
        case .choice(let cases): "choice(" + cases.joined(separator: ",") + ")"
        }
    }
}

/// A field's value. A choice is held as its raw value (`.string`).
public enum EventFieldValue: Sendable, Equatable {
    case absent
    case int(Int)
    case string(String)
    case bool(Bool)
    case date(Date)
    case strings([String])
    case body(MessageBody)

    static func choice<T: RawRepresentable>(_ value: T) -> EventFieldValue where T.RawValue == String {
        .string(value.rawValue)
    }
    static func choice<T: RawRepresentable>(_ value: T?) -> EventFieldValue where T.RawValue == String {
        value.map { .string($0.rawValue) } ?? .absent
    }
    static func maybe(_ value: String?) -> EventFieldValue { value.map(EventFieldValue.string) ?? .absent }
    static func maybe(_ value: Int?) -> EventFieldValue { value.map(EventFieldValue.int) ?? .absent }
    static func maybe(_ value: Bool?) -> EventFieldValue { value.map(EventFieldValue.bool) ?? .absent }
    static func maybe(_ value: Date?) -> EventFieldValue { value.map(EventFieldValue.date) ?? .absent }
}

/// Reads checked field values in declaration order, so a declaration's `make` reads like the
/// event's initialiser. A value of the wrong kind is a bug in a decoder, not bad input.
public struct EventFieldReader {
    let values: UnsafeMutableBufferPointer<EventFieldValue>
    var next = 0

    /// The next value, moved out (its place left `.absent`).
    private mutating func take() -> EventFieldValue {
        var value = EventFieldValue.absent
        swap(&value, &values[next])
        next += 1
        return value
    }

    mutating func int() -> Int {
        guard case .int(let value) = take() else { preconditionFailure("field \(next) is not an integer") }
        return value
    }
    mutating func string() -> String {
        guard case .string(let value) = take() else { preconditionFailure("field \(next) is not a string") }
        return value
    }
    mutating func bool() -> Bool {
        guard case .bool(let value) = take() else { preconditionFailure("field \(next) is not a flag") }
        return value
    }
    mutating func date() -> Date {
        guard case .date(let value) = take() else { preconditionFailure("field \(next) is not a time") }
        return value
    }
    mutating func strings() -> [String] {
        guard case .strings(let value) = take() else { preconditionFailure("field \(next) is not a list") }
        return value
    }
    mutating func body() -> MessageBody {
        guard case .body(let value) = take() else { preconditionFailure("field \(next) is not a body") }
        return value
    }
    mutating func choice<T: RawRepresentable>() -> T where T.RawValue == String {
        guard case .string(let raw) = take(), let value = T(rawValue: raw) else {
            preconditionFailure("field \(next) is not a known choice")
        }
        return value
    }

    mutating func optionalInt() -> Int? { isAbsent ? nil : int() }
    mutating func optionalString() -> String? { isAbsent ? nil : string() }
    mutating func optionalBool() -> Bool? { isAbsent ? nil : bool() }
    mutating func optionalDate() -> Date? { isAbsent ? nil : date() }
    mutating func optionalChoice<T: RawRepresentable>() -> T? where T.RawValue == String { isAbsent ? nil : choice() }

    /// Steps over the next value when it is absent.
    private var isAbsent: Bool {
        mutating get {
            guard case .absent = values[next] else { return false }
            next += 1
            return true
        }
    }
}
