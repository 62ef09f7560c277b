import Foundation

/// How many tickets are in each status, and which are active (neither solved nor closed), kept
/// as events change them: `status` and the SLA escalation look at the active tickets only,
/// a small part of a desk that has been answering customers for a year.
public struct StatusIndex: Equatable, Sendable {
    /// By position in `Status.allCases`.
    public private(set) var counts: [Int]
    /// Bit `id - 1` is set for an active ticket.
    public private(set) var activeWords: [UInt64]

    public init() {
        counts = Array(repeating: 0, count: Status.allCases.count)
        activeWords = []
    }

    /// An index as it was saved.
    public init?(restoringCounts counts: [Int], activeWords: [UInt64]) {
        guard counts.count == Status.allCases.count else { return nil }
        self.counts = counts
        self.activeWords = activeWords
    }

    /// Works the index out from every ticket.
    public init(_ tickets: some Sequence<Ticket>) {
        self.init()
        for ticket in tickets { move(ticket.id, from: nil, to: ticket.status) }
    }

    public func count(_ status: Status) -> Int { counts[Status.position(status)] }

    /// A ticket entered `to` (from `from`, or new).
    mutating func move(_ id: Int, from: Status?, to: Status) {
        if let from { counts[Status.position(from)] -= 1 }
        counts[Status.position(to)] += 1
        let word = (id - 1) >> 6, bit = UInt64(1) << UInt64((id - 1) & 63)
        if word >= activeWords.count { activeWords.append(contentsOf: repeatElement(0, count: word + 1 - activeWords.count)) }
        if to.isActive { activeWords[word] |= bit } else { activeWords[word] &= ~bit }
    }

    /// The active tickets' ids, in order.
    public var activeIDs: [Int] {
        var ids: [Int] = []
        for (index, word) in activeWords.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                ids.append(index << 6 + bits.trailingZeroBitCount + 1)
                bits &= bits - 1
            }
        }
        return ids
    }
}

extension Status {
    /// The position in `allCases`.
    static func position(_ status: Status) -> Int {
        switch status {
        case .new: 0
        case .open: 1
        case .pending: 2
        case .onHold: 3
        case .solved: 4
        case .closed: 5
        }
    }
}
