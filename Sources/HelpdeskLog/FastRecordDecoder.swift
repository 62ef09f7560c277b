import Foundation
import HelpdeskCore

/// Decodes a record straight from its bytes, as the log's writer spells it, without building a
/// JSON tree, and leaves message bodies in the log (stepped over, not made into strings).
/// Anything unusual (a field it does not know, a null, a rare escape) gives nil, and the record
/// goes to the general decoder instead, so the two never disagree on what a record says.
enum FastRecordDecoder {
    static func decode(_ line: UnsafeBufferPointer<UInt8>, offset: Int64) -> Record? {
        var cursor = RecordCursor(line)
        guard cursor.take(UInt8(ascii: "{")) else { return nil }
        var seq: Int?, at: Date?, actor: String?, via: String?, events: [Event]?
        repeat {
            guard let key = cursor.key().flatMap(Key.init) else { return nil }
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
            default:
                return nil
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

    /// Every field an event may have; each key has one JSON type whatever the event.
    private struct Fields {
        var type: RecordCursor.Text?
        var ticket: Int?, customer: Int?, tier: Int?, format: Int?, score: Int?
        var agent: String?, name: String?, email: String?, phone: String?, organisation: String?, notes: String?
        var subject: String?, reason: String?, note: String?, comment: String?, due: Date?
        var role: RecordCursor.Text?, channel: RecordCursor.Text?, priority: RecordCursor.Text?, kind: RecordCursor.Text?
        var to: RecordCursor.Text?, from: RecordCursor.Text?
        var active: Bool?
        var added: [String]?, removed: [String]?
        var hasBody = false
    }

    private static func decodeEvent(_ cursor: inout RecordCursor, body: MessageBody) -> Event? {
        guard cursor.take(UInt8(ascii: "{")) else { return nil }
        var f = Fields()
        /// Reads a value into a field that must not have been seen yet.
        func once<T>(_ field: inout T?, _ read: (inout RecordCursor) -> T?) -> Bool {
            guard field == nil, let value = read(&cursor) else { return false }
            field = value
            return true
        }
        repeat {
            guard let key = cursor.key().flatMap(Key.init) else { return nil }
            let ok: Bool
            switch key {
            case .type: ok = once(&f.type) { $0.text() }
            case .ticket: ok = once(&f.ticket) { $0.int() }
            case .customer: ok = once(&f.customer) { $0.int() }
            case .tier: ok = once(&f.tier) { $0.int() }
            case .format: ok = once(&f.format) { $0.int() }
            case .score: ok = once(&f.score) { $0.int() }
            case .agent: ok = once(&f.agent) { $0.string() }
            case .name: ok = once(&f.name) { $0.string() }
            case .email: ok = once(&f.email) { $0.string() }
            case .phone: ok = once(&f.phone) { $0.string() }
            case .organisation: ok = once(&f.organisation) { $0.string() }
            case .notes: ok = once(&f.notes) { $0.string() }
            case .subject: ok = once(&f.subject) { $0.string() }
            case .reason: ok = once(&f.reason) { $0.string() }
            case .note: ok = once(&f.note) { $0.string() }
            case .comment: ok = once(&f.comment) { $0.string() }
            case .due: ok = once(&f.due) { $0.text().flatMap(time) }
            case .role: ok = once(&f.role) { $0.text() }
            case .channel: ok = once(&f.channel) { $0.text() }
            case .priority: ok = once(&f.priority) { $0.text() }
            case .kind: ok = once(&f.kind) { $0.text() }
            case .to: ok = once(&f.to) { $0.text() }
            case .from: ok = once(&f.from) { $0.text() }
            case .active: ok = once(&f.active) { $0.bool() }
            case .added: ok = once(&f.added) { $0.strings() }
            case .removed: ok = once(&f.removed) { $0.strings() }
            case .body:
                ok = !f.hasBody && cursor.skipString()
                f.hasBody = true
            case .seq, .at, .actor, .via, .events, .crc: ok = false
            }
            guard ok else { return nil }
        } while cursor.take(UInt8(ascii: ","))
        guard cursor.take(UInt8(ascii: "}")), let type = f.type else { return nil }
        return event(type, f, body: body)
    }

    private static func event(_ type: RecordCursor.Text, _ f: Fields, body: MessageBody) -> Event? {
        guard case .raw(let name) = type, let type = EventType(name) else { return nil }
        switch type {
        case .messageAdded:
            guard let ticket = f.ticket, let kind: MessageKind = value(f.kind), f.hasBody else { return nil }
            return .messageAdded(ticket: ticket, kind: kind, body: body)
        case .statusChanged:
            guard let ticket = f.ticket, let from: Status = value(f.from), let to: Status = value(f.to) else { return nil }
            return .statusChanged(ticket: ticket, from: from, to: to)
        case .assigned:
            guard let ticket = f.ticket, let to = f.to?.string else { return nil }
            if let from = f.from {
                guard let from = from.string else { return nil }
                return .assigned(ticket: ticket, to: to, from: from)
            }
            return .assigned(ticket: ticket, to: to, from: nil)
        case .unassigned:
            guard let ticket = f.ticket, let from = f.from?.string else { return nil }
            return .unassigned(ticket: ticket, from: from)
        case .ticketOpened:
            guard let ticket = f.ticket, let subject = f.subject, let customer = f.customer,
                  let channel: Channel = value(f.channel), let priority: Priority = value(f.priority) else { return nil }
            return .ticketOpened(ticket: ticket, subject: subject, customer: customer, channel: channel, priority: priority)
        case .customerCreated:
            guard let id = f.customer, let email = f.email, let name = f.name else { return nil }
            return .customerCreated(id: id, email: email, name: name, phone: f.phone, organisation: f.organisation,
                                    notes: f.notes)
        case .customerUpdated:
            guard let id = f.customer else { return nil }
            return .customerUpdated(id: id, email: f.email, name: f.name, phone: f.phone, organisation: f.organisation,
                                    notes: f.notes)
        case .priorityChanged:
            guard let ticket = f.ticket, let from: Priority = value(f.from), let to: Priority = value(f.to) else { return nil }
            return .priorityChanged(ticket: ticket, from: from, to: to)
        case .escalated:
            guard let ticket = f.ticket, let tier = f.tier, let reason = f.reason else { return nil }
            return .escalated(ticket: ticket, tier: tier, reason: reason)
        case .followUpScheduled:
            guard let ticket = f.ticket, let due = f.due else { return nil }
            return .followUpScheduled(ticket: ticket, due: due, note: f.note)
        case .followUpCleared:
            guard let ticket = f.ticket else { return nil }
            return .followUpCleared(ticket: ticket)
        case .tagsChanged:
            guard let ticket = f.ticket, let added = f.added, let removed = f.removed else { return nil }
            return .tagsChanged(ticket: ticket, added: added, removed: removed)
        case .satisfactionRated:
            guard let ticket = f.ticket, let score = f.score else { return nil }
            return .satisfactionRated(ticket: ticket, score: score, comment: f.comment)
        case .deskCreated:
            guard let format = f.format else { return nil }
            return .deskCreated(format: format)
        case .agentAdded:
            guard let agent = f.agent, let name = f.name, let role: Role = value(f.role), let tier = f.tier else { return nil }
            return .agentAdded(account: agent, displayName: name, role: role, tier: tier)
        case .agentChanged:
            guard let agent = f.agent else { return nil }
            var role: Role?
            if let text = f.role {
                guard let known: Role = value(text) else { return nil }
                role = known
            }
            return .agentChanged(account: agent, displayName: f.name, role: role, tier: f.tier, active: f.active)
        }
    }

    /// An enumeration's case from its spelling (short strings: no allocation).
    private static func value<T: RawRepresentable>(_ text: RecordCursor.Text?) -> T? where T.RawValue == String {
        text?.string.flatMap(T.init(rawValue:))
    }

    /// Times as `Timestamp.parse(String)` reads them (which also takes a space for the `T`).
    private static func time(_ text: RecordCursor.Text) -> Date? {
        if case .raw(let bytes) = text, let date = Timestamp.parse(bytes: bytes) { return date }
        return text.string.flatMap(Timestamp.parse)
    }
}
