import Foundation
import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// Where each section of a snapshot's payload lies. The payload opens with this directory
/// (18 little-endian 64-bit words), then the small part every command reads (roster, policy,
/// status counts), then fixed-width tables, then one record per ticket and per customer:
///
/// - ticket and customer offsets: where each one's record starts, by id - 1;
/// - the customer index: (XXH64 of the address as `Desk.emailKey` makes it, id), sorted;
/// - the channel index: (key, ticket), sorted;
/// - the breach schedule's moments, as doubles, by ticket id - 1;
/// - the active tickets, one bit each;
/// - what the summary needs of each active ticket (`ActiveFacts`), 7 words each, in id order;
/// - what a listing filters on of each ticket (`SavedKeys`), a word each, by id - 1.
///
/// Everything before the records is checked against the header's hash when the snapshot is
/// opened. A record is made of frames: a 64-bit XXH64 of its bytes, their length in 32 bits, and
/// the bytes. A customer's record is one frame; a ticket's is two, its header then its messages
/// and history. Each frame is checked when it is read, so a command reads and checks only what
/// it needs.
struct SnapshotLayout: Equatable {
    static let size = 18 * 8
    static let factWords = 7

    var checkedLength = 0
    var eager = 0..<0
    var ticketCount = 0, ticketOffsetsAt = 0
    var customerCount = 0, customerOffsetsAt = 0
    var emailCount = 0, emailIndexAt = 0
    var channelCount = 0, channelIndexAt = 0
    /// -1: no breach schedule was saved.
    var momentCount = -1, momentsAt = 0
    var activeWordCount = 0, activeAt = 0
    /// -1: none were saved.
    var factCount = -1, factsAt = 0
    /// 0: none were saved; else as many as tickets.
    var keysAt = 0

    private var words: [Int] {
        [checkedLength, eager.lowerBound, eager.count, ticketCount, ticketOffsetsAt, customerCount, customerOffsetsAt,
         emailCount, emailIndexAt, channelCount, channelIndexAt, momentCount, momentsAt, activeWordCount, activeAt,
         factCount, factsAt, keysAt]
    }

    /// Lays the sections out one after the other, each table on an 8-byte boundary.
    init(eagerLength: Int, tickets: Int, customers: Int, channelEntries: Int, moments: Int?, activeWords: Int, facts: Int?,
         keys: Bool) {
        var end = Self.size
        func section(_ length: Int) -> Int {
            defer { end += (length + 7) & ~7 }
            return end
        }
        let eagerAt = section(eagerLength)
        eager = eagerAt..<(eagerAt + eagerLength)
        ticketCount = tickets; ticketOffsetsAt = section(tickets * 8)
        customerCount = customers; customerOffsetsAt = section(customers * 8)
        emailCount = customers; emailIndexAt = section(customers * 16)
        channelCount = channelEntries; channelIndexAt = section(channelEntries * 16)
        momentCount = moments ?? -1; momentsAt = section((moments ?? 0) * 8)
        activeWordCount = activeWords; activeAt = section(activeWords * 8)
        factCount = facts ?? -1; factsAt = section((facts ?? 0) * Self.factWords * 8)
        keysAt = keys ? section(tickets * 8) : 0
        checkedLength = end
    }

    var encoded: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.size)
        for word in words { withUnsafeBytes(of: UInt64(bitPattern: Int64(word)).littleEndian) { bytes.append(contentsOf: $0) } }
        return bytes
    }

    /// The directory at the front of `payload`, if every section it names lies within the
    /// checked part of it and the tables are as long as their counts say.
    init?(_ payload: UnsafeBufferPointer<UInt8>) {
        guard payload.count >= Self.size else { return nil }
        let raw = UnsafeRawPointer(payload.baseAddress!)
        let w = (0..<18).map { Int(truncatingIfNeeded: Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) }
        let limit = w[0]
        guard limit >= Self.size, limit <= payload.count else { return nil }
        func fits(_ at: Int, _ count: Int, _ width: Int) -> Bool {
            at >= Self.size && count >= 0 && at % 8 == 0 && count <= (limit - at) / width
        }
        guard w[1] >= Self.size, w[1] <= limit, w[2] >= 0, w[2] <= limit - w[1],
              fits(w[4], w[3], 8), fits(w[6], w[5], 8), fits(w[8], w[7], 16), fits(w[10], w[9], 16),
              w[11] == -1 || fits(w[12], w[11], 8), fits(w[14], w[13], 8),
              w[15] == -1 || fits(w[16], w[15], Self.factWords * 8), w[17] == 0 || fits(w[17], w[3], 8) else { return nil }
        checkedLength = limit
        eager = w[1]..<(w[1] + w[2])
        (ticketCount, ticketOffsetsAt, customerCount, customerOffsetsAt) = (w[3], w[4], w[5], w[6])
        (emailCount, emailIndexAt, channelCount, channelIndexAt) = (w[7], w[8], w[9], w[10])
        (momentCount, momentsAt, activeWordCount, activeAt) = (w[11], w[12], w[13], w[14])
        (factCount, factsAt, keysAt) = (w[15], w[16], w[17])
    }
}

/// A snapshot's payload, mapped, with what its directory says: the tables are read where they
/// lie, and each record is checked against its own hash as it is read.
final class SnapshotPayload: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
    let layout: SnapshotLayout
    /// Keeps the bytes mapped (a `MappedFile`), or holds them.
    let owner: AnyObject
    /// What stands in for a record found damaged when read; nil for bytes in memory.
    let damage: SnapshotDamage?

    init(bytes: UnsafeBufferPointer<UInt8>, layout: SnapshotLayout, owner: AnyObject, damage: SnapshotDamage?) {
        self.bytes = bytes
        self.layout = layout
        self.owner = owner
        self.damage = damage
    }

    /// The little-endian word at `offset`, which lies in the checked part.
    func word(at offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress!).loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Where the record whose offset is the `index`-th word of the table at `table` starts.
    func recordStart(table: Int, _ index: Int) throws -> Int {
        let offset = word(at: table + index * 8)
        guard offset >= UInt64(layout.checkedLength), offset <= UInt64(bytes.count) else { throw BinaryReader.Malformed() }
        return Int(offset)
    }

    /// The frame (hash, length, bytes) at `start`: where its bytes lie, once they match its
    /// hash, and where it ends.
    func checkedFrame(at start: Int) throws -> (content: UnsafeBufferPointer<UInt8>, end: Int) {
        let end = try frameEnd(at: start)
        let content = UnsafeBufferPointer(rebasing: bytes[(start + 12)..<end])
        guard XXHash64.hash(content) == word(at: start) else { throw BinaryReader.Malformed() }
        return (content, end)
    }

    /// The frame at `start` unchecked, as written: where it ends (for copying it as it is).
    func frameEnd(at start: Int) throws -> Int {
        guard start >= layout.checkedLength, start <= bytes.count - 12 else { throw BinaryReader.Malformed() }
        let length = Int(UInt32(littleEndian: UnsafeRawPointer(bytes.baseAddress! + start + 8).loadUnaligned(as: UInt32.self)))
        guard length <= bytes.count - start - 12 else { throw BinaryReader.Malformed() }
        return start + 12 + length
    }

    /// A record read on demand does not match its hash: the desk the snapshot stood for,
    /// replayed from the log, answers instead (see `SnapshotDamage`).
    func damaged(_ what: String) -> Desk {
        guard let damage else {
            // Bytes held in memory were encoded by this process a moment ago: a bug, not damage.
            preconditionFailure("\(what) of a snapshot held in memory does not decode")
        }
        return damage.desk(replacing: what)
    }
}

extension SnapshotPayload {
    /// The first position in the table of `count` (key, value) pairs at `table` whose key is not
    /// less than `key`.
    func lowerBound(table: Int, count: Int, key: UInt64) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if word(at: table + middle * 16) < key { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
