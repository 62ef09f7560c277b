import XCTest
@testable import HelpdeskCore

final class QueryTests: XCTestCase {
    func testListingFilters() throws {
        var fixture = DeskFixture()
        let a = fixture.open("A"), b = fixture.open("B"), c = fixture.open("C"), d = fixture.open("D")
        try fixture.run(.take(ticket: a, steal: false), as: "alice")
        try fixture.run(.take(ticket: b, steal: false), as: "bob")
        try fixture.run(.escalate(ticket: b, reason: "hard", tier: nil), as: "bob")
        try fixture.run(.resolve(ticket: c), as: "alice")
        try fixture.run(.close(ticket: d), as: "alice")
        func ids(_ query: TicketQuery) -> [Int] { fixture.desk.tickets(matching: query).map(\.id) }
        XCTAssertEqual(ids(TicketQuery()), [a, b, c], "by default everything that is not closed")
        XCTAssertEqual(ids(TicketQuery(statuses: .all)), [a, b, c, d])
        XCTAssertEqual(ids(TicketQuery(statuses: .only(.solved))), [c])
        XCTAssertEqual(ids(TicketQuery(assignment: .assigned(to: "alice"))), [a])
        XCTAssertEqual(ids(TicketQuery(assignment: .unassigned)), [b, c])
        XCTAssertEqual(ids(TicketQuery(tier: 2)), [b])
    }

    func testSummary() throws {
        var fixture = DeskFixture()
        let a = fixture.open("A", priority: .urgent)
        fixture.advance(60)
        let b = fixture.open("B")
        fixture.advance(60)
        let c = fixture.open("C", priority: .low)
        try fixture.run(.take(ticket: a, steal: false), as: "alice")
        try fixture.run(.reply(ticket: a, body: "on it"), as: "alice")
        try fixture.run(.resolve(ticket: c), as: "bob")
        let summary = fixture.desk.summary(now: fixture.now)
        XCTAssertEqual(summary.byStatus.map(\.count), [1, 1, 0, 0, 1, 0])
        XCTAssertEqual(summary.byPriority.map(\.priority), [.urgent, .high, .normal, .low])
        XCTAssertEqual(summary.byPriority.map(\.count), [1, 0, 1, 0])
        XCTAssertEqual(summary.byTier.map(\.count), [2, 0, 0])
        XCTAssertEqual(summary.byAssignee.map(\.assignee), ["alice", nil])
        XCTAssertEqual(summary.byAssignee.map(\.count), [1, 1])
        XCTAssertEqual(summary.active, 2)
        XCTAssertEqual(summary.oldestWaiting?.ticket, b, "a was answered; b waits since it was opened")
    }
}
