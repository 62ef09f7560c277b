import Foundation
import HelpdeskCore

/// How each event is spelled in the log: an object whose `type` names the event, with
/// snake_case fields. This spelling is the log's format: change it only with a new format.
public enum EventCoding {
    struct Invalid: Error { var reason: String }

    public static func encode(_ event: Event) -> JSONValue {
        switch event {
        case .deskCreated(let format):
            return .object([("type", "desk.created"), ("format", JSONValue(format))])
        case .agentAdded(let account, let displayName, let role, let tier):
            return .object([("type", "agent.added"), ("agent", .string(account)), ("name", .string(displayName)),
                            ("role", .string(role.rawValue)), ("tier", JSONValue(tier))])
        case .agentChanged(let account, let displayName, let role, let tier, let active):
            var fields: [(String, JSONValue)] = [("type", "agent.changed"), ("agent", .string(account))]
            if let displayName { fields.append(("name", .string(displayName))) }
            if let role { fields.append(("role", .string(role.rawValue))) }
            if let tier { fields.append(("tier", JSONValue(tier))) }
            if let active { fields.append(("active", .bool(active))) }
            return .object(fields)
        case .customerCreated(let id, let email, let name, let phone, let organisation, let notes):
            return .object([("type", "customer.created"), ("customer", JSONValue(id)), ("email", .string(email)),
                            ("name", .string(name))] + optional(phone: phone, organisation: organisation, notes: notes))
        case .customerUpdated(let id, let email, let name, let phone, let organisation, let notes):
            var fields: [(String, JSONValue)] = [("type", "customer.updated"), ("customer", JSONValue(id))]
            if let email { fields.append(("email", .string(email))) }
            if let name { fields.append(("name", .string(name))) }
            return .object(fields + optional(phone: phone, organisation: organisation, notes: notes))
        case .ticketOpened(let id, let subject, let customer, let channel, let priority):
            return .object([("type", "ticket.opened"), ("ticket", JSONValue(id)), ("subject", .string(subject)),
                            ("customer", JSONValue(customer)), ("channel", .string(channel.rawValue)),
                            ("priority", .string(priority.rawValue))])
        case .messageAdded(let id, let kind, let body):
            let text: String
            if case .text(let inline) = body { text = inline } else { text = "" }
            return .object([("type", "message.added"), ("ticket", JSONValue(id)), ("kind", .string(kind.rawValue)),
                            ("body", .string(text))])
        case .assigned(let id, let to, let from):
            var fields: [(String, JSONValue)] = [("type", "ticket.assigned"), ("ticket", JSONValue(id)), ("to", .string(to))]
            if let from { fields.append(("from", .string(from))) }
            return .object(fields)
        case .unassigned(let id, let from):
            return .object([("type", "ticket.unassigned"), ("ticket", JSONValue(id)), ("from", .string(from))])
        case .priorityChanged(let id, let from, let to):
            return .object([("type", "priority.changed"), ("ticket", JSONValue(id)),
                            ("from", .string(from.rawValue)), ("to", .string(to.rawValue))])
        case .statusChanged(let id, let from, let to):
            return .object([("type", "status.changed"), ("ticket", JSONValue(id)),
                            ("from", .string(from.rawValue)), ("to", .string(to.rawValue))])
        case .escalated(let id, let tier, let reason):
            return .object([("type", "ticket.escalated"), ("ticket", JSONValue(id)), ("tier", JSONValue(tier)),
                            ("reason", .string(reason))])
        case .followUpScheduled(let id, let due, let note):
            var fields: [(String, JSONValue)] = [("type", "follow_up.scheduled"), ("ticket", JSONValue(id)),
                                                 ("due", .string(Timestamp.format(due)))]
            if let note { fields.append(("note", .string(note))) }
            return .object(fields)
        case .followUpCleared(let id):
            return .object([("type", "follow_up.cleared"), ("ticket", JSONValue(id))])
        case .tagsChanged(let id, let added, let removed):
            return .object([("type", "tags.changed"), ("ticket", JSONValue(id)),
                            ("added", .array(added.map(JSONValue.string))),
                            ("removed", .array(removed.map(JSONValue.string)))])
        case .satisfactionRated(let id, let score, let comment):
            var fields: [(String, JSONValue)] = [("type", "satisfaction.rated"), ("ticket", JSONValue(id)),
                                                 ("score", JSONValue(score))]
            if let comment { fields.append(("comment", .string(comment))) }
            return .object(fields)
        case .slaTargetsSet, .businessHoursSet, .businessHoursCleared, .holidayAdded, .holidayRemoved:
            return encodePolicy(event)!
        case .messageReceived, .attachmentAdded, .mailQueued, .mailSent, .mailFailed, .mailQuarantined:
            return encodeChannel(event)!
        }
    }

    /// The SLA policy's events (their own function, so the switch above stays about tickets).
    static func encodePolicy(_ event: Event) -> JSONValue? {
        switch event {
        case .slaTargetsSet(let priority, let first, let next, let resolution):
            return .object([("type", "sla_targets.set"), ("priority", .string(priority.rawValue)),
                            ("first_response", JSONValue(first)), ("next_response", JSONValue(next)),
                            ("resolution", JSONValue(resolution))])
        case .businessHoursSet(let hours, let zone):
            return .object([("type", "business_hours.set"), ("hours", .string(hours)), ("time_zone", .string(zone))])
        case .businessHoursCleared:
            return .object([("type", "business_hours.cleared")])
        case .holidayAdded(let day):
            return .object([("type", "holiday.added"), ("date", .string(day))])
        case .holidayRemoved(let day):
            return .object([("type", "holiday.removed"), ("date", .string(day))])
        default:
            return nil
        }
    }

    static func decodePolicy(_ type: String, _ fields: Fields) throws(Invalid) -> Event? {
        switch type {
        case "sla_targets.set":
            return .slaTargetsSet(priority: try fields.enumeration("priority"), firstResponse: try fields.int("first_response"),
                                  nextResponse: try fields.int("next_response"), resolution: try fields.int("resolution"))
        case "business_hours.set":
            return .businessHoursSet(hours: try fields.string("hours"), timeZone: try fields.string("time_zone"))
        case "business_hours.cleared": return .businessHoursCleared
        case "holiday.added": return .holidayAdded(date: try fields.string("date"))
        case "holiday.removed": return .holidayRemoved(date: try fields.string("date"))
        default: return nil
        }
    }

    private static func optional(phone: String?, organisation: String?, notes: String?) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = []
        if let phone { fields.append(("phone", .string(phone))) }
        if let organisation { fields.append(("organisation", .string(organisation))) }
        if let notes { fields.append(("notes", .string(notes))) }
        return fields
    }

    /// `body` says where a message's text is kept: in the event, or as a reference to the record.
    static func decode(_ value: JSONValue, body: (String) -> MessageBody) throws(Invalid) -> Event {
        let fields = Fields(value: value)
        let type = try fields.string("type")
        switch type {
        case "desk.created": return .deskCreated(format: try fields.int("format"))
        case "agent.added":
            return .agentAdded(account: try fields.string("agent"), displayName: try fields.string("name"),
                               role: try fields.enumeration("role"), tier: try fields.int("tier"))
        case "agent.changed":
            return .agentChanged(account: try fields.string("agent"), displayName: try fields.optionalString("name"),
                                 role: try fields.optionalEnumeration("role"), tier: try fields.optionalInt("tier"),
                                 active: try fields.optionalBool("active"))
        case "customer.created":
            return .customerCreated(id: try fields.int("customer"), email: try fields.string("email"),
                                    name: try fields.string("name"), phone: try fields.optionalString("phone"),
                                    organisation: try fields.optionalString("organisation"),
                                    notes: try fields.optionalString("notes"))
        case "customer.updated":
            return .customerUpdated(id: try fields.int("customer"), email: try fields.optionalString("email"),
                                    name: try fields.optionalString("name"), phone: try fields.optionalString("phone"),
                                    organisation: try fields.optionalString("organisation"),
                                    notes: try fields.optionalString("notes"))
        case "ticket.opened":
            return .ticketOpened(ticket: try fields.int("ticket"), subject: try fields.string("subject"),
                                 customer: try fields.int("customer"), channel: try fields.enumeration("channel"),
                                 priority: try fields.enumeration("priority"))
        case "message.added":
            return .messageAdded(ticket: try fields.int("ticket"), kind: try fields.enumeration("kind"),
                                 body: body(try fields.string("body")))
        case "ticket.assigned":
            return .assigned(ticket: try fields.int("ticket"), to: try fields.string("to"),
                             from: try fields.optionalString("from"))
        case "ticket.unassigned":
            return .unassigned(ticket: try fields.int("ticket"), from: try fields.string("from"))
        case "priority.changed":
            return .priorityChanged(ticket: try fields.int("ticket"), from: try fields.enumeration("from"),
                                    to: try fields.enumeration("to"))
        case "status.changed":
            return .statusChanged(ticket: try fields.int("ticket"), from: try fields.enumeration("from"),
                                  to: try fields.enumeration("to"))
        case "ticket.escalated":
            return .escalated(ticket: try fields.int("ticket"), tier: try fields.int("tier"),
                              reason: try fields.string("reason"))
        case "follow_up.scheduled":
            return .followUpScheduled(ticket: try fields.int("ticket"), due: try fields.time("due"),
                                      note: try fields.optionalString("note"))
        case "follow_up.cleared": return .followUpCleared(ticket: try fields.int("ticket"))
        case "tags.changed":
            return .tagsChanged(ticket: try fields.int("ticket"), added: try fields.strings("added"),
                                removed: try fields.strings("removed"))
        case "satisfaction.rated":
            return .satisfactionRated(ticket: try fields.int("ticket"), score: try fields.int("score"),
                                      comment: try fields.optionalString("comment"))
        default:
            if let event = try decodePolicy(type, fields) { return event }
            if let event = try decodeChannel(type, fields) { return event }
            throw Invalid(reason: "unknown event type '\(type)'")
        }
    }

    /// Typed access to an event's fields, with errors that name the field.
    struct Fields {
        let value: JSONValue

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
        func enumeration<T: RawRepresentable>(_ name: String) throws(Invalid) -> T where T.RawValue == String {
            let raw = try string(name)
            guard let value = T(rawValue: raw) else { throw Invalid(reason: "field '\(name)' has unknown value '\(raw)'") }
            return value
        }
        func optionalString(_ name: String) throws(Invalid) -> String? {
            value[name].map { $0.isNull } ?? true ? nil : try string(name)
        }
        func optionalInt(_ name: String) throws(Invalid) -> Int? {
            value[name].map { $0.isNull } ?? true ? nil : try int(name)
        }
        func optionalBool(_ name: String) throws(Invalid) -> Bool? {
            guard let field = value[name], !field.isNull else { return nil }
            guard let flag = field.bool else { throw Invalid(reason: "field '\(name)' is not true or false") }
            return flag
        }
        func optionalEnumeration<T: RawRepresentable>(_ name: String) throws(Invalid) -> T? where T.RawValue == String {
            value[name].map { $0.isNull } ?? true ? nil : try enumeration(name)
        }
    }
}
