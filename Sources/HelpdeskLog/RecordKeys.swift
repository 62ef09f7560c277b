import Foundation
import HelpdeskCore

extension FastRecordDecoder {
    /// Every key a record or an event of the current format has.
    enum Key {
        case seq, at, actor, via, events, crc
        case type, ticket, customer, tier, format, score, agent, name, email, phone, organisation, notes
        case subject, reason, note, comment, due, role, channel, priority, kind, to, from, active, added, removed, body

        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            func equals(_ word: StaticString) -> Bool {
                word.utf8CodeUnitCount == bytes.count && memcmp(word.utf8Start, bytes.baseAddress!, bytes.count) == 0
            }
            switch bytes.count {
            case 2:
                if equals("at") { self = .at } else if equals("to") { self = .to } else { return nil }
            case 3:
                if equals("seq") { self = .seq } else if equals("crc") { self = .crc }
                else if equals("via") { self = .via } else if equals("due") { self = .due } else { return nil }
            case 4:
                if equals("type") { self = .type } else if equals("kind") { self = .kind }
                else if equals("body") { self = .body } else if equals("from") { self = .from }
                else if equals("name") { self = .name } else if equals("role") { self = .role }
                else if equals("tier") { self = .tier } else if equals("note") { self = .note } else { return nil }
            case 5:
                if equals("actor") { self = .actor } else if equals("agent") { self = .agent }
                else if equals("email") { self = .email } else if equals("phone") { self = .phone }
                else if equals("notes") { self = .notes } else if equals("score") { self = .score }
                else if equals("added") { self = .added } else { return nil }
            case 6:
                if equals("ticket") { self = .ticket } else if equals("events") { self = .events }
                else if equals("format") { self = .format } else if equals("reason") { self = .reason }
                else if equals("active") { self = .active } else { return nil }
            case 7:
                if equals("subject") { self = .subject } else if equals("channel") { self = .channel }
                else if equals("comment") { self = .comment } else if equals("removed") { self = .removed }
                else { return nil }
            case 8:
                if equals("customer") { self = .customer } else if equals("priority") { self = .priority }
                else { return nil }
            case 12:
                if equals("organisation") { self = .organisation } else { return nil }
            default:
                return nil
            }
        }
    }

    /// Every event `type`, as the log spells it.
    enum EventType {
        case deskCreated, agentAdded, agentChanged, customerCreated, customerUpdated, ticketOpened, messageAdded
        case assigned, unassigned, priorityChanged, statusChanged, escalated, followUpScheduled, followUpCleared
        case tagsChanged, satisfactionRated

        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            func equals(_ word: StaticString) -> Bool {
                word.utf8CodeUnitCount == bytes.count && memcmp(word.utf8Start, bytes.baseAddress!, bytes.count) == 0
            }
            if equals("message.added") { self = .messageAdded }
            else if equals("status.changed") { self = .statusChanged }
            else if equals("ticket.assigned") { self = .assigned }
            else if equals("ticket.opened") { self = .ticketOpened }
            else if equals("customer.created") { self = .customerCreated }
            else if equals("tags.changed") { self = .tagsChanged }
            else if equals("satisfaction.rated") { self = .satisfactionRated }
            else if equals("ticket.unassigned") { self = .unassigned }
            else if equals("follow_up.scheduled") { self = .followUpScheduled }
            else if equals("follow_up.cleared") { self = .followUpCleared }
            else if equals("ticket.escalated") { self = .escalated }
            else if equals("priority.changed") { self = .priorityChanged }
            else if equals("customer.updated") { self = .customerUpdated }
            else if equals("agent.added") { self = .agentAdded }
            else if equals("agent.changed") { self = .agentChanged }
            else if equals("desk.created") { self = .deskCreated }
            else { return nil }
        }
    }
}
