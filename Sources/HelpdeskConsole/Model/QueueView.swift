import Foundation
import HelpdeskCore

/// The queue's views, switchable by key.
public enum QueueViewKind: String, CaseIterable, Sendable {
    case mine = "mine"
    case unassigned = "unassigned"
    case allOpen = "all open"
    case escalated = "escalated"
    case followUpsDue = "follow-ups due"
    case pending = "pending"
    case solved = "solved"

    /// The key that picks the view in the view chooser.
    public var key: Character {
        switch self {
        case .mine: "m"
        case .unassigned: "u"
        case .allOpen: "a"
        case .escalated: "e"
        case .followUpsDue: "f"
        case .pending: "p"
        case .solved: "s"
        }
    }

    func includes(_ ticket: Ticket, me: String, now: Date) -> Bool {
        switch self {
        case .mine: ticket.assignee == me && ticket.status.isActive
        case .unassigned: ticket.assignee == nil && ticket.status.isActive
        case .allOpen: ticket.status.isActive
        case .escalated: ticket.tier > 1 && ticket.status.isActive
        case .followUpsDue: ticket.status.isActive && ticket.isFollowUpDue(now: now)
        case .pending: ticket.status == .pending
        case .solved: ticket.status == .solved
        }
    }
}

/// How the queue is ordered.
public enum QueueSort: String, CaseIterable, Sendable {
    /// Priority, then a due follow-up, then the customer who has waited longest.
    case urgency = "urgency"
    case newest = "newest"
    case oldest = "oldest"
    case updated = "last update"
    case id = "id"

    public var next: QueueSort {
        let all = QueueSort.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// The rows the queue pane shows: a view of the desk, sorted, narrowed by the filter.
///
/// Kept between keystrokes: the sorted view is rebuilt only when the desk, the view, the sort
/// or the clock's minute changes; typing in the filter only narrows that sorted list, so a
/// keystroke costs one pass over the view, never a sort.
public struct QueueView {
    public private(set) var ids: [Int] = []
    private var sorted: [Int] = []
    private var sortedKey: (seq: Int, view: QueueViewKind, sort: QueueSort, minute: Int, me: String)?
    private var filteredKey: String?
    /// Lower-cased text the filter searches, per ticket, with the history length it was made at.
    private var searchText: [Int: (version: Int, text: String)] = [:]

    public init() {}

    public mutating func update(desk: Desk, view: QueueViewKind, sort: QueueSort, filter: String, me: String, now: Date) {
        let minute = Int(now.timeIntervalSince1970 / 60)
        if sortedKey.map({ $0.seq != desk.lastSeq || $0.view != view || $0.sort != sort || $0.minute != minute || $0.me != me })
            ?? true {
            sorted = QueueView.sortedIDs(desk: desk, view: view, sort: sort, me: me, now: now)
            sortedKey = (desk.lastSeq, view, sort, minute, me)
            filteredKey = nil
        }
        let needle = filter.trimmingCharacters(in: .whitespaces).lowercased()
        guard filteredKey != needle else { return }
        if needle.isEmpty {
            ids = sorted
        } else {
            let words = needle.split(separator: " ")
            ids = sorted.filter { id in
                let haystack = text(for: id, desk: desk)
                return words.allSatisfy { haystack.contains($0) }
            }
        }
        filteredKey = needle
    }

    private mutating func text(for id: Int, desk: Desk) -> String {
        guard let ticket = desk.ticket(id) else { return "" }
        if let cached = searchText[id], cached.version == ticket.history.count { return cached.text }
        let customer = desk.customer(ticket.customerID)
        let text = ([String(id), "#\(id)", ticket.subject, customer?.name ?? "", customer?.email ?? "",
                     ticket.assignee ?? ""] + ticket.tags).joined(separator: " ").lowercased()
        searchText[id] = (ticket.history.count, text)
        return text
    }

    static func sortedIDs(desk: Desk, view: QueueViewKind, sort: QueueSort, me: String, now: Date) -> [Int] {
        let tickets = desk.tickets.filter { view.includes($0, me: me, now: now) }
        let ordered: [Ticket]
        switch sort {
        case .urgency:
            let keyed = tickets.map { ticket in
                (ticket, ticket.isFollowUpDue(now: now), ticket.waitingSince(now: now) ?? .distantFuture)
            }
            ordered = keyed.sorted { a, b in
                if a.0.priority != b.0.priority { return a.0.priority > b.0.priority }
                if a.1 != b.1 { return a.1 }
                if a.2 != b.2 { return a.2 < b.2 }
                return a.0.id < b.0.id
            }.map(\.0)
        case .newest: ordered = tickets.sorted { $0.id > $1.id }
        case .oldest: ordered = tickets
        case .updated: ordered = tickets.sorted { ($0.updatedAt, $0.id) > ($1.updatedAt, $1.id) }
        case .id: ordered = tickets
        }
        return ordered.map(\.id)
    }
}
