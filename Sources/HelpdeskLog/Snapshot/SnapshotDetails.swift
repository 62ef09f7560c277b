import Foundation
import HelpdeskCore

/// The messages and history of one part's tickets, left in the snapshot's bytes and decoded the
/// first time a ticket's are asked for (then kept). The bytes were checked against the
/// snapshot's hash when it was opened, and stay mapped while any ticket refers to them.
final class SnapshotDetails: TicketDetailSource, @unchecked Sendable {
    private let owner: AnyObject
    private let reader: BinaryReader
    private var ranges: [Range<Int>] = []
    private var counts: [Int] = []
    private let lock = NSLock()
    private var decoded: [Int: (messages: [Message], history: [HistoryEntry])] = [:]

    /// `reader` reads the part (its string table included); `owner` keeps its bytes alive.
    init(reader: BinaryReader, owner: AnyObject, capacity: Int) {
        self.reader = reader
        self.owner = owner
        ranges.reserveCapacity(capacity)
        counts.reserveCapacity(capacity)
    }

    /// Notes where the next ticket's detail is and how many history entries the header said it
    /// holds, while the part is decoded (on one thread).
    func add(_ range: Range<Int>, historyCount: Int) -> Int {
        ranges.append(range)
        counts.append(historyCount)
        return ranges.count - 1
    }

    /// The snapshot these details are in (the parts of one snapshot share it and its strings).
    var snapshot: AnyObject { owner }
    var strings: [String] { reader.stringTable }

    /// How many details have been read.
    var decodedCount: Int { lock.withLock { decoded.count } }

    /// The `index`-th detail's bytes, as they were written.
    func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8> { reader.bytes(of: ranges[index]) }

    func detail(_ index: Int) -> (messages: [Message], history: [HistoryEntry]) {
        if let known = lock.withLock({ decoded[index] }) { return known }
        var part = reader.part(at: ranges[index])
        guard let detail = try? SnapshotCodec.decodeDetail(&part), part.atEnd, detail.history.count == counts[index] else {
            preconditionFailure("ticket detail \(index) of a snapshot whose hash matched does not decode")
        }
        lock.withLock { decoded[index] = detail }
        return detail
    }
}
