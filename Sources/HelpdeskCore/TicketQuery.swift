import Foundation

/// Which tickets a listing shows.
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

    public init(statuses: Statuses = .notClosed, assignment: Assignment = .anyone, tier: Int? = nil) {
        self.statuses = statuses
        self.assignment = assignment
        self.tier = tier
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
        return true
    }
}

extension Desk {
    /// Tickets matching `query`, by id.
    public func tickets(matching query: TicketQuery) -> [Ticket] {
        tickets.filter(query.matches)
    }
}
