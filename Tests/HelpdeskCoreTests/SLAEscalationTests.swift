import XCTest
@testable import HelpdeskCore

/// The escalation rule (desk, now) → events: one tier per breach, once, by the desk.
final class SLAEscalationTests: XCTestCase {
    func testABreachEscalatesOnceByTheDesk() throws {
        var desk = DeskFixture()
        let id = desk.open(priority: .urgent)
        desk.advance(59 * minute)
        XCTAssertEqual(desk.escalateDue(), [], "not yet")
        desk.advance(2 * minute)
        XCTAssertEqual(desk.escalateDue(), [.escalated(ticket: id, tier: 2, reason: "SLA breach: first response")])
        XCTAssertEqual(desk.ticket(id).tier, 2)
        XCTAssertEqual(desk.ticket(id).history.last?.actor, "desk")
        desk.advance(1 * hour)
        XCTAssertEqual(SLAEscalation.events(on: desk.desk, now: desk.now), [], "the same breach is not escalated again")
        XCTAssertTrue(SLAEscalation.dueTickets(on: desk.desk, now: desk.now).isEmpty)
        desk.advance(3 * hour)
        XCTAssertEqual(desk.escalateDue(), [.escalated(ticket: id, tier: 3, reason: "SLA breach: resolution")],
                       "a second target breaching is a second breach")
        desk.advance(10 * 86_400)
        XCTAssertEqual(desk.escalateDue(), [], "tier 3 is the highest")
    }

    func testAnAssigneeBelowTheNewTierLetsGo() throws {
        var desk = DeskFixture()
        let id = desk.open(priority: .urgent)
        try desk.run(.take(ticket: id, steal: false), as: "alice")
        desk.advance(4 * hour + 1)  // both the first response (1h) and the resolution (4h) breached
        XCTAssertEqual(desk.escalateDue(), [
            .escalated(ticket: id, tier: 2, reason: "SLA breach: first response"),
            .escalated(ticket: id, tier: 3, reason: "SLA breach: resolution"),
            .unassigned(ticket: id, from: "alice"),
        ])
        XCTAssertNil(desk.ticket(id).assignee)

        let kept = desk.open(priority: .urgent)
        try desk.run(.take(ticket: kept, steal: false), as: "carol")  // tier 2
        desk.advance(1 * hour + 1)
        XCTAssertEqual(desk.escalateDue(), [.escalated(ticket: kept, tier: 2, reason: "SLA breach: first response")],
                       "carol works at tier 2: she keeps it")
    }

    func testEachNextResponseBreachIsItsOwn() throws {
        var desk = DeskFixture()
        let id = desk.open(priority: .urgent)
        desk.advance(10 * minute)
        // A supervisor's reply takes the ticket; working every tier, sam keeps it as it climbs.
        try desk.run(.reply(ticket: id, body: "Looking"), as: "sam")
        try desk.run(.addCustomerMessage(ticket: id, body: "And?"), as: "alice")
        desk.advance(1 * hour + 1)
        XCTAssertEqual(desk.escalateDue(), [.escalated(ticket: id, tier: 2, reason: "SLA breach: next response")])
        try desk.run(.reply(ticket: id, body: "Sorry, here it is"), as: "sam")
        try desk.run(.addCustomerMessage(ticket: id, body: "Wrong file"), as: "alice")
        desk.advance(30 * minute)
        XCTAssertEqual(desk.escalateDue(), [])
        desk.advance(31 * minute)
        XCTAssertEqual(desk.escalateDue(), [.escalated(ticket: id, tier: 3, reason: "SLA breach: next response")],
                       "the customer's second wait breached too")
    }

    func testSolvedPausedAndEscalatedByHandTickets() throws {
        var desk = DeskFixture()
        let solved = desk.open(priority: .urgent)
        try desk.run(.resolve(ticket: solved), as: "alice")
        let paused = desk.open(priority: .urgent)
        try desk.run(.hold(ticket: paused), as: "alice")
        let byHand = desk.open(priority: .urgent)
        try desk.run(.escalate(ticket: byHand, reason: "SLA breach: first response", tier: nil), as: "alice")
        desk.advance(2 * hour)
        XCTAssertEqual(desk.escalateDue(), [.escalated(ticket: byHand, tier: 3, reason: "SLA breach: first response")],
                       "solved and held tickets have no breach; a person's escalation is not the desk's")
    }

    func testAPausedTicketThatHadBreachedIsStillEscalated() throws {
        var desk = DeskFixture()
        let id = desk.open(priority: .urgent)
        desk.advance(2 * hour)
        // Nobody appended while it breached; then someone puts it on hold.
        let events = SLAEscalation.events(on: desk.desk, now: desk.now)
        try desk.run(.hold(ticket: id), as: "alice")
        XCTAssertEqual(events, SLAEscalation.events(on: desk.desk, now: desk.now))
        XCTAssertEqual(events.count, 1)
    }

    func testOnlySupervisorsChangeThePolicy() throws {
        var desk = DeskFixture()
        desk.assertPolicyRefused(.setTargets(priority: .urgent, firstResponse: 1800, nextResponse: nil, resolution: nil),
                                 as: "alice", .notAllowed, containing: "only supervisors change the SLA policy")
        desk.assertPolicyRefused(.setTargets(priority: .urgent, firstResponse: nil, nextResponse: nil, resolution: nil),
                                 as: "sam", .invalid, containing: "give at least one")
        desk.assertPolicyRefused(.setTargets(priority: .urgent, firstResponse: 3600, nextResponse: nil, resolution: nil),
                                 as: "sam", .conflict, containing: "already")
        desk.assertPolicyRefused(.setHours("mon-fri 09:00-17:00", timeZone: "Nowhere/Land"), as: "sam", .invalid,
                                 containing: "unknown time zone")
        desk.assertPolicyRefused(.clearHours, as: "sam", .conflict, containing: "no business hours")
        desk.assertPolicyRefused(.addHoliday("2026-02-30"), as: "sam", .invalid, containing: "YYYY-MM-DD")
        desk.assertPolicyRefused(.removeHoliday("2026-12-25"), as: "sam", .notFound, containing: "not a holiday")
        desk.assertPolicyRefused(.addHoliday("2026-12-25"), as: "nobody", .notAllowed, containing: "not on the desk's roster")

        try desk.policy(.setTargets(priority: .urgent, firstResponse: 1800, nextResponse: nil, resolution: 7200))
        try desk.policy(.setHours("Mon-Fri 09:00-17:00", timeZone: "Europe/Berlin"))
        try desk.policy(.addHoliday("2026-12-25"))
        try desk.policy(.addHoliday("2026-12-26"))
        try desk.policy(.removeHoliday("2026-12-26"))
        desk.assertPolicyRefused(.addHoliday("2026-12-25"), as: "sam", .conflict, containing: "already a holiday")
        let policy = desk.desk.slaPolicy
        XCTAssertEqual(policy.targets(for: .urgent), SLATargets(firstResponse: 1800, nextResponse: 3600, resolution: 7200))
        XCTAssertEqual(policy.hours?.text, "mon-fri 09:00-17:00")
        XCTAssertEqual(policy.holidays, ["2026-12-25"])
        XCTAssertEqual(try SLAPolicy(replaying: policy.events), policy, "the policy's events rebuild it (for snapshots)")
        XCTAssertEqual(policy.events.count, 3)
        try desk.policy(.clearHours)
        XCTAssertNil(desk.desk.slaPolicy.hours)
    }

    func testTheDesksNameIsReserved() {
        var desk = DeskFixture()
        desk.assertRefused(.addAgent(account: "desk", displayName: nil, role: .agent, tier: 1), as: "sam", .invalid,
                           containing: "reserved")
    }

    func testAForeignLogWithABadScheduleIsInconsistent() {
        var desk = Desk()
        try! desk.apply(.deskCreated(format: 1), context: EventContext(seq: 1, at: Date(), actor: "sam"))
        XCTAssertThrowsError(try desk.apply(.businessHoursSet(hours: "whenever", timeZone: "UTC"),
                                            context: EventContext(seq: 2, at: Date(), actor: "sam")))
    }
}

extension DeskFixture {
    mutating func assertPolicyRefused(_ command: SLAPolicyCommand, as actor: String, _ kind: Refusal.Kind, containing text: String,
                                      file: StaticString = #filePath, line: UInt = #line) {
        do {
            try policy(command, as: actor)
            XCTFail("expected a refusal", file: file, line: line)
        } catch {
            XCTAssertEqual(error.kind, kind, error.message, file: file, line: line)
            XCTAssertTrue(error.message.contains(text), "'\(error.message)' lacks '\(text)'", file: file, line: line)
        }
    }
}
