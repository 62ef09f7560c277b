import Foundation
import XCTest
@testable import HelpdeskCore
@testable import HelpdeskLog
import HelpdeskTestSupport

/// A desk opened from a snapshot lists through the keys the snapshot kept of each ticket
/// (`SavedKeys`), reading only the tickets that can match: every listing equals the one that
/// reads every ticket, and the full replay's, across assignments, merges, moves between groups
/// and closes after the snapshot, from a refreshed snapshot, and at a moment after a checkpoint.
final class ListingKeysTests: XCTestCase {
    /// The desk's time: a minute passes with each command.
    var clock = Timestamp.parse("2027-02-01T09:00:00Z")!

    private func run(_ log: DeskLog, _ command: Command, as actor: String = LogFixture.supervisor) throws {
        clock = clock.addingTimeInterval(60)
        _ = try log.append(actor: actor, now: clock) { desk, now throws(Refusal) in
            try Rules.decide(command, by: actor, at: now, on: desk)
        }
    }

    private func queries() -> [TicketQuery] {
        let statuses: [TicketQuery.Statuses] = [.notClosed, .all] + Status.allCases.map { .only($0) }
        let assignments: [TicketQuery.Assignment] = [.anyone, .unassigned, .assigned(to: "nobody"),
                                                     .assigned(to: "alice"), .assigned(to: "bob"), .assigned(to: "carol")]
        var queries = statuses.flatMap { statuses in assignments.map { TicketQuery(statuses: statuses, assignment: $0) } }
        queries += Priority.allCases.map { TicketQuery(statuses: .all, priority: $0) }
        queries += Channel.allCases.map { TicketQuery(channel: $0) }
        queries += [1, 2, 3, 300].map { TicketQuery(statuses: .all, tier: $0) }
        queries += [TicketQuery(tags: ["vip"]), TicketQuery(statuses: .all, assignment: .assigned(to: "alice"), tags: ["vip"])]
        for group in ["billing", "sales", "none", "nosuch"] {
            for assignment in [TicketQuery.Assignment.anyone, .assigned(to: "alice")] {
                var query = TicketQuery(statuses: .all, assignment: assignment)
                query.group = group
                queries.append(query)
            }
        }
        return queries
    }

    /// Each listing of `desk`, checked against reading every ticket.
    private func listings(_ desk: Desk, _ context: String) -> [[Int]] {
        queries().map { query in
            let listed = desk.tickets(matching: query).map(\.id)
            XCTAssertEqual(listed, desk.tickets.filter(query.matches).map(\.id), "\(context): \(query)")
            return listed
        }
    }

    func testListingsThroughTheSavedKeysEqualThoseReadingEveryTicket() throws {
        let path = try makeTemporaryDirectory().file("desk.log")
        let log = try DeskLog.create(path: path, actor: LogFixture.supervisor, displayName: "Root", now: clock)
        for (account, tier) in [("alice", 1), ("bob", 2)] {
            try run(log, .addAgent(account: account, displayName: nil, role: .agent, tier: tier))
        }
        for group in ["billing", "sales"] {
            try run(log, .team(.addGroup(name: group, displayName: nil)))
            for agent in ["alice", "bob"] { try run(log, .team(.addMember(group: group, agent: agent))) }
        }
        for index in 0..<14 {
            try run(log, .openTicket(customerEmail: "c\(index % 4)@example.com", customerName: nil, subject: "Ticket \(index)",
                                     channel: Channel.allCases[index % Channel.allCases.count],
                                     priority: Priority.allCases[index % Priority.allCases.count], body: "Help"))
        }
        for id in 1...6 { try run(log, .give(ticket: id, to: id % 2 == 0 ? "alice" : "bob")) }
        for id in [2, 3, 7] { try run(log, .team(.setGroup(ticket: id, group: "billing"))) }
        try run(log, .changeTags(ticket: 2, add: ["vip"], remove: []))
        try run(log, .close(ticket: 10))
        try run(log, .resolve(ticket: 9))
        try run(log, .escalate(ticket: 11, reason: "hard", tier: 2))
        XCTAssertTrue(try log.writeSnapshot(now: clock))
        let snapshotAt = clock

        // After the snapshot: assignments change hands, a merge, moves between groups, closes.
        try run(log, .give(ticket: 2, to: "bob"))
        try run(log, .release(ticket: 3))
        try run(log, .take(ticket: 8, steal: false), as: "alice")
        try run(log, .merge(source: 4, target: 6))
        try run(log, .team(.setGroup(ticket: 7, group: "sales")))
        try run(log, .team(.setGroup(ticket: 3, group: nil)))
        try run(log, .close(ticket: 5))
        try run(log, .resolve(ticket: 6))
        try run(log, .reopen(ticket: 9))
        try run(log, .setPriority(ticket: 12, priority: .low))
        try run(log, .changeTags(ticket: 12, add: ["vip"], remove: []))
        try run(log, .openTicket(customerEmail: "new@example.com", customerName: nil, subject: "After", channel: .email,
                                 priority: .high, body: "Hi"))
        try run(log, .give(ticket: 15, to: "alice"))

        let replayed = try DeskLog(path: path, writable: false, snapshots: false).desk
        let expected = listings(replayed, "full replay")
        XCTAssertTrue(expected.contains { $0.count > 2 }, "the listings find tickets")
        let opened = try DeskLog(path: path, writable: false)
        XCTAssertGreaterThan(opened.snapshotCovers.seq, 0)
        XCTAssertNotNil(opened.desk.savedTicketKeys, "listed through the snapshot's keys")
        XCTAssertEqual(listings(opened.desk, "the snapshot and the records after it"), expected)

        // A refreshed snapshot copies the keys of the tickets nobody changed.
        XCTAssertTrue(try DeskLog(path: path, writable: true).writeSnapshot(now: clock))
        let refreshed = try DeskLog(path: path, writable: false)
        XCTAssertEqual(refreshed.snapshotCovers.seq, replayed.lastSeq)
        XCTAssertEqual(listings(refreshed.desk, "the refreshed snapshot"), expected)

        // At a moment after the checkpoint the first snapshot left: the checkpoint and a replay to there.
        for minutes in [2, 5, 9] {
            let moment = snapshotAt.addingTimeInterval(Double(minutes) * 60 + 30)
            let travelled = try DeskLog(location: .file(path: path), asOf: moment)
            XCTAssertEqual(travelled.snapshotCovers.seq, opened.snapshotCovers.seq, "from the checkpoint")
            XCTAssertNotNil(travelled.desk.savedTicketKeys)
            _ = listings(travelled.desk, "at +\(minutes) min")
        }
    }
}
