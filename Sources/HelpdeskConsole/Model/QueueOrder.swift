import Foundation
import HelpdeskCore
import HelpdeskLog

/// The tickets of a `QueueScope` in one sort order, with the few facts the views test. Built
/// whole when the sort, the clock's minute or the scope changes; when records arrive, only the
/// tickets they changed are taken out and put back in their new place (or left out, once out of
/// the scope), so another agent's append costs a few binary searches rather than a sort.
struct QueueOrder {
    struct Entry {
        var id: Int
        var status: Status
        var assignee: String?
        var tier: Int
        var followUpDue: Bool
        /// What a saved view's query looks at besides, so a view need not read every ticket again.
        var priority: Priority
        var channel: Channel
        var group: String?
        var tags: [String]

        func matches(_ query: TicketQuery) -> Bool {
            query.matches(status: status, assignee: assignee, tier: tier, priority: priority, channel: channel, group: group,
                          tags: tags)
        }
    }

    typealias Key = TicketSortKey

    private(set) var entries: [Entry] = []
    /// Parallel to `entries`.
    private var sortedKeys: [Key] = []
    /// By ticket id - 1: its key (nil: not held) and the history count it was made from.
    private var keys: [Key?] = []
    private var versions: [Int] = []
    private var sort = QueueSort.urgency
    private(set) var scope = QueueScope.everyTicket
    /// The SLA policy the due times were worked out under: a change of it moves every ticket.
    private var policy: SLAPolicy?

    init() {}

    init(desk: Desk, sort: QueueSort, now: Date, scope: QueueScope = .everyTicket) {
        var clocks = SLADueCache()
        self.init(desk: desk, sort: sort, now: now, scope: scope, clocks: &clocks)
    }

    init(desk: Desk, sort: QueueSort, now: Date, scope: QueueScope = .everyTicket, clocks: inout SLADueCache) {
        self.sort = sort
        self.scope = scope
        policy = desk.slaPolicy
        clocks.follow(desk)
        keys = Array(repeating: nil, count: desk.tickets.count)
        versions = Array(repeating: -1, count: desk.tickets.count)
        let calculator = SLACalculator(policy: desk.slaPolicy)
        let ids = scope.ids(of: desk)
        let known = clocks
        // Each ticket read once (a saved desk decodes it on each read), on every core.
        let held = concurrentMap(ids.count) { k -> (entry: Entry, key: Key, version: Int, due: Double) in
            let ticket = desk.tickets[ids[k] - 1]
            if k % 16_384 == 16_383, scope != .active { SnapshotPages.release(of: desk) }  // a pass: the order keeps what it needs
            let due = sort == .urgency ? known.cachedDue(ticket) ?? TicketSortKey.slaDue(ticket, calculator: calculator, now: now)
                : .infinity
            return (Self.entry(ticket, now: now), Key(ticket, sort: sort.ticketSort, now: now, slaDue: due), ticket.historyCount, due)
        }
        for (k, id) in ids.enumerated() {
            keys[id - 1] = held[k].key
            versions[id - 1] = held[k].version
            if sort == .urgency { clocks.remember(held[k].due, of: id, version: held[k].version) }
        }
        let order = held.indices.sorted { held[$0].key.precedes(held[$1].key) }
        entries = order.map { held[$0].entry }
        sortedKeys = order.map { held[$0].key }
    }

    /// Brings the order up to date with `desk` by moving the tickets that changed (and adding new
    /// ones). Returns false when so much changed that building it afresh is quicker.
    /// `touched` (ids), when known, spares reading every ticket to compare its history count.
    mutating func update(desk: Desk, now: Date, clocks: inout SLADueCache, touched: Set<Int>? = nil) -> Bool {
        guard policy == desk.slaPolicy else { return false }
        let tickets = desk.tickets
        let known = versions.count
        let most = max(64, entries.count / 16)
        var changed: [Int] = []
        if let touched {
            changed = touched.map { $0 - 1 }.filter { $0 < known }.sorted()
        } else {
            for index in 0..<known {
                let ticket = tickets[index]
                guard keys[index] == nil ? scope.holds(ticket) : versions[index] != ticket.historyCount else { continue }
                changed.append(index)
                if changed.count > most { return false }
            }
        }
        changed += known..<tickets.count
        guard changed.count <= most else { return false }
        keys.append(contentsOf: repeatElement(nil, count: tickets.count - known))
        versions.append(contentsOf: repeatElement(-1, count: tickets.count - known))
        clocks.follow(desk)
        let calculator = SLACalculator(policy: desk.slaPolicy)
        for index in changed {
            if let old = keys[index] { remove(old) }
            let ticket = tickets[index]
            guard scope.holds(ticket) else {
                keys[index] = nil
                versions[index] = -1
                continue
            }
            let key = Self.key(ticket, sort: sort, now: now, clocks: &clocks, calculator: calculator)
            insert(Self.entry(ticket, now: now), key)
            keys[index] = key
            versions[index] = ticket.historyCount
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
              followUpDue: ticket.isFollowUpDue(now: now), priority: ticket.priority, channel: ticket.channel,
              group: ticket.group, tags: ticket.tags)
    }

    private static func key(_ ticket: Ticket, sort: QueueSort, now: Date, clocks: inout SLADueCache,
                            calculator: SLACalculator) -> Key {
        Key(ticket, sort: sort.ticketSort, now: now,
            slaDue: sort == .urgency ? clocks.due(ticket, calculator: calculator, now: now) : .infinity)
    }
}

/// Each ticket's soonest SLA due time, remade only for tickets that changed (or all of them when
/// the policy changed): a clock's due time moves only with the ticket's events and the policy,
/// so another agent's append costs one ticket's clock, not the whole desk's.
struct SLADueCache {
    private var due: [Double] = []
    private var versions: [Int] = []
    private var policy: SLAPolicy?

    /// Forgets every due time when the policy changed; makes room for new tickets.
    mutating func follow(_ desk: Desk) {
        if policy != desk.slaPolicy {
            policy = desk.slaPolicy
            versions = []
            due = []
        }
        let count = desk.tickets.count
        if due.count < count {
            due.append(contentsOf: repeatElement(.infinity, count: count - due.count))
            versions.append(contentsOf: repeatElement(-1, count: count - versions.count))
        }
    }

    /// `ticket`'s due time as worked out before, unless its history grew since.
    func cachedDue(_ ticket: Ticket) -> Double? {
        let index = ticket.id - 1
        return index < due.count && versions[index] == ticket.historyCount ? due[index] : nil
    }

    /// Keeps a due time worked out elsewhere (after `follow`).
    mutating func remember(_ time: Double, of id: Int, version: Int) {
        guard id - 1 < due.count else { return }
        due[id - 1] = time
        versions[id - 1] = version
    }

    /// `ticket`'s due time, worked out again only when its history grew since (after `follow`).
    mutating func due(_ ticket: Ticket, calculator: SLACalculator, now: Date) -> Double {
        let index = ticket.id - 1
        guard index < due.count else { return TicketSortKey.slaDue(ticket, calculator: calculator, now: now) }
        if versions[index] != ticket.historyCount {
            due[index] = TicketSortKey.slaDue(ticket, calculator: calculator, now: now)
            versions[index] = ticket.historyCount
        }
        return due[index]
    }
}
