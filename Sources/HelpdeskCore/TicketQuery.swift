import Foundation

/// Which tickets a listing shows, and in what order.
public struct TicketQuery: Equatable, Sendable {
    public enum Statuses: Equatable, Sendable {
        /// Every ticket that is not closed.
        case notClosed
        case all
        case only(Status)
    }

    public enum Assignment: Equatable, Sendable {
        case anyone
        case assigned(to: String)
        case unassigned
    }

    public var statuses: Statuses
    public var assignment: Assignment
    public var tier: Int?
    public var priority: Priority?
    /// Every one of these tags (as tags are kept: lower case).
    public var tags: [String]
    public var channel: Channel?
    public var sort: TicketSort
    /// Only tickets of this group; "none": those in no group.
    public var group: String?

    public init(statuses: Statuses = .notClosed, assignment: Assignment = .anyone, tier: Int? = nil,
                priority: Priority? = nil, tags: [String] = [], channel: Channel? = nil, sort: TicketSort = .id) {
        self.statuses = statuses
        self.assignment = assignment
        self.tier = tier
        self.priority = priority
        self.tags = tags.map { $0.lowercased() }
        self.channel = channel
        self.sort = sort
    }

    public func matches(_ ticket: Ticket) -> Bool {
        switch statuses {
        case .notClosed where ticket.status == .closed: return false
        case .only(let status) where ticket.status != status: return false
        default: break
        }
        switch assignment {
        case .assigned(let account) where ticket.assignee != account: return false
        case .unassigned where ticket.assignee != nil: return false
        default: break
        }
        if let tier, ticket.tier != tier { return false }
        if let priority, ticket.priority != priority { return false }
        if let channel, ticket.channel != channel { return false }
        if let group, !Self.ticket(ticket, isInGroup: group) { return false }
        return tags.allSatisfy(ticket.tags.contains)
    }

    /// Whether the ticket is in the group named (`none`: in no group), as `--group` means it.
    public static func ticket(_ ticket: Ticket, isInGroup group: String) -> Bool {
        ticket.group == (group == "none" ? nil : group)
    }
}

extension Desk {
    /// Tickets matching `query`, by id whatever its sort (urgency needs the time: see below).
    public func tickets(matching query: TicketQuery) -> [Ticket] {
        tickets.filter(query.matches)
    }

    /// Tickets matching `query`, in its order as of `now` (only urgency depends on the time).
    public func tickets(matching query: TicketQuery, now: Date) -> [Ticket] {
        let found = tickets(matching: query)
        return query.sort == .id || query.sort == .oldest ? found : sorted(found, by: query.sort, now: now)
    }
}
