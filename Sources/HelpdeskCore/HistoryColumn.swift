import Foundation

/// The history entries of a replayed desk's tickets, all in one append-only column in the order
/// they were recorded, each linked back to the same ticket's entry before it.
///
/// Why: a replay records an event on some ticket anywhere in the desk for every record. Kept on
/// each ticket's own array, every one of those appends touched memory nothing had touched for
/// long; appended here they go one after the other.
///
/// A `Desk` is a value: its copies share the column. Links only ever point backwards, to entries
/// already written, and an entry is never changed once written, so two copies appending to the
/// same column cannot see or overwrite each other's entries: each ticket reaches only its own
/// chain. What a discarded copy appended stays unreachable until the column goes.
final class HistoryColumn: @unchecked Sendable {
    private struct Slot {
        var entry: HistoryEntry
        /// The same ticket's entry before this one, or -1.
        var previous: Int32
    }

    /// Segment `k` holds 1,024 << k slots, so a fixed handful of segments is enough for any desk
    /// and a segment, once made, never moves (a reader needs no lock).
    private static let firstSegmentBits = 10
    private static let segmentCount = 21
    static let capacity = (1 << (firstSegmentBits + segmentCount)) - (1 << firstSegmentBits)

    private let segments: UnsafeMutablePointer<UnsafeMutablePointer<Slot>?>
    private var count = 0
    /// Appends come from whichever thread holds a copy of the desk.
    private let appending = NSLock()

    init() {
        segments = .allocate(capacity: Self.segmentCount)
        segments.initialize(repeating: nil, count: Self.segmentCount)
    }

    deinit {
        for segment in 0..<Self.segmentCount {
            guard let slots = segments[segment] else { break }
            let first = Self.firstIndex(ofSegment: segment)
            slots.deinitialize(count: min(count - first, Self.size(ofSegment: segment)))
            slots.deallocate()
        }
        segments.deallocate()
    }

    /// Appends `entry` after `previous` (-1 for a ticket's first) and returns where it is.
    func append(_ entry: HistoryEntry, after previous: Int32) -> Int32 {
        appending.lock()
        defer { appending.unlock() }
        precondition(count < Self.capacity, "a desk's history column is full")
        let index = count
        let (segment, offset) = Self.locate(index)
        if offset == 0 {
            segments[segment] = .allocate(capacity: Self.size(ofSegment: segment))
        }
        (segments[segment]! + offset).initialize(to: Slot(entry: entry, previous: previous))
        count += 1
        return Int32(index)
    }

    /// The `count` entries of the chain ending at `last`, oldest first.
    func chain(endingAt last: Int32, count: Int) -> [HistoryEntry] {
        guard count > 0 else { return [] }
        return [HistoryEntry](unsafeUninitializedCapacity: count) { buffer, initialized in
            var index = last
            for position in stride(from: count - 1, through: 0, by: -1) {
                let slot = slot(at: index)
                (buffer.baseAddress! + position).initialize(to: slot.pointee.entry)
                index = slot.pointee.previous
            }
            initialized = count
        }
    }

    private func slot(at index: Int32) -> UnsafeMutablePointer<Slot> {
        let (segment, offset) = Self.locate(Int(index))
        return segments[segment]! + offset
    }

    private static func locate(_ index: Int) -> (segment: Int, offset: Int) {
        let shifted = index + (1 << firstSegmentBits)
        let segment = (Int.bitWidth - 1 - shifted.leadingZeroBitCount) - firstSegmentBits
        return (segment, shifted - (1 << (segment + firstSegmentBits)))
    }

    private static func size(ofSegment segment: Int) -> Int { 1 << (segment + firstSegmentBits) }
    private static func firstIndex(ofSegment segment: Int) -> Int { size(ofSegment: segment) - (1 << firstSegmentBits) }
}

/// One ticket's entries in a `HistoryColumn`: where its newest is, and how many it has.
struct HistoryChain: Sendable {
    private let column: HistoryColumn
    private var last: Int32 = -1
    private(set) var count: Int32 = 0

    init(column: HistoryColumn) {
        self.column = column
    }

    var entries: [HistoryEntry] { column.chain(endingAt: last, count: Int(count)) }

    mutating func append(_ entry: HistoryEntry) {
        last = column.append(entry, after: last)
        count += 1
    }
}
