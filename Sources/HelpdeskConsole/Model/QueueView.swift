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

    public var next: QueueSort {
        let all = QueueSort.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// Every ticket of the desk in one sort order, with the few facts the views test. Built once
/// per change of the desk, the sort or the clock's minute; a view is then one pass over it.
struct QueueOrder {
    struct Entry {
        var id: Int
        var status: Status
        var assignee: String?
        var tier: Int
        var followUpDue: Bool
    }

    var entries: [Entry] = []

    init() {}

    init(desk: Desk, sort: QueueSort, now: Date) {
        var clocks = SLADueCache()
        self.init(desk: desk, sort: sort, now: now, clocks: &clocks)
    }

    init(desk: Desk, sort: QueueSort, now: Date, clocks: inout SLADueCache) {
        let tickets = desk.tickets
        entries.reserveCapacity(tickets.count)
        for index in tickets.indices {
            entries.append(Entry(id: tickets[index].id, status: tickets[index].status, assignee: tickets[index].assignee,
                                 tier: tickets[index].tier, followUpDue: tickets[index].isFollowUpDue(now: now)))
        }
        switch sort {
        case .id, .oldest: break
        case .newest: entries.reverse()
        case .updated:
            let updated = tickets.indices.map { tickets[$0].updatedAt.timeIntervalSince1970 }
            entries.sort { (updated[$0.id - 1], $0.id) > (updated[$1.id - 1], $1.id) }
        case .urgency:
            clocks.refresh(desk, now: now)
            entries = QueueOrder.byUrgency(entries, tickets: tickets, now: now, clocks: clocks)
        }
    }

    /// Small keys sorted, not tickets: the SLA clock that breaches soonest (breached ones first,
    /// tickets without a counting clock after), then priority, a due follow-up, the longest wait.
    static func byUrgency(_ entries: [Entry], tickets: [Ticket], now: Date, clocks: SLADueCache) -> [Entry] {
        struct Key {
            var slaDue: Double
            var rank: Int
            var due: Bool
            var waiting: Double
            var position: Int
        }
        var keys: [Key] = []
        keys.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() {
            let ticket = entry.id - 1
            keys.append(Key(slaDue: entry.status.isActive ? clocks.due(ticket) : .infinity,
                            rank: Priority.allCases.count - Priority.allCases.firstIndex(of: tickets[ticket].priority)!,
                            due: entry.followUpDue,
                            waiting: tickets[ticket].waitingSince(now: now)?.timeIntervalSince1970 ?? .infinity,
                            position: position))
        }
        keys.sort { a, b in
            if a.slaDue != b.slaDue { return a.slaDue < b.slaDue }
            if a.rank != b.rank { return a.rank < b.rank }
            if a.due != b.due { return a.due }
            if a.waiting != b.waiting { return a.waiting < b.waiting }
            return a.position < b.position
        }
        return keys.map { entries[$0.position] }
    }
}

/// Each ticket's soonest SLA due time, remade only for tickets that changed (or all of them when
/// the policy changed): a clock's due time moves only with the ticket's events and the policy,
/// so another agent's append costs one ticket's clock, not the whole desk's.
struct SLADueCache {
    private var due: [Double] = []
    private var versions: [Int] = []
    private var policy: SLAPolicy?

    func due(_ index: Int) -> Double { index < due.count ? due[index] : .infinity }

    mutating func refresh(_ desk: Desk, now: Date) {
        if policy != desk.slaPolicy {
            policy = desk.slaPolicy
            versions = []
            due = []
        }
        let tickets = desk.tickets
        if due.count < tickets.count {
            due.append(contentsOf: repeatElement(.infinity, count: tickets.count - due.count))
            versions.append(contentsOf: repeatElement(-1, count: tickets.count - versions.count))
        }
        let calculator = SLACalculator(policy: desk.slaPolicy)
        for index in tickets.indices where versions[index] != tickets[index].historyCount {
            due[index] = tickets[index].status.isActive
                ? calculator.evaluate(tickets[index], now: now).pressing?.due?.timeIntervalSince1970 ?? .infinity
                : .infinity
            versions[index] = tickets[index].historyCount
        }
    }
}

/// The rows the queue pane shows: a view of the desk, sorted, narrowed by the filter.
///
/// Kept between keystrokes: the order is rebuilt only when the desk, the sort or the clock's
/// minute changes; switching views is one pass over it; typing in the filter searches only the
/// previous matches (see `FilterCache`), through the `SearchIndex`.
public struct QueueView {
    public private(set) var ids: [Int] = []
    /// How many active tickets are assigned to `me`.
    public private(set) var mine = 0
    private var order = QueueOrder()
    private var orderKey: (seq: Int, sort: QueueSort, minute: Int)?
    private var viewIDs: [Int] = []
    private var viewKey: (seq: Int, sort: QueueSort, minute: Int, view: QueueViewKind, me: String)?
    private var needle = ""
    private var search = SearchIndex()
    private var filters = FilterCache()
    private var clocks = SLADueCache()
    private var lastIndex: Int?

    public init() {}

    /// The ids of one view in one order, computed afresh (for decisions made under the log's lock).
    static func sortedIDs(desk: Desk, view: QueueViewKind, sort: QueueSort, me: String, now: Date) -> [Int] {
        QueueOrder(desk: desk, sort: sort, now: now).entries.filter { view.includes($0, me: me) }.map(\.id)
    }

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

    public mutating func update(desk: Desk, view: QueueViewKind, sort: QueueSort, filter: String, me: String, now: Date) {
        let minute = Int(now.timeIntervalSince1970 / 60)
        if orderKey.map({ $0.seq != desk.lastSeq || $0.sort != sort || $0.minute != minute }) ?? true {
            order = QueueOrder(desk: desk, sort: sort, now: now, clocks: &clocks)
            orderKey = (desk.lastSeq, sort, minute)
            mine = order.entries.lazy.filter { $0.assignee == me && $0.status.isActive }.count
            search.refresh(desk)  // here, not on the first filter keystroke
            viewKey = nil
        }
        var viewChanged = false
        if viewKey.map({ $0.seq != desk.lastSeq || $0.sort != sort || $0.minute != minute || $0.view != view || $0.me != me })
            ?? true {
            viewIDs = order.entries.lazy.filter { view.includes($0, me: me) }.map(\.id)
            viewKey = (desk.lastSeq, sort, minute, view, me)
            viewChanged = true
        }
        if viewChanged { filters.reset() }
        let newNeedle = filter.trimmingCharacters(in: .whitespaces).lowercased()
        guard viewChanged || newNeedle != needle else { return }
        needle = newNeedle
        ids = needle.isEmpty ? viewIDs : filters.ids(matching: needle, view: viewIDs, search: search)
    }
}
