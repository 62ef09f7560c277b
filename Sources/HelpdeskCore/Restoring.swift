import Foundation

// The memberwise initialisers, public, so that a desk saved elsewhere (a snapshot beside the log)
// can be rebuilt value by value. They only assemble values; `Desk.apply` stays the one way
// events change a desk.

extension Agent {
    public static func restored(account: String, displayName: String, role: Role, tier: Int, active: Bool) -> Agent {
        Agent(account: account, displayName: displayName, role: role, tier: tier, active: active)
    }
}

extension Customer {
    public static func restored(id: Int, name: String, email: String, phone: String?, organisation: String?, notes: String?) -> Customer {
        Customer(id: id, name: name, email: email, phone: phone, organisation: organisation, notes: notes)
    }
}

extension Message {
    public static func restored(kind: MessageKind, author: String, at: Date, body: MessageBody, withdrawn: Bool = false) -> Message {
        Message(kind: kind, author: author, at: at, body: body, withdrawn: withdrawn)
    }
}

extension FollowUp {
    public static func restored(due: Date, note: String?) -> FollowUp {
        FollowUp(due: due, note: note)
    }
}

extension Rating {
    public static func restored(score: Int, comment: String?, at: Date) -> Rating {
        Rating(score: score, comment: comment, at: at)
    }
}

extension HistoryEntry {
    public static func restored(seq: Int, at: Date, actor: String, via: String? = nil, event: Event) -> HistoryEntry {
        HistoryEntry(seq: seq, at: at, actor: actor, via: via, event: event)
    }
}

extension Ticket {
    /// `detail` holds the messages and history, or says where a saved desk keeps them.
    public static func restored(id: Int, subject: String, customerID: Int, channel: Channel, priority: Priority, status: Status,
                assignee: String?, tier: Int, tags: [String], createdAt: Date, updatedAt: Date,
                firstResponseAt: Date?, lastCustomerMessageAt: Date?, lastReplyAt: Date?, followUp: FollowUp?,
                rating: Rating?, mergedInto: Int? = nil, mergedFrom: [Int] = [], links: [TicketLink] = [],
                detail: TicketDetail, group: String? = nil) -> Ticket {
        Ticket(id: id, subject: subject, customerID: customerID, channel: channel, priority: priority, status: status,
               assignee: assignee, tier: tier, tags: tags, createdAt: createdAt, updatedAt: updatedAt,
               firstResponseAt: firstResponseAt, lastCustomerMessageAt: lastCustomerMessageAt, lastReplyAt: lastReplyAt,
               followUp: followUp, rating: rating, mergedInto: mergedInto, mergedFrom: mergedFrom, links: links, detail: detail,
               group: group)
    }
}
