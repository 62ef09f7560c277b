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

    /// Every spelling the snapshot's numbering depends on.
    static var schema: String {
        [roles.map(\.rawValue), channels.map(\.rawValue), priorities.map(\.rawValue), statuses.map(\.rawValue),
         kinds.map(\.rawValue)].map { $0.joined(separator: ",") }.joined(separator: ";")
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

    mutating func event(_ event: Event) {
        switch event {
        case .deskCreated(let format):
            byte(0); int(format)
        case .agentAdded(let account, let displayName, let role, let tier):
            byte(1); string(account); string(displayName); choice(role, of: SnapshotCases.roles); int(tier)
        case .agentChanged(let account, let displayName, let role, let tier, let active):
            byte(2); string(account); optionalString(displayName)
            bool(role != nil)
            if let role { choice(role, of: SnapshotCases.roles) }
            optionalInt(tier)
            bool(active != nil)
            if let active { bool(active) }
        case .customerCreated(let id, let email, let name, let phone, let organisation, let notes):
            byte(3); int(id); string(email); string(name)
            optionalString(phone); optionalString(organisation); optionalString(notes)
        case .customerUpdated(let id, let email, let name, let phone, let organisation, let notes):
            byte(4); int(id); optionalString(email); optionalString(name)
            optionalString(phone); optionalString(organisation); optionalString(notes)
        case .ticketOpened(let ticket, let subject, let customer, let channel, let priority):
            byte(5); int(ticket); string(subject); int(customer)
            choice(channel, of: SnapshotCases.channels); choice(priority, of: SnapshotCases.priorities)
        case .messageAdded(let ticket, let kind, let messageBody):
            byte(6); int(ticket); choice(kind, of: SnapshotCases.kinds); body(messageBody)
        case .assigned(let ticket, let to, let from):
            byte(7); int(ticket); string(to); optionalString(from)
        case .unassigned(let ticket, let from):
            byte(8); int(ticket); string(from)
        case .priorityChanged(let ticket, let from, let to):
            byte(9); int(ticket); choice(from, of: SnapshotCases.priorities); choice(to, of: SnapshotCases.priorities)
        case .statusChanged(let ticket, let from, let to):
            byte(10); int(ticket); choice(from, of: SnapshotCases.statuses); choice(to, of: SnapshotCases.statuses)
        case .escalated(let ticket, let tier, let reason):
            byte(11); int(ticket); int(tier); string(reason)
        case .followUpScheduled(let ticket, let due, let note):
            byte(12); int(ticket); date(due); optionalString(note)
        case .followUpCleared(let ticket):
            byte(13); int(ticket)
        case .tagsChanged(let ticket, let added, let removed):
            byte(14); int(ticket); strings(added); strings(removed)
        case .satisfactionRated(let ticket, let score, let comment):
            byte(15); int(ticket); int(score); optionalString(comment)
        default:
            // Events without a compact form here are kept as the log spells them.
            byte(255); string(EventCoding.encode(event).serializedString())
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
        switch try byte() {
        case 0: return .deskCreated(format: try int())
        case 1:
            return .agentAdded(account: try string(), displayName: try string(), role: try choice(SnapshotCases.roles),
                               tier: try int())
        case 2:
            let account = try string(), displayName = try optionalString()
            let role = try bool() ? try choice(SnapshotCases.roles) : nil
            let tier = try optionalInt()
            let active = try bool() ? try bool() : nil
            return .agentChanged(account: account, displayName: displayName, role: role, tier: tier, active: active)
        case 3:
            return .customerCreated(id: try int(), email: try string(), name: try string(), phone: try optionalString(),
                                    organisation: try optionalString(), notes: try optionalString())
        case 4:
            return .customerUpdated(id: try int(), email: try optionalString(), name: try optionalString(),
                                    phone: try optionalString(), organisation: try optionalString(),
                                    notes: try optionalString())
        case 5:
            return .ticketOpened(ticket: try int(), subject: try string(), customer: try int(),
                                 channel: try choice(SnapshotCases.channels), priority: try choice(SnapshotCases.priorities))
        case 6: return .messageAdded(ticket: try int(), kind: try choice(SnapshotCases.kinds), body: try body())
        case 7: return .assigned(ticket: try int(), to: try string(), from: try optionalString())
        case 8: return .unassigned(ticket: try int(), from: try string())
        case 9:
            return .priorityChanged(ticket: try int(), from: try choice(SnapshotCases.priorities),
                                    to: try choice(SnapshotCases.priorities))
        case 10:
            return .statusChanged(ticket: try int(), from: try choice(SnapshotCases.statuses),
                                  to: try choice(SnapshotCases.statuses))
        case 11: return .escalated(ticket: try int(), tier: try int(), reason: try string())
        case 12: return .followUpScheduled(ticket: try int(), due: try date(), note: try optionalString())
        case 13: return .followUpCleared(ticket: try int())
        case 14: return .tagsChanged(ticket: try int(), added: try strings(), removed: try strings())
        case 15: return .satisfactionRated(ticket: try int(), score: try int(), comment: try optionalString())
        case 255:
            guard let value = try? JSONValue.parse(try string()),
                  let event = try? EventCoding.decode(value, body: { .text($0) }) else { throw Malformed() }
            return event
        default: throw Malformed()
        }
    }
}
