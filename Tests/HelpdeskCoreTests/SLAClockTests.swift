import XCTest
@testable import HelpdeskCore

/// The clocks as pure functions of a ticket's history, the policy and the moment asked about.
final class SLAClockTests: XCTestCase {
    func testAClockRunsThenBreachesAtItsDueTime() {
        var desk = DeskFixture()
        let opened = desk.now
        let id = desk.open(priority: .normal)
        desk.advance(2 * hour)
        var sla = desk.sla(id)
        let first = try! XCTUnwrap(sla.clock(.firstResponse))
        XCTAssertEqual(first.state, .running)
        XCTAssertEqual(first.due, opened.addingTimeInterval(8 * hour))
        XCTAssertEqual(first.left, 6 * hour)
        XCTAssertEqual(first.timeLeft(now: desk.now), 6 * hour)
        XCTAssertFalse(first.isAtRisk)
        XCTAssertEqual(sla.due(.resolution), opened.addingTimeInterval(3 * 86_400))
        XCTAssertNil(sla.clock(.nextResponse), "no next response before a first one")
        XCTAssertEqual(sla.breached, [])

        desk.advance(4 * hour + 30 * minute)
        XCTAssertTrue(desk.sla(id).clock(.firstResponse)!.isAtRisk, "1h30m of 8h left is under a quarter")
        desk.advance(2 * hour)
        sla = desk.sla(id)
        XCTAssertEqual(sla.breached, [.firstResponse])
        XCTAssertEqual(sla.clock(.firstResponse)?.breachedAt, opened.addingTimeInterval(8 * hour))
        XCTAssertEqual(sla.clock(.firstResponse)?.timeLeft(now: desk.now), -30 * minute)
        XCTAssertEqual(sla.pressing?.target, .firstResponse, "the breached clock is the pressing one")
    }

    /// A running clock's due time is the same whenever it is asked (`export` printed it a
    /// millisecond early now and then: issue 14's exports of one desk from two stores differed).
    func testARunningClocksDueTimeDoesNotDependOnTheMomentAsked() {
        var desk = DeskFixture()
        desk.now = utc("2027-01-15T08:00:00.527Z")
        let id = desk.open(priority: .normal)
        let opened = desk.now
        for step in 0..<500 {
            desk.now = opened.addingTimeInterval(3600 + Double(step) * 0.000_737)
            XCTAssertEqual(desk.sla(id).due(.firstResponse).map(Timestamp.format), "2027-01-15T16:00:00.527Z", "asked at \(step)")
        }
    }

    func testRepliesMeetResponsesAndCustomerMessagesStartNextResponses() throws {
        var desk = DeskFixture()
        let id = desk.open(priority: .high)
        desk.advance(1 * hour)
        try desk.run(.reply(ticket: id, body: "On it"), as: "alice")
        var sla = desk.sla(id)
        XCTAssertEqual(sla.clock(.firstResponse)?.state, .met)
        XCTAssertNil(sla.due(.firstResponse), "a met target no longer applies")
        XCTAssertNil(sla.clock(.nextResponse))

        desk.advance(2 * hour)
        let wrote = desk.now
        try desk.run(.addCustomerMessage(ticket: id, body: "Still broken"), as: "alice")
        desk.advance(1 * hour)
        sla = desk.sla(id)
        XCTAssertEqual(sla.clock(.nextResponse)?.state, .running)
        XCTAssertEqual(sla.due(.nextResponse), wrote.addingTimeInterval(4 * hour))
        desk.advance(4 * hour)
        XCTAssertEqual(desk.sla(id).breached, [.nextResponse])
        try desk.run(.reply(ticket: id, body: "Fixed now"), as: "alice")
        sla = desk.sla(id)
        XCTAssertEqual(sla.clock(.nextResponse)?.state, .met)
        XCTAssertEqual(sla.breached, [.nextResponse], "met late: still a breach of that run")
        XCTAssertEqual(sla.runs.filter { $0.target == .nextResponse }.count, 1)

        try desk.run(.addCustomerMessage(ticket: id, body: "Thanks, one more thing"), as: "alice")
        sla = desk.sla(id)
        XCTAssertEqual(sla.runs.filter { $0.target == .nextResponse }.count, 2, "a new run")
        XCTAssertEqual(sla.breached, [], "the new run has not breached")
    }

    func testClocksPauseWhilePendingAndResumeWhenTheFollowUpFallsDue() throws {
        var desk = DeskFixture()
        let opened = desk.now
        let id = desk.open(priority: .urgent)  // 1h first response, 4h resolution
        desk.advance(20 * minute)
        try desk.run(.scheduleFollowUp(ticket: id, due: desk.now.addingTimeInterval(3 * hour), note: nil), as: "alice")
        desk.advance(2 * hour)
        var sla = desk.sla(id)
        XCTAssertEqual(sla.clock(.firstResponse)?.state, .paused)
        XCTAssertNil(sla.due(.firstResponse), "no due time while paused")
        XCTAssertEqual(sla.clock(.firstResponse)?.used, 20 * minute)
        XCTAssertEqual(sla.breached, [])
        XCTAssertNil(sla.pressing)

        desk.advance(1 * hour + 10 * minute)  // the follow-up fell due 10 minutes ago
        sla = desk.sla(id)
        XCTAssertEqual(sla.clock(.firstResponse)?.state, .running)
        XCTAssertEqual(sla.clock(.firstResponse)?.used, 30 * minute)
        XCTAssertEqual(sla.due(.firstResponse), opened.addingTimeInterval(3 * hour + 20 * minute + 40 * minute))

        // A customer message ends the wait; on hold pauses again.
        try desk.run(.addCustomerMessage(ticket: id, body: "Any news?"), as: "alice")
        desk.advance(10 * minute)
        try desk.run(.hold(ticket: id), as: "alice")
        desk.advance(5 * hour)
        sla = desk.sla(id)
        XCTAssertEqual(sla.clock(.firstResponse)?.state, .paused)
        XCTAssertEqual(sla.clock(.firstResponse)?.used, 40 * minute)
        XCTAssertEqual(sla.clock(.resolution)?.used, 40 * minute)
        XCTAssertEqual(sla.breached, [])
    }

    func testAPriorityChangeMidWayCountsTheTimeAlreadyUsed() throws {
        var desk = DeskFixture()
        let id = desk.open(priority: .normal)
        desk.advance(30 * minute)
        try desk.run(.setPriority(ticket: id, priority: .urgent), as: "alice")
        let raised = desk.now
        var sla = desk.sla(id)
        XCTAssertEqual(sla.clock(.firstResponse)?.limit, 1 * hour)
        XCTAssertEqual(sla.due(.firstResponse), raised.addingTimeInterval(30 * minute), "30m used of the new 1h")

        // Raised when more than the new target is used: breached at the change itself.
        let other = desk.open(priority: .normal)
        desk.advance(2 * hour)
        try desk.run(.setPriority(ticket: other, priority: .urgent), as: "alice")
        sla = desk.sla(other)
        XCTAssertEqual(sla.clock(.firstResponse)?.breachedAt, desk.now)
        XCTAssertEqual(sla.breached, [.firstResponse])

        // Lowered again: a breach stays a breach, a clock not yet breached gets the looser target.
        try desk.run(.setPriority(ticket: other, priority: .low), as: "alice")
        XCTAssertEqual(desk.sla(other).breached, [.firstResponse])
        let third = desk.open(priority: .high)
        desk.advance(1 * hour)
        try desk.run(.setPriority(ticket: third, priority: .low), as: "alice")
        XCTAssertEqual(desk.sla(third).clock(.firstResponse)?.left, 23 * hour)
    }

    func testReopeningResumesTheResolutionClockWhereItStopped() throws {
        var desk = DeskFixture()
        let id = desk.open(priority: .urgent)
        desk.advance(30 * minute)
        try desk.run(.reply(ticket: id, body: "Try this"), as: "alice")
        desk.advance(90 * minute)
        try desk.run(.resolve(ticket: id), as: "alice")
        var sla = desk.sla(id)
        XCTAssertEqual(sla.clock(.resolution)?.state, .met)
        XCTAssertEqual(sla.clock(.resolution)?.used, 2 * hour)
        XCTAssertNil(sla.due(.resolution))

        desk.advance(86_400)
        try desk.run(.reopen(ticket: id), as: "alice")
        desk.advance(1 * hour)
        sla = desk.sla(id)
        XCTAssertEqual(sla.clock(.resolution)?.state, .running)
        XCTAssertEqual(sla.clock(.resolution)?.used, 3 * hour, "the day it was solved does not count")
        XCTAssertEqual(sla.due(.resolution), desk.now.addingTimeInterval(1 * hour))
        XCTAssertNil(sla.clock(.nextResponse), "reopened by an agent: no customer message to answer")

        // Reopened by the customer writing: a next response is owed too.
        try desk.run(.resolve(ticket: id), as: "alice")
        try desk.run(.addCustomerMessage(ticket: id, body: "It broke again"), as: "alice")
        sla = desk.sla(id)
        XCTAssertEqual(desk.ticket(id).status, .open)
        XCTAssertEqual(sla.clock(.nextResponse)?.state, .running)
        desk.advance(1 * hour + 1)
        XCTAssertEqual(desk.sla(id).breached, [.nextResponse, .resolution])
    }

    func testSolvingWithoutAReplyStopsTheFirstResponseClock() throws {
        var desk = DeskFixture()
        let id = desk.open(priority: .urgent)
        desk.advance(10 * minute)
        try desk.run(.resolve(ticket: id), as: "alice")
        desk.advance(5 * hour)
        let sla = desk.sla(id)
        XCTAssertEqual(sla.clock(.firstResponse)?.state, .stopped)
        XCTAssertEqual(sla.breached, [])
        XCTAssertNil(sla.due(.firstResponse))
    }

    func testBusinessHoursWeekendsAndHolidays() throws {
        var desk = DeskFixture()
        try desk.policy(.setHours("mon-fri 09:00-17:00", timeZone: "UTC"))
        desk.now = utc("2027-01-15T16:00:00Z")  // Friday
        let id = desk.open(priority: .urgent)  // 1h first response: 16:00-17:00, breaches Friday 17:00
        XCTAssertEqual(desk.sla(id).due(.firstResponse), utc("2027-01-15T17:00:00Z"))
        let normal = desk.open(priority: .normal)  // 8h: Friday 1h, Monday 7h
        XCTAssertEqual(desk.sla(normal).due(.firstResponse), utc("2027-01-18T16:00:00Z"))
        try desk.policy(.addHoliday("2027-01-18"))
        XCTAssertEqual(desk.sla(normal).due(.firstResponse), utc("2027-01-19T16:00:00Z"), "Monday is a holiday now")
        desk.now = utc("2027-01-17T12:00:00Z")  // Sunday
        let sla = desk.sla(normal)
        XCTAssertEqual(sla.clock(.firstResponse)?.used, 1 * hour)
        XCTAssertEqual(sla.clock(.firstResponse)?.state, .running, "running, though no business time passes")
        XCTAssertEqual(sla.clock(.firstResponse)?.timeLeft(now: desk.now), 2 * 86_400 + 4 * hour,
                       "time left is calendar time until the due moment")
    }

    func testBusinessHoursAcrossTheClockChange() throws {
        var desk = DeskFixture()
        try desk.policy(.setHours("mon-fri 09:00-17:00", timeZone: "Europe/Berlin"))
        desk.now = utc("2027-03-26T15:30:00Z")  // Friday 16:30 CET
        let id = desk.open(priority: .urgent)
        XCTAssertEqual(desk.sla(id).due(.firstResponse), utc("2027-03-29T07:30:00Z"), "Monday 09:30 CEST")
        desk.now = utc("2027-03-29T07:31:00Z")
        XCTAssertEqual(desk.sla(id).clock(.firstResponse)?.breachedAt, utc("2027-03-29T07:30:00Z"))
    }

    func testTargetsComeFromThePolicyInTheLog() throws {
        var desk = DeskFixture()
        try desk.policy(.setTargets(priority: .normal, firstResponse: 30 * minute, nextResponse: nil, resolution: nil))
        XCTAssertEqual(desk.desk.slaPolicy.targets(for: .normal),
                       SLATargets(firstResponse: 30 * minute, nextResponse: 8 * hour, resolution: 3 * 86_400))
        let id = desk.open(priority: .normal)
        XCTAssertEqual(desk.sla(id).due(.firstResponse), desk.now.addingTimeInterval(30 * minute))
    }

    func testWhyTellsTheChain() throws {
        var desk = DeskFixture()
        let id = desk.open(priority: .urgent)
        desk.advance(20 * minute)
        try desk.run(.scheduleFollowUp(ticket: id, due: desk.now.addingTimeInterval(1 * hour), note: nil), as: "alice")
        desk.advance(2 * hour)
        desk.escalateDue()
        let steps = desk.sla(id, explain: true).steps.map(\.text)
        XCTAssertEqual(steps.count, 5, steps.joined(separator: "\n"))
        XCTAssertTrue(steps[0].hasPrefix("opened (urgent): first response within 1h, resolution within 4h"), steps[0])
        XCTAssertTrue(steps[1].hasPrefix("pending: clocks pause until the follow-up at"), steps[1])
        XCTAssertEqual(steps[2], "the follow-up fell due: clocks resume")
        XCTAssertEqual(steps[3], "first response breached: 1h used up")
        XCTAssertEqual(steps[4], "escalated to tier 2 by the desk: SLA breach: first response")
    }
}
