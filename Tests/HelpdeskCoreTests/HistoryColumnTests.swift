import Foundation
import XCTest
@testable import HelpdeskCore

/// The tickets a desk opens keep their history in one column shared by the desk's copies
/// (`HistoryColumn`): each ticket must still read exactly its own entries, in order, whatever
/// other tickets and other copies of the desk appended meanwhile.
final class HistoryColumnTests: XCTestCase {
    private static func entry(_ seq: Int, _ note: String = "") -> HistoryEntry {
        HistoryEntry(seq: seq, at: Date(timeIntervalSince1970: Double(seq)), actor: "agent\(seq % 7)",
                     via: seq % 5 == 0 ? "root" : nil, event: .escalated(ticket: 1, tier: 2, reason: "\(note)\(seq)"))
    }

    /// Interleaved chains across the column's first segments (1,024, 2,048, 4,096 slots).
    func testInterleavedChainsReadBackTheirOwnEntriesAcrossSegments() {
        let column = HistoryColumn()
        var chains = (0..<13).map { _ in HistoryChain(column: column) }
        var expected = Array(repeating: [HistoryEntry](), count: chains.count)
        for seq in 0..<10_000 {
            let which = seq * seq % chains.count
            chains[which].append(Self.entry(seq))
            expected[which].append(Self.entry(seq))
        }
        for (chain, entries) in zip(chains, expected) {
            XCTAssertEqual(Int(chain.count), entries.count)
            XCTAssertEqual(chain.entries, entries)
        }
        XCTAssertEqual(HistoryChain(column: column).entries, [])
    }

    /// Two copies of a desk go on differently from the same point: each copy's tickets hold what
    /// was applied to that copy, as a desk built from that copy's commands alone does.
    func testCopiesOfADeskAppendingToTheSameColumnKeepTheirOwnHistories() {
        var fixture = DeskFixture()
        let first = fixture.open("First"), second = fixture.open("Second")
        var other = fixture
        try! fixture.run(.take(ticket: first, steal: false), as: "alice")
        try! other.run(.take(ticket: first, steal: false), as: "bob")
        try! other.run(.note(ticket: second, body: "only in the other copy"), as: "bob")
        try! fixture.run(.note(ticket: first, body: "only in the first copy"), as: "alice")

        // Each built from nothing, without copies: a column of its own, no other copy appending.
        var rebuilt = DeskFixture()
        _ = rebuilt.open("First"); _ = rebuilt.open("Second")
        try! rebuilt.run(.take(ticket: first, steal: false), as: "alice")
        try! rebuilt.run(.note(ticket: first, body: "only in the first copy"), as: "alice")
        var rebuiltOther = DeskFixture()
        _ = rebuiltOther.open("First"); _ = rebuiltOther.open("Second")
        try! rebuiltOther.run(.take(ticket: first, steal: false), as: "bob")
        try! rebuiltOther.run(.note(ticket: second, body: "only in the other copy"), as: "bob")

        XCTAssertFalse(fixture.ticket(first).history.contains { $0.actor == "bob" })
        XCTAssertFalse(fixture.ticket(second).history.contains { $0.actor == "bob" })
        XCTAssertTrue(other.ticket(first).history.contains { $0.actor == "bob" })
        XCTAssertTrue(other.ticket(second).history.contains { $0.actor == "bob" })
        XCTAssertEqual(fixture.desk, rebuilt.desk)
        XCTAssertEqual(other.desk, rebuiltOther.desk)
        XCTAssertEqual(fixture.ticket(first).historyCount, fixture.ticket(first).history.count)
    }

    /// Copies appending on several threads at once each keep their own, complete chains.
    func testCopiesAppendingOnSeveralThreadsKeepCompleteChains() {
        let column = HistoryColumn()
        let shared = HistoryChain(column: column)
        let threads = 4, perThread = 5_000
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            var chain = shared
            for step in 0..<perThread { chain.append(Self.entry(thread * perThread + step)) }
            results.keep(chain.entries, for: thread)
        }
        for thread in 0..<threads {
            XCTAssertEqual(results.entries[thread], (0..<perThread).map { Self.entry(thread * perThread + $0) })
        }
    }

    /// A replayed ticket's history changed in place (not by recording an event) is gathered into an
    /// array of its own first; events recorded afterwards follow it, and other tickets are untouched.
    func testChangingAReplayedHistoryInPlaceKeepsEveryEntry() {
        var fixture = DeskFixture()
        let first = fixture.open("First"), second = fixture.open("Second")
        var desk = fixture.desk
        var ticket = desk.ticket(first)!
        let before = ticket.history
        ticket.history[0].actor = "changed"
        XCTAssertEqual(ticket.history.map(\.actor), ["changed"] + before.dropFirst().map(\.actor))
        ticket.appendHistory(Self.entry(99))
        XCTAssertEqual(ticket.history.count, before.count + 1)
        XCTAssertEqual(ticket.historyCount, before.count + 1)
        XCTAssertEqual(ticket.history.last, Self.entry(99))
        try! fixture.run(.take(ticket: second, steal: false), as: "carol")
        desk = fixture.desk
        XCTAssertEqual(desk.ticket(first)!.history, before)
        XCTAssertEqual(desk.ticket(second)!.history.last?.actor, "carol")
    }

    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var entries: [Int: [HistoryEntry]] = [:]

        func keep(_ chain: [HistoryEntry], for thread: Int) {
            lock.withLock { entries[thread] = chain }
        }
    }
}
