import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog

/// The queue order moves only the tickets a record changed, and must always be exactly the order
/// a build from scratch gives, whatever the sort.
final class QueueOrderTests: XCTestCase {
    private func assertSameAsFresh(_ order: QueueOrder, _ fixture: ConsoleFixture, _ sort: QueueSort, _ step: String,
                                   scope: QueueScope = .everyTicket, file: StaticString = #filePath, line: UInt = #line) {
        let fresh = QueueOrder(desk: fixture.log.desk, sort: sort, now: fixture.now, scope: scope)
        XCTAssertEqual(order.entries.map(\.id), fresh.entries.map(\.id), "\(sort.rawValue), after \(step)", file: file, line: line)
        XCTAssertEqual(order.entries.map(\.status), fresh.entries.map(\.status), file: file, line: line)
        XCTAssertEqual(order.entries.map(\.assignee), fresh.entries.map(\.assignee), file: file, line: line)
        XCTAssertEqual(order.entries.map(\.tier), fresh.entries.map(\.tier), file: file, line: line)
    }

    func testMovingTheChangedTicketsGivesTheFreshOrderForEverySort() throws {
        let fixture = try ConsoleFixture()
        let priorities: [Priority] = [.low, .normal, .high, .urgent]
        for index in 0..<40 {
            try fixture.open("Ticket \(index)", email: "c\(index % 9)@example.com", priority: priorities[index % 4],
                             hoursAgo: Double(40 - index) / 4)
        }
        var generator = SystemRandomNumberGenerator()
        let seed = UInt64.random(in: 0...UInt64.max, using: &generator)
        var random = SeededRandom(seed: seed)
        // Told which tickets the records touched (as the console is), or comparing every ticket.
        // Every ticket, the active and solved ones, or the active ones alone (tickets leave and join
        // as they are solved, closed and reopened).
        let cases = QueueSort.allCases.flatMap { sort in [(sort, false), (sort, true)] }.flatMap { [($0, $1, QueueScope.everyTicket), ($0, $1, .activeAndSolved), ($0, $1, .active)] }
        for (sort, told, scope) in cases {
            fixture.log.notesTouchedTickets = told
            _ = fixture.log.takeTouchedTickets()
            var clocks = SLADueCache()
            var order = QueueOrder(desk: fixture.log.desk, sort: sort, now: fixture.now, scope: scope, clocks: &clocks)
            for step in 0..<60 {
                let desk = fixture.log.desk
                let id = 1 + Int(random.next() % UInt64(desk.tickets.count))
                let commands: [Command] = [
                    .take(ticket: id, steal: true), .release(ticket: id), .give(ticket: id, to: "carol"),
                    .setPriority(ticket: id, priority: priorities[Int(random.next() % 4)]),
                    .reply(ticket: id, body: "On it"), .addCustomerMessage(ticket: id, body: "Any news?"),
                    .scheduleFollowUp(ticket: id, due: fixture.now.addingTimeInterval(Double(random.next() % 7200) - 3600), note: nil),
                    .escalate(ticket: id, reason: "specialist", tier: nil), .resolve(ticket: id), .reopen(ticket: id),
                    .openTicket(customerEmail: "new\(step)@example.com", customerName: nil, subject: "New \(step)",
                                channel: .chat, priority: priorities[step % 4], body: "Hello"),
                ]
                let command = commands[Int(random.next() % UInt64(commands.count))]
                do {
                    try fixture.run(command, as: "bob")
                } catch is Refusal {
                    continue  // not possible in the ticket's state: nothing changed
                }
                let touched = told ? fixture.log.takeTouchedTickets() : nil
                if !order.update(desk: fixture.log.desk, now: fixture.now, clocks: &clocks, touched: touched) {
                    order = QueueOrder(desk: fixture.log.desk, sort: sort, now: fixture.now, scope: scope, clocks: &clocks)
                }
                assertSameAsFresh(order, fixture, sort, "step \(step) (\(command)), told \(told), \(scope), seed \(seed)", scope: scope)
            }
        }
    }

    func testAPolicyChangeRebuildsTheOrder() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Slow", priority: .low, hoursAgo: 23.9)
        try fixture.open("Fast", priority: .urgent, hoursAgo: 0)
        var clocks = SLADueCache()
        var order = QueueOrder(desk: fixture.log.desk, sort: .urgency, now: fixture.now, clocks: &clocks)
        XCTAssertEqual(order.entries.map(\.id), [1, 2], "the low ticket's 24h runs out in 6 minutes, the urgent one's 1h in an hour")
        _ = try fixture.log.append(actor: "sam", now: Date()) { desk, _ throws(Refusal) in
            try SLARules.decide(.setTargets(priority: .low, firstResponse: 7 * 86_400, nextResponse: nil, resolution: 30 * 86_400),
                                by: "sam", on: desk)
        }
        XCTAssertFalse(order.update(desk: fixture.log.desk, now: fixture.now, clocks: &clocks),
                       "no ticket changed, but every due time may have")
        order = QueueOrder(desk: fixture.log.desk, sort: .urgency, now: fixture.now, clocks: &clocks)
        XCTAssertEqual(order.entries.map(\.id), [2, 1])
    }
}
