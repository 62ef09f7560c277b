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

    func testPriorityTagsAndChannelFiltersAllMustMatch() throws {
        var fixture = DeskFixture()
        let a = fixture.open("A", priority: .urgent), b = fixture.open("B"), c = fixture.open("C", priority: .urgent)
        try fixture.run(.openTicket(customerEmail: "joe@example.com", customerName: "Joe", subject: "D", channel: .phone,
                                    priority: .urgent, body: nil), as: "alice")
        let d = 4
        try fixture.run(.changeTags(ticket: a, add: ["vip", "billing"], remove: []), as: "bob")
        try fixture.run(.changeTags(ticket: b, add: ["vip"], remove: []), as: "bob")
        try fixture.run(.changeTags(ticket: d, add: ["billing", "vip"], remove: []), as: "bob")
        func ids(_ query: TicketQuery) -> [Int] { fixture.desk.tickets(matching: query, now: fixture.now).map(\.id) }
        XCTAssertEqual(ids(TicketQuery(priority: .urgent)), [a, c, d])
        XCTAssertEqual(ids(TicketQuery(tags: ["vip"])), [a, b, d])
        XCTAssertEqual(ids(TicketQuery(tags: ["VIP", "billing"])), [a, d], "every tag, in any case")
        XCTAssertEqual(ids(TicketQuery(channel: .phone)), [d])
        XCTAssertEqual(ids(TicketQuery(priority: .urgent, tags: ["billing"], channel: .email)), [a])
        XCTAssertEqual(ids(TicketQuery(tags: ["absent"])), [])
    }

    func testSortsUrgencyAsTheQueueDoesAndTheOthersByTheirValue() throws {
        var fixture = DeskFixture()
        let low = fixture.open("low", priority: .low)
        fixture.advance(60)
        let urgent = fixture.open("urgent", priority: .urgent)
        fixture.advance(60)
        let normal = fixture.open("normal")
        fixture.advance(60)
        let solved = fixture.open("solved", priority: .urgent)
        try fixture.run(.resolve(ticket: solved), as: "alice")
        fixture.advance(60)
        try fixture.run(.setPriority(ticket: low, priority: .high), as: "alice")
        func ids(_ sort: TicketSort) -> [Int] {
            fixture.desk.tickets(matching: TicketQuery(sort: sort), now: fixture.now).map(\.id)
        }
        XCTAssertEqual(ids(.id), [low, urgent, normal, solved])
        XCTAssertEqual(ids(.oldest), [low, urgent, normal, solved])
        XCTAssertEqual(ids(.newest), [solved, normal, urgent, low])
        XCTAssertEqual(ids(.updated), [low, solved, normal, urgent])
        XCTAssertEqual(ids(.urgency), [urgent, low, normal, solved],
                       "the SLA due soonest first (urgent 1h, high 4h, normal 8h); a solved ticket has no clock")
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
