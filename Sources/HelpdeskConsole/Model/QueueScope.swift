import HelpdeskCore

/// Which tickets the queue holds. The views a console opens on show active tickets alone, and
/// on a desk that has answered customers for years those are a small part of it: only they are
/// read, sorted and indexed until a view that can show others is chosen. The solved view, or a
/// saved view of solved or not-closed tickets, adds the solved ones (found by the saved desk's
/// keys, not read one by one); a saved view that can show a closed ticket takes in every ticket.
public enum QueueScope: Sendable {
    case active
    case activeAndSolved
    case everyTicket

    /// The scope a view needs (`saved`, when given, stands in for `view`).
    static func needed(by view: QueueViewKind, saved: SavedView?) -> QueueScope {
        if let saved {
            if saved.allStatuses { return .everyTicket }
            guard let status = saved.status else { return .activeAndSolved }  // not closed
            return status.isActive ? .active : status == .solved ? .activeAndSolved : .everyTicket
        }
        return view == .solved ? .activeAndSolved : .active
    }

    /// Whether the scope takes in `ticket`, as it is now.
    func holds(_ ticket: Ticket) -> Bool {
        switch self {
        case .active: ticket.status.isActive
        case .activeAndSolved: ticket.status.isActive || ticket.status == .solved
        case .everyTicket: true
        }
    }

    /// The ids of the tickets in the scope, in id order.
    func ids(of desk: Desk) -> [Int] {
        switch self {
        case .active: desk.statusIndex.activeIDs
        case .activeAndSolved: (desk.statusIndex.activeIDs + desk.ticketIDs(in: .solved)).sorted()  // two sorted runs: one merge
        case .everyTicket: Array(1..<desk.nextTicketID)
        }
    }

    /// Whether this scope holds every ticket `other` holds.
    func covers(_ other: QueueScope) -> Bool {
        switch self {
        case .active: other == .active
        case .activeAndSolved: other != .everyTicket
        case .everyTicket: true
        }
    }
}
