import XCTest
@testable import HelpdeskCore

/// The report's figures against a small desk worked out by hand, and the wallboard's.
final class ReportTests: XCTestCase {
    /// Four tickets on Friday 2027-01-15 (UTC, around the clock):
    /// 1 normal  08:00 opened, 08:30 alice takes, 09:00 alice replies, 11:00 alice solves, 12:00 rated 5 "great"
    /// 2 urgent  09:00 opened, 11:00 bob replies (first response 2h: breached at 10:00), 14:00 bob solves
    ///           (5h: resolution breached at 13:00), 15:00 the customer writes (reopened), 15:30 bob replies,
    ///           16:00 bob solves
    /// 3 high    10:00 opened, never answered (first response breached at 14:00)
    /// 4 low     17:30 opened
    /// The report runs at 18:00 from 07:00.
    func makeDesk() throws -> DeskFixture {
        var desk = DeskFixture()
        func at(_ time: String) { desk.now = utc("2027-01-15T\(time):00Z") }
        at("08:00"); _ = desk.open("Printer", priority: .normal)
        at("08:30"); try desk.run(.take(ticket: 1, steal: false), as: "alice")
        at("09:00"); try desk.run(.reply(ticket: 1, body: "Try this"), as: "alice")
        _ = desk.open("Outage", priority: .urgent)
        at("10:00"); _ = desk.open("Invoice", priority: .high)
        at("11:00"); try desk.run(.resolve(ticket: 1), as: "alice")
        try desk.run(.reply(ticket: 2, body: "Restarting"), as: "bob")
        at("12:00"); try desk.run(.rate(ticket: 1, score: 5, comment: "great"), as: "alice")
        at("14:00"); try desk.run(.resolve(ticket: 2), as: "bob")
        at("15:00"); try desk.run(.addCustomerMessage(ticket: 2, body: "Down again"), as: "bob")
        at("15:30"); try desk.run(.reply(ticket: 2, body: "Fixed for good"), as: "bob")
        at("16:00"); try desk.run(.resolve(ticket: 2), as: "bob")
        at("17:30"); _ = desk.open("Upgrade", priority: .low)
        at("18:00")
        return desk
    }

    func testFiguresMatchTheHandWorkedDesk() throws {
        let desk = try makeDesk()
        let report = DeskReport.make(desk: desk.desk, since: utc("2027-01-15T07:00:00Z"), now: desk.now)
        XCTAssertEqual(report.opened, 4)
        XCTAssertEqual(report.solved, 2)
        XCTAssertEqual(report.backlog, 2)
        XCTAssertEqual(report.firstResponse.count, 2)
        XCTAssertEqual(report.firstResponse.median, 1.5 * hour, "1h and 2h")
        XCTAssertEqual(report.firstResponse.p90, 2 * hour)
        XCTAssertEqual(report.resolution.median, 5 * hour, "3h and 7h (to the last solve)")
        XCTAssertEqual(report.resolution.p90, 7 * hour)
        let compliance = Dictionary(uniqueKeysWithValues: report.compliance.map { ($0.target, $0) })
        XCTAssertEqual(compliance[.firstResponse]?.metInTime, 1)
        XCTAssertEqual(compliance[.firstResponse]?.breached, 2, "#2 late, #3 never answered")
        XCTAssertEqual(compliance[.firstResponse]?.rate ?? 0, 1.0 / 3, accuracy: 1e-9)
        XCTAssertEqual(compliance[.nextResponse]?.metInTime, 1)
        XCTAssertEqual(compliance[.nextResponse]?.breached, 0)
        XCTAssertEqual(compliance[.nextResponse]?.rate, 1)
        XCTAssertEqual(compliance[.resolution]?.metInTime, 1)
        XCTAssertEqual(compliance[.resolution]?.breached, 1)
        XCTAssertEqual(report.backlogByAge.map(\.label), ["<1h", "<8h", "<1d", "<3d", "older"])
        XCTAssertEqual(report.backlogByAge.map(\.count), [1, 0, 1, 0, 0], "#4 is 30m old, #3 8h")
        XCTAssertEqual(report.reopened, 1)
        XCTAssertEqual(report.reopenRate, 0.5)
        XCTAssertEqual(report.ratings, 1)
        XCTAssertEqual(report.averageRating, 5)
        XCTAssertEqual(report.rated, 1)
        XCTAssertEqual(report.ratingResponseRate, 0.5)
        XCTAssertEqual(report.agents.map(\.account), ["sam", "alice", "bob", "carol"])
        let alice = report.agents[1], bob = report.agents[2]
        XCTAssertEqual([alice.assignedOpen, alice.solved, alice.replies, alice.firstResponse.count], [0, 1, 1, 1])
        XCTAssertEqual(alice.firstResponse.median, 1 * hour)
        XCTAssertEqual([bob.assignedOpen, bob.solved, bob.replies, bob.firstResponse.count], [0, 1, 2, 1])
        XCTAssertEqual(bob.firstResponse.median, 2 * hour)
    }

    func testAShorterPeriodCountsLess() throws {
        let desk = try makeDesk()
        let report = DeskReport.make(desk: desk.desk, since: utc("2027-01-15T13:30:00Z"), now: desk.now)
        XCTAssertEqual(report.opened, 1, "only #4")
        XCTAssertEqual(report.solved, 1, "only #2 (14:00, 16:00)")
        XCTAssertEqual(report.resolution.median, 7 * hour)
        XCTAssertEqual(report.firstResponse.count, 0)
        XCTAssertNil(report.firstResponse.median)
        let compliance = Dictionary(uniqueKeysWithValues: report.compliance.map { ($0.target, $0) })
        XCTAssertEqual(compliance[.firstResponse]?.breached, 1, "#3 breached at 14:00")
        XCTAssertEqual(compliance[.resolution]?.breached, 0, "#2 breached at 13:00, before the period")
        XCTAssertEqual(report.ratings, 0)
        XCTAssertNil(report.averageRating)
    }

    func testPercentiles() {
        let values: [TimeInterval] = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6]
        XCTAssertEqual(Distribution(values).median, 5.5)
        XCTAssertEqual(Distribution(values).p90, 9)
        XCTAssertEqual(Distribution([42]).p90, 42)
        XCTAssertNil(Distribution([]).median)
    }

    func testWallboardFigures() throws {
        var desk = try makeDesk()
        desk.now = utc("2027-01-15T18:00:00Z")
        let board = BoardFigures.make(desk: desk.desk, now: desk.now, timeZone: TimeZone(identifier: "UTC")!)
        XCTAssertEqual(board.summary.active, 2)
        XCTAssertEqual(board.unassigned, 2)
        XCTAssertEqual(board.oldestUnassigned?.ticket, 3)
        XCTAssertEqual(board.breached.map(\.ticket), [3])
        XCTAssertEqual(board.breached.first?.target, .firstResponse)
        XCTAssertEqual(board.breached.first?.timeLeft, -4 * hour)
        XCTAssertEqual(board.atRisk, [])
        XCTAssertEqual(board.agents.map(\.account), ["sam", "alice", "bob", "carol"])
        XCTAssertEqual(board.agents[2].solvedToday, 1, "bob solved #2 (twice: one ticket)")
        XCTAssertEqual(board.agents[2].medianFirstResponseToday, 2 * hour)
        XCTAssertEqual(board.ratingCount, 1)
        XCTAssertEqual(board.lastComments.map(\.comment), ["great"])
        // 25 hourly samples ending now: nothing before 08:00, then the tickets as they came and went.
        XCTAssertEqual(board.backlogSeries.count, 25)
        XCTAssertEqual(Array(board.backlogSeries.suffix(11)), [1, 2, 3, 2, 2, 2, 1, 2, 1, 1, 2],
                       "08:00 … 18:00")
        XCTAssertEqual(board.nextChange, utc("2027-01-16T04:00:00Z"),
                       "#3's resolution (1d, 8h used) comes at risk with 6h left, in 10h")
    }
}
