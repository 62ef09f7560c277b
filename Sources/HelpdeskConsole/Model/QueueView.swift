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

    func includes(_ entry: QueueOrder.Entry, me: String) -> Bool {
        switch self {
        case .mine: entry.assignee == me && entry.status.isActive
        case .unassigned: entry.assignee == nil && entry.status.isActive
        case .allOpen: entry.status.isActive
        case .escalated: entry.tier > 1 && entry.status.isActive
        case .followUpsDue: entry.status.isActive && entry.followUpDue
        case .pending: entry.status == .pending
        case .solved: entry.status == .solved
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

    /// The same order as Core names it.
    public var ticketSort: TicketSort {
        switch self {
        case .urgency: .urgency
        case .newest: .newest
        case .oldest: .oldest
        case .updated: .updated
        case .id: .id
        }
    }

    public init(_ sort: TicketSort) {
        self = QueueSort.allCases.first { $0.ticketSort == sort }!
    }

    public var next: QueueSort {
        let all = QueueSort.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// The rows the queue pane shows: a view of the desk, sorted, narrowed by the filter.
///
/// Kept between keystrokes: the order is rebuilt only when the sort or the clock's minute
/// changes, and records arriving move only the tickets they changed (see `QueueOrder`); a view
/// is one pass over the order, kept until the order changes; typing in the filter searches only
/// the previous matches (see `FilterCache`), through the `SearchIndex`.
public struct QueueView {
    public private(set) var ids: [Int] = []
    /// How many active tickets are assigned to `me`.
    public private(set) var mine = 0
    private var order = QueueOrder()
    private var orderKey: (seq: Int, sort: QueueSort, minute: Int)?
    private var viewIDs: [Int] = []
    /// Each view already worked out for the current order (agents flip between views).
    private var viewsOfOrder: [QueueViewKind: [Int]] = [:]
    private var viewKey: (seq: Int, sort: QueueSort, minute: Int, view: QueueViewKind, saved: SavedView?, me: String)?
    private var needle = ""
    private var search = SearchIndex()
    /// The tickets `search` has texts of (nil: none yet).
    private var searchScope: QueueScope?
    private var filters = FilterCache()
    private var clocks = SLADueCache()
    private var lastIndex: Int?
    /// Whether the filter last searched conversations too (see `ConversationMatches`).
    private var searchedConversations = false

    public init() {}

    /// The ids of one view in one order, computed afresh (for decisions made under the log's lock).
    static func sortedIDs(desk: Desk, view: QueueViewKind, sort: QueueSort, me: String, now: Date) -> [Int] {
        QueueOrder(desk: desk, sort: sort, now: now, scope: QueueScope.needed(by: view, saved: nil)).entries
            .filter { view.includes($0, me: me) }.map(\.id)
    }

    /// Which tickets the queue holds now (see `QueueScope`).
    public var scope: QueueScope { order.scope }

    /// Where `id` is in `ids`, if it is there. The last answer is remembered: the selection is
    /// asked for on every key and every frame, and moves one row at a time.
    public mutating func index(of id: Int) -> Int? {
        if let last = lastIndex, ids.indices.contains(last), ids[last] == id { return last }
        for guess in [lastIndex.map { $0 + 1 }, lastIndex.map { $0 - 1 }].compactMap({ $0 })
        where ids.indices.contains(guess) && ids[guess] == id {
            lastIndex = guess
            return guess
        }
        lastIndex = ids.firstIndex(of: id)
        return lastIndex
    }

    /// The filter's texts of the tickets the queue holds: all of them when the scope is new to
    /// the index (or nothing says which changed), else those records touched and new ones.
    private mutating func refreshSearch(_ desk: Desk, touched: Set<Int>?) {
        if let touched, searchScope?.covers(order.scope) == true {
            search.refresh(desk, ids: touched.sorted() + Array(search.count + 1..<desk.nextTicketID))
        } else {
            search.refresh(desk, ids: order.scope.ids(of: desk))
            searchScope = order.scope
        }
    }

    /// `touched`, when the caller knows them, are the tickets records touched since the last
    /// call: only they are looked at again (nil: every ticket is compared). `saved`, when given,
    /// stands in for `view`.
    public mutating func update(desk: Desk, view: QueueViewKind, saved: SavedView? = nil, sort: QueueSort, filter: String,
                                me: String, now: Date, touched: Set<Int>? = nil, conversations: ConversationMatches? = nil) {
        let minute = Int(now.timeIntervalSince1970 / 60)
        // A view that can show solved or closed tickets widens the scope for good: flipping back
        // and forth between views then costs nothing more.
        let needed = QueueScope.needed(by: view, saved: saved)
        let scope = orderKey != nil && order.scope.covers(needed) ? order.scope : needed
        if orderKey.map({ $0.seq != desk.lastSeq || $0.sort != sort || $0.minute != minute }) ?? true || scope != order.scope {
            // Records arrived within the same minute and sort: move only the tickets they changed.
            let movedOnly = scope == order.scope && orderKey.map { $0.sort == sort && $0.minute == minute } ?? false
                && order.update(desk: desk, now: now, clocks: &clocks, touched: touched)
            if !movedOnly { order = QueueOrder(desk: desk, sort: sort, now: now, scope: scope, clocks: &clocks) }
            orderKey = (desk.lastSeq, sort, minute)
            mine = order.entries.lazy.filter { $0.assignee == me && $0.status.isActive }.count
            refreshSearch(desk, touched: touched)  // here, not on the first filter keystroke
            viewKey = nil
            viewsOfOrder = [:]
        }
        if searchedConversations != (conversations != nil) {
            searchedConversations = conversations != nil
            viewKey = nil  // a saved view's text, and the filter, can search conversations now
        }
        var viewChanged = false
        if viewKey.map({ $0.seq != desk.lastSeq || $0.sort != sort || $0.minute != minute || $0.view != view
                         || $0.saved != saved || $0.me != me }) ?? true {
            if viewKey?.me != me { viewsOfOrder = [:] }
            if let saved {
                let query = saved.query(for: me)
                // A view's full-text search needs the index: until it is ready, the other filters alone.
                let found = saved.text.flatMap { try? SearchQuery.parse($0) }.flatMap { conversations?.tickets(matching: $0) }
                viewIDs = order.entries.lazy.filter { entry in
                    (found?.contains(entry.id) ?? true) && entry.matches(query)
                }.map(\.id)
            } else if let known = viewsOfOrder[view] {
                viewIDs = known
            } else {
                viewIDs = order.entries.lazy.filter { view.includes($0, me: me) }.map(\.id)
                viewsOfOrder[view] = viewIDs
            }
            viewKey = (desk.lastSeq, sort, minute, view, saved, me)
            viewChanged = true
        }
        if viewChanged { filters.reset() }
        let newNeedle = filter.trimmingCharacters(in: .whitespaces).lowercased()
        guard viewChanged || newNeedle != needle else { return }
        needle = newNeedle
        ids = needle.isEmpty ? viewIDs
            : filters.ids(matching: needle, view: viewIDs, search: search, conversations: conversations)
    }
}
