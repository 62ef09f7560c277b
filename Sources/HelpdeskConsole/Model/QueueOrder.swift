import Foundation
import HelpdeskCore

/// Every ticket of the desk in one sort order, with the few facts the views test. Built whole
/// when the sort or the clock's minute changes; when records arrive, only the tickets they
/// changed are taken out and put back in their new place, so another agent's append costs a few
/// binary searches rather than a sort of the whole desk.
struct QueueOrder {
    struct Entry {
        var id: Int
        var status: Status
        var assignee: String?
        var tier: Int
        var followUpDue: Bool
    }

    typealias Key = TicketSortKey

    private(set) var entries: [Entry] = []
    /// Parallel to `entries`.
    private var sortedKeys: [Key] = []
    /// By ticket id - 1: its key and the history count it was made from.
    private var keys: [Key] = []
    private var versions: [Int] = []
    private var sort = QueueSort.urgency
    /// The SLA policy the due times were worked out under: a change of it moves every ticket.
    private var policy: SLAPolicy?

    init() {}

    init(desk: Desk, sort: QueueSort, now: Date) {
        var clocks = SLADueCache()
        self.init(desk: desk, sort: sort, now: now, clocks: &clocks)
    }

    init(desk: Desk, sort: QueueSort, now: Date, clocks: inout SLADueCache) {
        self.sort = sort
        policy = desk.slaPolicy
        if sort == .urgency { clocks.refresh(desk, now: now) }
        let tickets = desk.tickets.array
        keys.reserveCapacity(tickets.count)
        versions.reserveCapacity(tickets.count)
        for ticket in tickets {
            keys.append(Self.key(ticket, sort: sort, now: now, clocks: clocks))
            versions.append(ticket.historyCount)
        }
        let order = tickets.indices.sorted { keys[$0].precedes(keys[$1]) }
        entries = order.map { Self.entry(tickets[$0], now: now) }
        sortedKeys = order.map { keys[$0] }
    }

    /// Brings the order up to date with `desk` by moving the tickets that changed (and adding new
    /// ones). Returns false when so much changed that building it afresh is quicker.
    /// `touched` (ids), when known, spares comparing every ticket's history count.
    mutating func update(desk: Desk, now: Date, clocks: inout SLADueCache, touched: Set<Int>? = nil) -> Bool {
        guard policy == desk.slaPolicy else { return false }
        let tickets = desk.tickets.array
        var changed: [Int] = []
        if let touched {
            changed = touched.map { $0 - 1 }.filter { versions.indices.contains($0) }.sorted()
        } else {
            for index in versions.indices where versions[index] != tickets[index].historyCount {
                changed.append(index)
                if changed.count > max(64, tickets.count / 16) { return false }
            }
        }
        changed += versions.count..<tickets.count
        guard changed.count <= max(64, tickets.count / 16) else { return false }
        if sort == .urgency { clocks.refresh(desk, now: now, tickets: changed) }
        for index in changed {
            if index < versions.count { remove(keys[index]) }
            let key = Self.key(tickets[index], sort: sort, now: now, clocks: clocks)
            insert(Self.entry(tickets[index], now: now), key)
            if index < versions.count {
                keys[index] = key
                versions[index] = tickets[index].historyCount
            } else {
                keys.append(key)
                versions.append(tickets[index].historyCount)
            }
        }
        return true
    }

    /// Where `key` is, or would go.
    private func position(of key: Key) -> Int {
        var low = 0, high = sortedKeys.count
        while low < high {
            let middle = (low + high) / 2
            if sortedKeys[middle].precedes(key) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private mutating func remove(_ key: Key) {
        let at = position(of: key)
        precondition(at < sortedKeys.count && !key.precedes(sortedKeys[at]), "a queue entry went missing")
        sortedKeys.remove(at: at)
        entries.remove(at: at)
    }

    private mutating func insert(_ entry: Entry, _ key: Key) {
        let at = position(of: key)
        sortedKeys.insert(key, at: at)
        entries.insert(entry, at: at)
    }

    private static func entry(_ ticket: Ticket, now: Date) -> Entry {
        Entry(id: ticket.id, status: ticket.status, assignee: ticket.assignee, tier: ticket.tier,
              followUpDue: ticket.isFollowUpDue(now: now))
    }

    private static func key(_ ticket: Ticket, sort: QueueSort, now: Date, clocks: SLADueCache) -> Key {
        Key(ticket, sort: sort.ticketSort, now: now, slaDue: sort == .urgency ? clocks.due(ticket.id - 1) : .infinity)
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
        let tickets = desk.tickets.array
        if due.count < tickets.count {
            due.append(contentsOf: repeatElement(.infinity, count: tickets.count - due.count))
            versions.append(contentsOf: repeatElement(-1, count: tickets.count - versions.count))
        }
        rework(tickets.indices.filter { versions[$0] != tickets[$0].historyCount }, of: desk, now: now)
    }

    /// The same, when the caller knows which tickets (by index) changed since the last call.
    mutating func refresh(_ desk: Desk, now: Date, tickets changed: [Int]) {
        guard policy == desk.slaPolicy, due.count <= desk.tickets.count else { return refresh(desk, now: now) }
        let added = desk.tickets.count - due.count
        due.append(contentsOf: repeatElement(.infinity, count: added))
        versions.append(contentsOf: repeatElement(-1, count: added))
        rework(changed, of: desk, now: now)
    }

    private mutating func rework(_ indices: [Int], of desk: Desk, now: Date) {
        let tickets = desk.tickets.array
        let calculator = SLACalculator(policy: desk.slaPolicy)
        for index in indices {
            due[index] = TicketSortKey.slaDue(tickets[index], calculator: calculator, now: now)
            versions[index] = tickets[index].historyCount
        }
    }
}

