/// A set of ticket indices (id - 1), one bit each: membership is one load, intersection is one
/// AND per 64 tickets, and the members are visited in id order, the order the search text is in.
struct TicketSet: Equatable {
    private(set) var words: [UInt64]

    /// An empty set with room for indices below `capacity`.
    init(capacity: Int) {
        words = Array(repeating: 0, count: (capacity + 63) / 64)
    }

    /// The tickets `ids` names (ids, not indices).
    init(ids: [Int], capacity: Int) {
        self.init(capacity: capacity)
        words.withUnsafeMutableBufferPointer { words in
            for id in ids where id >= 1 && id <= capacity { words[(id - 1) >> 6] |= 1 << UInt64((id - 1) & 63) }
        }
    }

    /// How many members.
    var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Makes room for indices below `capacity`.
    mutating func reserve(_ capacity: Int) {
        let count = (capacity + 63) / 64
        if words.count < count { words.append(contentsOf: repeatElement(0, count: count - words.count)) }
    }

    @inline(__always)
    func contains(_ index: Int) -> Bool {
        let word = index >> 6
        return word < words.count && words[word] & (1 << UInt64(index & 63)) != 0
    }

    @inline(__always)
    mutating func insert(_ index: Int) {
        words[index >> 6] |= 1 << UInt64(index & 63)
    }

    /// Adds the members `bits` names among indices 64 × `word` ..< 64 × (`word` + 1).
    mutating func insert(bits: UInt64, atWord word: Int) {
        words[word] |= bits
    }

    @inline(__always)
    mutating func remove(_ index: Int) {
        words[index >> 6] &= ~(1 << UInt64(index & 63))
    }

    mutating func formIntersection(_ other: TicketSet) {
        let shared = min(words.count, other.words.count)
        words.withUnsafeMutableBufferPointer { mine in
            other.words.withUnsafeBufferPointer { theirs in
                for word in 0..<shared { mine[word] &= theirs[word] }
            }
            for word in shared..<mine.count { mine[word] = 0 }
        }
    }

    /// Adds the members of `other` (within this set's capacity).
    mutating func formUnion(_ other: TicketSet) {
        let shared = min(words.count, other.words.count)
        words.withUnsafeMutableBufferPointer { mine in
            other.words.withUnsafeBufferPointer { theirs in
                for word in 0..<shared { mine[word] |= theirs[word] }
            }
        }
    }

    /// Calls `body` with every member, smallest first.
    @inline(__always)
    func forEach(_ body: (Int) -> Void) {
        for word in words.indices {
            var bits = words[word]
            while bits != 0 {
                body(word << 6 | bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
    }

    /// The ids of `ordered` that are members, in the order given. A tight loop: it runs over
    /// the whole view on the first keystroke.
    func keeping(_ ordered: [Int]) -> [Int] {
        [Int](unsafeUninitializedCapacity: min(count, ordered.count)) { result, kept in
            kept = 0
            words.withUnsafeBufferPointer { words in
                for id in ordered {
                    let index = UInt(bitPattern: id &- 1)
                    let word = Int(truncatingIfNeeded: index >> 6)
                    guard word < words.count, words[word] & (1 << UInt64(index & 63)) != 0, kept < result.count else { continue }
                    result[kept] = id
                    kept += 1
                }
            }
        }
    }
}
