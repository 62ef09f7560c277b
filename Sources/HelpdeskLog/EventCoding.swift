import Foundation
import HelpdeskCore

/// How each event is spelled in the log: an object whose `type` names the event, then its fields
/// in the order its declaration (`EventKind.declaration`) lists them, an absent one left out.
/// This spelling is the log's format: change it only as README's "The log" says.
public enum EventCoding {
    struct Invalid: Error {
        var reason: String
        /// What this binary does not know, when that is the trouble (a newer helpdesk wrote the
        /// event): "event type 'ticket.merged'", "priority 'critical' in ticket.opened".
        var unknown: String?
    }

    public static func encode(_ event: Event) -> JSONValue {
        let (type, values) = event.fields
        var members: [(String, JSONValue)] = [("type", .string(type.name))]
        members.reserveCapacity(values.count + 1)
        for (field, value) in zip(type.fields, values) {
            switch value {
            case .absent: continue
            case .int(let number): members.append((field.name, JSONValue(number)))
            case .string(let text): members.append((field.name, .string(text)))
            case .bool(let flag): members.append((field.name, .bool(flag)))
            case .date(let date): members.append((field.name, .string(Timestamp.format(date))))
            case .strings(let texts): members.append((field.name, .array(texts.map(JSONValue.string))))
            case .body(let body):
                // A body left in the log is written by whoever holds its record (see Output).
                if case .text(let text) = body { members.append((field.name, .string(text))) }
                else { members.append((field.name, "")) }
            }
        }
        return .object(members)
    }

    /// `body` says where a message's text is kept: in the event, or as a reference to the record.
    /// Keys the type's declaration does not name are ignored: a newer helpdesk may add optional ones.
    static func decode(_ value: JSONValue, body: (String) -> MessageBody) throws(Invalid) -> Event {
        let fields = Fields(value: value)
        let name = try fields.string("type")
        guard let type = EventType.named[name] else {
            throw Invalid(reason: "unknown event type '\(name)'", unknown: "event type '\(name)'")
        }
        var values: [EventFieldValue] = []
        values.reserveCapacity(type.fields.count)
        for field in type.fields {
            if field.isOptional, fields.isAbsent(field.name) {
                values.append(.absent)
                continue
            }
            switch field.kind {
            case .int: values.append(.int(try fields.int(field.name)))
            case .string: values.append(.string(try fields.string(field.name)))
            case .bool: values.append(.bool(try fields.bool(field.name)))
            case .date: values.append(.date(try fields.time(field.name)))
            case .strings: values.append(.strings(try fields.strings(field.name)))
            case .body: values.append(.body(body(try fields.string(field.name))))
            case .choice(let cases): values.append(.string(try fields.choice(field.name, of: cases, in: type.name)))
            }
        }
        return type.event(values)
    }

    /// Typed access to an event's fields, with errors that name the field.
    struct Fields {
        let value: JSONValue

        func isAbsent(_ name: String) -> Bool {
            value[name].map { $0.isNull } ?? true
        }
        func field(_ name: String) throws(Invalid) -> JSONValue {
            guard let field = value[name], !field.isNull else { throw Invalid(reason: "missing field '\(name)'") }
            return field
        }
        func string(_ name: String) throws(Invalid) -> String {
            guard let text = try field(name).string else { throw Invalid(reason: "field '\(name)' is not a string") }
            return text
        }
        func int(_ name: String) throws(Invalid) -> Int {
            guard let number = try field(name).int else { throw Invalid(reason: "field '\(name)' is not an integer") }
            return number
        }
        func bool(_ name: String) throws(Invalid) -> Bool {
            guard let flag = try field(name).bool else { throw Invalid(reason: "field '\(name)' is not true or false") }
            return flag
        }
        func strings(_ name: String) throws(Invalid) -> [String] {
            guard let items = try field(name).array?.compactMap(\.string) else {
                throw Invalid(reason: "field '\(name)' is not a list of strings")
            }
            return items
        }
        func time(_ name: String) throws(Invalid) -> Date {
            guard let time = Timestamp.parse(try string(name)) else { throw Invalid(reason: "field '\(name)' is not a time") }
            return time
        }
        func choice(_ name: String, of cases: [String], in type: String) throws(Invalid) -> String {
            let raw = try string(name)
            guard cases.contains(raw) else {
                throw Invalid(reason: "field '\(name)' has unknown value '\(raw)'", unknown: "\(name) '\(raw)' in \(type)")
            }
            return raw
        }
    }
}
