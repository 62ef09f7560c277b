import HelpdeskCore

/// Which tickets the queue holds. The views a console opens on show active tickets alone, and
/// on a desk that has answered customers for years those are a small part of it: only they are
/// read, sorted and indexed until a view that can show a solved or closed ticket is chosen
/// (the solved view, or a saved view whose statuses include one); from then on, every ticket.
public enum QueueScope: Sendable {
    case active
    case everyTicket

    /// The scope a view needs (`saved`, when given, stands in for `view`).
    static func needed(by view: QueueViewKind, saved: SavedView?) -> QueueScope {
        if let saved {
            if !saved.allStatuses, let status = saved.status, status.isActive { return .active }
            return .everyTicket
        }
        return view == .solved ? .everyTicket : .active
    }

    /// Whether the scope takes in `ticket`, as it is now.
    func holds(_ ticket: Ticket) -> Bool {
        self == .everyTicket || ticket.status.isActive
    }

    /// The ids of the tickets in the scope, in id order.
    func ids(of desk: Desk) -> [Int] {
        self == .everyTicket ? Array(1..<desk.nextTicketID) : desk.statusIndex.activeIDs
    }

    /// Whether this scope holds every ticket `other` holds.
    func covers(_ other: QueueScope) -> Bool {
        self == .everyTicket || other == .active
    }
}
