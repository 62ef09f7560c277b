import Foundation
import HelpdeskCore

/// A snapshot's records of one kind, decoded and checked one at a time.
protocol SavedRecordTable: SavedRecords {
    var payload: SnapshotPayload { get }
    /// What a record is called in the message when one is found damaged.
    static var noun: String { get }
    func decode(_ index: Int) throws -> Element
    /// The `index`-th record as `desk` has it (the desk replayed from the log).
    static func element(_ index: Int, of desk: Desk) -> Element
}

extension SavedRecordTable {
    func element(at index: Int) -> Element {
        guard let element = try? decode(index) else {
            return Self.element(index, of: payload.damaged("\(Self.noun) \(index + 1)"))
        }
        return element
    }
}

/// A snapshot's tickets, decoded one at a time when asked for; each ticket's messages and
/// history are decoded the first time they are asked for, and then kept.
final class SavedTickets: SavedRecordTable, TicketDetailSource, @unchecked Sendable {
    typealias Element = Ticket
    static let noun = "ticket"
    let payload: SnapshotPayload
    private let lock = NSLock()
    private var details: [Int: (messages: [Message], history: [HistoryEntry])] = [:]
    /// How many callers asked for details read now not to be kept (see `DeskLog.readingDetailsOnce`).
    private var notKeeping = 0

    init(_ payload: SnapshotPayload) {
        self.payload = payload
    }

    static func element(_ index: Int, of desk: Desk) -> Ticket { desk.tickets[index] }

    var count: Int { payload.layout.ticketCount }

    /// The `index`-th ticket's header, and where its messages and history start.
    private func header(_ index: Int) throws -> (bytes: UnsafeBufferPointer<UInt8>, detailAt: Int) {
        let header = try payload.checkedFrame(at: try payload.recordStart(table: payload.layout.ticketOffsetsAt, index))
        return (header.content, header.end)
    }

    /// The `index`-th ticket's record as written (its two frames), for a new snapshot to copy.
    func record(_ index: Int) throws -> UnsafeBufferPointer<UInt8> {
        let start = try payload.recordStart(table: payload.layout.ticketOffsetsAt, index)
        let end = try payload.frameEnd(at: try payload.frameEnd(at: start))
        return UnsafeBufferPointer(rebasing: payload.bytes[start..<end])
    }

    /// The `index`-th ticket, its history left in the snapshot; checked too with `checkingHistory`,
    /// so that reading it later cannot fail.
    func decode(_ index: Int, checkingHistory: Bool) throws -> Ticket {
        let header = try header(index)
        if checkingHistory { _ = try payload.checkedFrame(at: header.detailAt) }
        var input = try BinaryReader(header.bytes)
        let ticket = try SnapshotCodec.decodeTicketHeader(&input) { historyCount in
            TicketDetail(deferred: DeferredTicketDetail(source: self, index: index, historyCount: historyCount))
        }
        guard input.atEnd, ticket.id == index + 1 else { throw BinaryReader.Malformed() }
        return ticket
    }

    func decode(_ index: Int) throws -> Ticket {
        try decode(index, checkingHistory: false)
    }

    /// The `index`-th ticket's messages and history, checked.
    func detailBytes(_ index: Int) throws -> UnsafeBufferPointer<UInt8> {
        try payload.checkedFrame(at: try header(index).detailAt).content
    }

    /// How many tickets' details have been read.
    var decodedCount: Int { lock.withLock { details.count } }

    func detail(_ index: Int) -> (messages: [Message], history: [HistoryEntry]) {
        if let known = lock.withLock({ details[index] }) { return known }
        // The header's count must agree with the history: it tells the console a ticket changed.
        guard let bytes = try? detailBytes(index), var input = try? BinaryReader(bytes),
              let detail = try? SnapshotCodec.decodeDetail(&input), input.atEnd,
              detail.history.count == (try? decode(index))?.historyCount else {
            let ticket = payload.damaged("the history of ticket \(index + 1)").tickets[index]
            return (ticket.messages, ticket.history)
        }
        lock.withLock { if notKeeping == 0 { details[index] = detail } }
        return detail
    }

    /// Details read until `keepDetails` are not kept (those kept already stay).
    func stopKeepingDetails() { lock.withLock { notKeeping += 1 } }

    func keepDetails() { lock.withLock { notKeeping -= 1 } }
}

/// A snapshot's customers, decoded one at a time when asked for, and its index of them by
/// address.
final class SavedCustomers: SavedRecordTable, SavedEmailIndex, @unchecked Sendable {
    typealias Element = Customer
    static let noun = "customer"
    let payload: SnapshotPayload

    init(_ payload: SnapshotPayload) {
        self.payload = payload
    }

    static func element(_ index: Int, of desk: Desk) -> Customer { desk.customers[index] }

    var count: Int { payload.layout.customerCount }

    /// The `index`-th customer's record as written, for a new snapshot to copy.
    func record(_ index: Int) throws -> UnsafeBufferPointer<UInt8> {
        let start = try payload.recordStart(table: payload.layout.customerOffsetsAt, index)
        return UnsafeBufferPointer(rebasing: payload.bytes[start..<(try payload.frameEnd(at: start))])
    }

    func decode(_ index: Int) throws -> Customer {
        var input = try BinaryReader(try payload.checkedFrame(
            at: try payload.recordStart(table: payload.layout.customerOffsetsAt, index)).content)
        let customer = try SnapshotCodec.decodeCustomer(&input)
        guard input.atEnd, customer.id == index + 1 else { throw BinaryReader.Malformed() }
        return customer
    }

    /// The hash the index is sorted by.
    static func hash(emailKey key: String) -> UInt64 {
        var key = key
        return key.withUTF8 { XXHash64.hash($0) }
    }

    func candidates(forEmailKey key: String) -> [Int] {
        let hash = Self.hash(emailKey: key), table = payload.layout.emailIndexAt, count = payload.layout.emailCount
        var ids: [Int] = []
        var position = payload.lowerBound(table: table, count: count, key: hash)
        while position < count, payload.word(at: table + position * 16) == hash {
            let id = Int(truncatingIfNeeded: payload.word(at: table + position * 16 + 8))
            if id >= 1, id <= self.count { ids.append(id) }
            position += 1
        }
        return ids
    }
}

/// A snapshot's `ChannelIndex`, searched where it lies.
final class SavedChannels: SavedChannelIndex, @unchecked Sendable {
    let payload: SnapshotPayload

    init(_ payload: SnapshotPayload) {
        self.payload = payload
    }

    var count: Int { payload.layout.channelCount }

    func ticket(forKey key: UInt64) -> Int32? {
        let table = payload.layout.channelIndexAt
        let position = payload.lowerBound(table: table, count: count, key: key)
        guard position < count, payload.word(at: table + position * 16) == key else { return nil }
        return Int32(truncatingIfNeeded: payload.word(at: table + position * 16 + 8))
    }

    var entries: [(key: UInt64, ticket: Int32)] {
        let table = payload.layout.channelIndexAt
        return (0..<count).map {
            (payload.word(at: table + $0 * 16), Int32(truncatingIfNeeded: payload.word(at: table + $0 * 16 + 8)))
        }
    }
}

/// The `ActiveFacts` a snapshot kept, as words: id; status, priority and tier in one; the
/// assignee's place in the roster plus one (0: none); then four times as the bits of their
/// seconds since the reference date (all ones: none).
final class SavedFacts: SavedActiveFacts, @unchecked Sendable {
    private let payload: SnapshotPayload
    private let roster: [String]
    private let lock = NSLock()
    private var decoded: [ActiveFacts]?
    private static let none = UInt64.max

    init(_ payload: SnapshotPayload, roster: [String]) {
        self.payload = payload
        self.roster = roster
    }

    /// Read the first time they are asked for (`status` needs them, `show` does not).
    var facts: [ActiveFacts] {
        lock.withLock {
            if let decoded { return decoded }
            guard let facts = try? decode() else { return payload.damaged("the active tickets' facts").activeFacts }
            decoded = facts
            return facts
        }
    }

    private func decode() throws -> [ActiveFacts] {
        let layout = payload.layout, width = SnapshotLayout.factWords
        let statuses = SnapshotCases.statuses, priorities = SnapshotCases.priorities
        func date(_ word: UInt64) -> Date? {
            word == Self.none ? nil : Date(timeIntervalSinceReferenceDate: Double(bitPattern: word))
        }
        var facts: [ActiveFacts] = []
        facts.reserveCapacity(layout.factCount)
        for row in 0..<layout.factCount {
            func w(_ k: Int) -> UInt64 { payload.word(at: layout.factsAt + (row * width + k) * 8) }
            let status = Int(w(1) & 0xFF), priority = Int(w(1) >> 8 & 0xFF), assignee = w(2)
            guard status < statuses.count, priority < priorities.count, assignee <= UInt64(roster.count),
                  let createdAt = date(w(3)) else { throw BinaryReader.Malformed() }
            facts.append(ActiveFacts(id: Int(truncatingIfNeeded: w(0)), status: statuses[status],
                                     priority: priorities[priority], tier: Int(w(1) >> 16 & 0xFF),
                                     assignee: assignee == 0 ? nil : roster[Int(assignee) - 1], createdAt: createdAt,
                                     lastCustomerMessageAt: date(w(4)), lastReplyAt: date(w(5)), followUpDue: date(w(6))))
        }
        return facts
    }

    /// The words for `facts`, or nil when one of them does not fit them (an assignee not on the
    /// roster, a tier beyond a byte): the snapshot then keeps none, and the summary reads tickets.
    static func encode(_ facts: [ActiveFacts], roster: [String]) -> [UInt64]? {
        let places = Dictionary(roster.enumerated().map { ($1, UInt64($0 + 1)) }, uniquingKeysWith: { first, _ in first })
        func word(_ date: Date?) -> UInt64 { date.map { $0.timeIntervalSinceReferenceDate.bitPattern } ?? none }
        var words: [UInt64] = []
        words.reserveCapacity(facts.count * SnapshotLayout.factWords)
        for fact in facts {
            guard (0..<256).contains(fact.tier), let status = SnapshotCases.statuses.firstIndex(of: fact.status),
                  let priority = SnapshotCases.priorities.firstIndex(of: fact.priority) else { return nil }
            let assignee: UInt64
            if let account = fact.assignee {
                guard let place = places[account] else { return nil }
                assignee = place
            } else {
                assignee = 0
            }
            words += [UInt64(fact.id), UInt64(status) | UInt64(priority) << 8 | UInt64(fact.tier) << 16, assignee,
                      word(fact.createdAt), word(fact.lastCustomerMessageAt), word(fact.lastReplyAt), word(fact.followUpDue)]
        }
        return words
    }
}
