import XCTest
@testable import HelpdeskCore

/// The figures per group: the wallboard's queues and availability, and the report's per-group
/// part and `--group` cut (in trends too).
final class GroupFiguresTests: XCTestCase {
    /// billing (alice, round-robin) and tech (bob, off); #1 #2 billing, #3 tech, #4 in no group.
    func makeDesk() throws -> DeskFixture {
        var f = DeskFixture()
        try f.run(.team(.addGroup(name: "billing", displayName: "Billing")), as: "sam")
        try f.run(.team(.addGroup(name: "tech", displayName: nil)), as: "sam")
        try f.run(.team(.addMember(group: "billing", agent: "alice")), as: "sam")
        try f.run(.team(.addMember(group: "tech", agent: "bob")), as: "sam")
        try f.run(.team(.setAssignMode(group: "billing", mode: .roundRobin, capacity: nil)), as: "sam")
        for (subject, group) in [("Invoice", "billing"), ("Refund", "billing"), ("Crash", "tech"), ("Hello", nil)] {
            let id = f.open(subject)
            if let group { try f.run(.team(.setGroup(ticket: id, group: group)), as: "sam") }
            f.advance(60)
        }
        return f
    }

    func testTheBoardCountsEachGroupsQueueAndWhoIsAvailable() throws {
        var f = try makeDesk()
        try f.run(.take(ticket: 3, steal: false), as: "bob")
        var board = BoardFigures.make(desk: f.desk, now: f.now)
        XCTAssertEqual(board.groups, [
            .init(name: "billing", backlog: 2, unassigned: 2, waiting: 2),
            .init(name: "tech", backlog: 1, unassigned: 0, waiting: 0),
        ], "billing hands tickets out and nobody is available; tech does not hand out")
        XCTAssertTrue(board.showsAvailability)
        XCTAssertEqual(board.agents.filter(\.available).map(\.account), [])

        try f.run(.team(.available(until: nil)), as: "alice")
        board = BoardFigures.make(desk: f.desk, now: f.now)
        XCTAssertEqual(board.agents.filter(\.available).map(\.account), ["alice"])
        try f.run(.team(.handOutWaiting), as: AutoAssignment.actor)
        board = BoardFigures.make(desk: f.desk, now: f.now)
        XCTAssertEqual(board.groups.first, .init(name: "billing", backlog: 2, unassigned: 0, waiting: 0))
        try f.run(.team(.away), as: "alice")
        XCTAssertEqual(BoardFigures.make(desk: f.desk, now: f.now).agents.filter(\.available).map(\.account), [])

        let plain = DeskFixture()
        let empty = BoardFigures.make(desk: plain.desk, now: plain.now)
        XCTAssertEqual(empty.groups, [])
        XCTAssertFalse(empty.showsAvailability, "a desk without groups or availability shows neither")
    }

    func testTheReportCountsEachGroupAndCutsToOne() throws {
        var f = try makeDesk()
        let start = f.now.addingTimeInterval(-3600)
        for id in [1, 3, 4] {
            try f.run(.take(ticket: id, steal: false), as: id == 1 ? "alice" : "bob")
            try f.run(.reply(ticket: id, body: "Done"), as: id == 1 ? "alice" : "bob")
        }
        try f.run(.resolve(ticket: 1), as: "alice")
        try f.run(.resolve(ticket: 4), as: "bob")
        f.advance(3600)
        let whole = DeskReport.make(desk: f.desk, since: start, now: f.now)
        XCTAssertNil(whole.group)
        XCTAssertEqual(whole.groups.map(\.name), ["billing", "tech"])
        XCTAssertEqual(whole.groups.map(\.displayName), ["Billing", "tech"])
        XCTAssertEqual(whole.groups.map(\.opened), [2, 1])
        XCTAssertEqual(whole.groups.map(\.solved), [1, 0])
        XCTAssertEqual(whole.groups.map(\.backlog), [1, 1])

        let billing = DeskReport.make(desk: f.desk, since: start, now: f.now, group: "billing")
        XCTAssertEqual([billing.opened, billing.solved, billing.backlog], [2, 1, 1])
        XCTAssertEqual(billing.groups.map(\.name), ["billing"])
        XCTAssertEqual(billing.agents.first { $0.account == "bob" }?.solved, 0, "bob's solve was of a ticket in no group")
        let none = DeskReport.make(desk: f.desk, since: start, now: f.now, group: "none")
        XCTAssertEqual([none.opened, none.solved, none.backlog], [1, 1, 0])
        XCTAssertEqual(none.groups, [])
        XCTAssertEqual(DeskReport.make(desk: DeskFixture().desk, since: start, now: f.now).groups, [], "no groups")

        let trend = TrendReport.make(desk: f.desk, by: .day, since: start, now: f.now, timeZone: TimeZone(identifier: "UTC")!,
                                     group: "billing")
        XCTAssertEqual(trend.group, "billing")
        XCTAssertEqual(trend.periods.map(\.opened).reduce(0, +), 2)
        XCTAssertEqual(trend.periods.map(\.solved).reduce(0, +), 1)
        XCTAssertEqual(trend.periods.last?.backlog, 1)
    }
}
