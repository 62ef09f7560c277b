import Foundation

/// What a linked ticket is to the ticket that lists it: `parent` listed on a ticket names its
/// parent, which lists the ticket as its `child`.
public enum LinkKind: String, CaseIterable, Sendable {
    case related, parent, child, duplicate

    /// The kind the other ticket lists this one as.
    public var inverse: LinkKind {
        switch self {
        case .parent: .child
        case .child: .parent
        case .related, .duplicate: self
        }
    }

    /// "#7 is the parent of #5".
    public func sentence(_ other: Int, of ticket: Int) -> String {
        let words = switch self {
        case .related: "related to"
        case .parent: "the parent of"
        case .child: "a child of"
        case .duplicate: "a duplicate of"
        }
        return "#\(other) is \(words) #\(ticket)"
    }
}

/// One link as seen from the ticket that lists it: the other ticket, and what it is to this one.
public struct TicketLink: Equatable, Sendable {
    public var ticket: Int
    public var kind: LinkKind

    public init(ticket: Int, kind: LinkKind) {
        self.ticket = ticket
        self.kind = kind
    }
}

/// One message of a ticket's conversation as shown: its own, or one of a ticket merged into it.
public struct ConversationEntry: Equatable, Sendable {
    /// The ticket that holds the message (`ticket` of the conversation, or one merged into it).
    public var ticket: Int
    /// The message's number (1-based) on that ticket.
    public var number: Int
    public var message: Message
}

extension Desk {
    /// Where mail and subject tags for ticket `id` land: the end of its chain of merges.
    public func mergeDestination(of id: Int) -> Int {
        var current = id
        // A chain never loops (a merged ticket cannot take a merge), but a log written by
        // something else could say so: a ticket count bounds the walk.
        for _ in 0...tickets.count {
            guard let next = ticket(current)?.mergedInto else { return current }
            current = next
        }
        return current
    }

    /// The conversation of ticket `id` as shown: its messages and those of every ticket merged
    /// into it (and into those), oldest first, without withdrawn ones.
    public func conversation(of id: Int) -> [ConversationEntry] {
        var entries: [ConversationEntry] = []
        for next in [id] + mergedTickets(into: id) {
            guard let ticket = ticket(next) else { continue }
            for (index, message) in ticket.messages.enumerated() where !message.withdrawn {
                entries.append(ConversationEntry(ticket: next, number: index + 1, message: message))
            }
        }
        // Stable: messages at the same moment keep their ticket's order, the ticket's own first.
        return entries.enumerated().sorted { ($0.element.message.at, $0.offset) < ($1.element.message.at, $1.offset) }
            .map(\.element)
    }

    /// Every ticket merged into ticket `id`, and into those, in the order they were merged.
    public func mergedTickets(into id: Int) -> [Int] {
        var result: [Int] = [], pending = ticket(id)?.mergedFrom ?? []
        while !pending.isEmpty {
            let next = pending.removeFirst()
            guard next != id, !result.contains(next), let ticket = ticket(next) else { continue }
            result.append(next)
            pending += ticket.mergedFrom
        }
        return result
    }

    /// The children of ticket `id` that are still active (neither solved nor closed).
    public func openChildren(of id: Int) -> [Int] {
        (ticket(id)?.links ?? []).filter { $0.kind == .child && ticket($0.ticket)?.status.isActive == true }.map(\.ticket)
    }
}
