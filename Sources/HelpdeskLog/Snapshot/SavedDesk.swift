import Foundation
import HelpdeskCore

/// A snapshot's tickets, decoded one at a time when asked for; each ticket's messages and
/// history are decoded the first time they are asked for, and then kept.
final class SavedTickets: SavedRecords, TicketDetailSource, @unchecked Sendable {
    let payload: SnapshotPayload
    private let lock = NSLock()
    private var details: [Int: (messages: [Message], history: [HistoryEntry])] = [:]

    init(_ payload: SnapshotPayload) {
        self.payload = payload
    }

    var count: Int { payload.layout.ticketCount }

    func element(at index: Int) -> Ticket {
        guard let ticket = try? decode(index) else { payload.damaged("ticket \(index + 1)") }
        return ticket
    }

    /// The record of the `index`-th ticket: its header, then its messages and history.
    private func parts(_ index: Int) throws -> (header: UnsafeBufferPointer<UInt8>, detail: UnsafeBufferPointer<UInt8>) {
        let record = try payload.record(table: payload.layout.ticketOffsetsAt, index)
        guard record.count >= 4 else { throw BinaryReader.Malformed() }
        let headerLength = Int(UInt32(littleEndian: UnsafeRawPointer(record.baseAddress!).loadUnaligned(as: UInt32.self)))
        guard headerLength <= record.count - 4 else { throw BinaryReader.Malformed() }
        let split = record.startIndex + 4 + headerLength
        return (UnsafeBufferPointer(rebasing: record[(record.startIndex + 4)..<split]),
                UnsafeBufferPointer(rebasing: record[split...]))
    }

    func decode(_ index: Int) throws -> Ticket {
        var input = try BinaryReader(try parts(index).header)
        let ticket = try SnapshotCodec.decodeTicketHeader(&input) { historyCount in
            TicketDetail(deferred: DeferredTicketDetail(source: self, index: index, historyCount: historyCount))
        }
        guard input.atEnd, ticket.id == index + 1 else { throw BinaryReader.Malformed() }
        return ticket
    }

    /// The `index`-th ticket's messages and history as they were written (for a new snapshot
    /// to copy as they are).
    func detailBytes(_ index: Int) throws -> UnsafeBufferPointer<UInt8> {
        try parts(index).detail
    }

    /// How many tickets' details have been read.
    var decodedCount: Int { lock.withLock { details.count } }

    func detail(_ index: Int) -> (messages: [Message], history: [HistoryEntry]) {
        if let known = lock.withLock({ details[index] }) { return known }
        guard let bytes = try? detailBytes(index), var input = try? BinaryReader(bytes),
              let detail = try? SnapshotCodec.decodeDetail(&input), input.atEnd else {
            payload.damaged("the history of ticket \(index + 1)")
        }
        lock.withLock { details[index] = detail }
        return detail
    }
}

/// A snapshot's customers, decoded one at a time when asked for, and its index of them by
/// address.
final class SavedCustomers: SavedRecords, SavedEmailIndex, @unchecked Sendable {
    let payload: SnapshotPayload

    init(_ payload: SnapshotPayload) {
        self.payload = payload
    }

    var count: Int { payload.layout.customerCount }

    func element(at index: Int) -> Customer {
        guard let customer = try? decode(index) else { payload.damaged("customer \(index + 1)") }
        return customer
    }

    func decode(_ index: Int) throws -> Customer {
        var input = try BinaryReader(try payload.record(table: payload.layout.customerOffsetsAt, index))
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
