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
        matches(status: ticket.status, assignee: ticket.assignee, tier: ticket.tier, priority: ticket.priority,
                channel: ticket.channel, group: ticket.group, tags: ticket.tags)
    }

    /// The same, given only the facts a query looks at (what a console's queue keeps of each ticket).
    public func matches(status: Status, assignee: String?, tier: Int, priority: Priority, channel: Channel,
                        group: String?, tags: [String]) -> Bool {
        switch statuses {
        case .notClosed where status == .closed: return false
        case .only(let only) where status != only: return false
        default: break
        }
        switch assignment {
        case .assigned(let account) where assignee != account: return false
        case .unassigned where assignee != nil: return false
        default: break
        }
        if let wanted = self.tier, tier != wanted { return false }
        if let wanted = self.priority, priority != wanted { return false }
        if let wanted = self.channel, channel != wanted { return false }
        if let wanted = self.group, group != (wanted == "none" ? nil : wanted) { return false }
        return self.tags.allSatisfy(tags.contains)
    }

    /// Whether the ticket is in the group named (`none`: in no group), as `--group` means it.
    public static func ticket(_ ticket: Ticket, isInGroup group: String) -> Bool {
        ticket.group == (group == "none" ? nil : group)
    }
}

extension Desk {
    /// Tickets matching `query`, by id whatever its sort (urgency needs the time: see below).
    /// Of a saved desk, only the tickets whose saved keys could match are read (with those changed
    /// or added since), rather than every ticket.
    public func tickets(matching query: TicketQuery) -> [Ticket] {
        guard let savedTicketKeys else { return tickets.filter(query.matches) }
        var indices = savedTicketKeys.ids(matching: query).compactMap { id in
            tickets.isSavedUnchanged(id - 1) ? id - 1 : nil
        }
        indices += tickets.changedIndices
        indices.sort()
        indices += tickets.savedElementCount..<tickets.endIndex
        return indices.lazy.map { tickets[$0] }.filter(query.matches)
    }

    /// The ids of the tickets in `status`, in order. Of a saved desk, the tickets unchanged since
    /// are taken as their saved keys say, without reading them.
    public func ticketIDs(in status: Status) -> [Int] {
        func has(_ index: Int) -> Bool { tickets.read(index, { $0.status }) == status }
        guard let savedTicketKeys else { return tickets.indices.filter(has).map { $0 + 1 } }
        let saved = savedTicketKeys.ids(matching: TicketQuery(statuses: .only(status))).filter { tickets.isSavedUnchanged($0 - 1) }
        let since = tickets.changedIndices.filter(has) + (tickets.savedElementCount..<tickets.endIndex).filter(has)
        return (saved + since.map { $0 + 1 }).sorted()
    }

    /// Tickets matching `query`, in its order as of `now` (only urgency depends on the time).
    public func tickets(matching query: TicketQuery, now: Date) -> [Ticket] {
        let found = tickets(matching: query)
        return query.sort == .id || query.sort == .oldest ? found : sorted(found, by: query.sort, now: now)
    }
}
