import XCTest
@testable import HelpdeskCore

/// The breach schedule only narrows the search: the tickets it lets through, re-decided, are
/// exactly the tickets a walk of every ticket's clocks finds due.
final class BreachScheduleTests: XCTestCase {
    func testMomentsAreTheBreachOrNoLaterThanIt() throws {
        var desk = DeskFixture()
        let start = desk.now
        let urgent = desk.open(priority: .urgent)
        let waiting = desk.open(priority: .urgent)
        desk.advance(10 * minute)
        try desk.run(.scheduleFollowUp(ticket: waiting, due: start.addingTimeInterval(2 * hour), note: nil), as: "alice")
        let parked = desk.open(priority: .urgent)
        try desk.run(.hold(ticket: parked), as: "alice")
        let done = desk.open(priority: .urgent)
        try desk.run(.resolve(ticket: done), as: "alice")

        let schedule = BreachSchedule(desk: desk.desk, now: desk.now)
        func moment(_ id: Int) -> Date { Date(timeIntervalSinceReferenceDate: schedule.moments[id - 1]) }
        XCTAssertEqual(moment(urgent), start.addingTimeInterval(1 * hour), "a running clock: its due time")
        XCTAssertEqual(moment(waiting), start.addingTimeInterval(2 * hour + 50 * minute),
                       "paused: resumes at the follow-up with its 50 minutes left")
        XCTAssertEqual(schedule.moments[parked - 1], .infinity, "on hold without a follow-up: never, until it changes")
        XCTAssertEqual(schedule.moments[done - 1], .infinity, "solved")

        desk.now = start.addingTimeInterval(1 * hour + 1)
        XCTAssertEqual(schedule.candidates(at: desk.now, ticketCount: desk.desk.tickets.count), [urgent])
        desk.now = start.addingTimeInterval(2 * hour + 50 * minute + 1)
        XCTAssertEqual(SLAEscalation.dueTickets(on: desk.desk, now: desk.now), [urgent, waiting],
                       "the paused clock breaches at its moment exactly (24/7)")
    }

    func testTheScheduleFindsWhatAFullWalkFindsOnAGeneratedDesk() throws {
        for hours in [false, true] {
            var generator = DeskGenerator(settings: GeneratorSettings(tickets: 300, seed: 9, supervisor: "sam"))
            _ = generator.run()
            var desk = DeskFixture()
            desk.desk = generator.desk
            desk.seq = generator.desk.lastSeq
            desk.now = GeneratorSettings.end
            if hours {
                try desk.policy(.setHours("mon-fri 09:00-17:00", timeZone: "Europe/Berlin"))
            }
            let schedule = BreachSchedule(desk: desk.desk, now: desk.now)
            let active = desk.desk.tickets.filter { $0.status.isActive }.count
            var sampled = 0
            // From the desk's last record on (before it, a walk would see tickets without their later events).
            for step in stride(from: 0.0, through: 300, by: 2.5) {
                let now = desk.now.addingTimeInterval(step * hour)
                let candidates = schedule.candidates(at: now, ticketCount: desk.desk.tickets.count)
                XCTAssertEqual(SLAEscalation.dueTickets(on: desk.desk, now: now, among: candidates),
                               SLAEscalation.dueTickets(on: desk.desk, now: now), "hours: \(hours), at \(step) h")
                if step == 0 {
                    let due = SLAEscalation.dueTickets(on: desk.desk, now: now)
                    // When it is made, the schedule lets through only what is due, and the clocks
                    // that have used exactly their target (a ticket nobody answered, over a
                    // weekend of business hours): they breach at the next business second.
                    let calculator = SLACalculator(policy: desk.desk.slaPolicy)
                    let early = candidates.filter { !due.contains($0) }.filter { id in
                        !calculator.evaluate(desk.desk.ticket(id)!, now: now).clocks.contains { $0.isOpen && $0.used == $0.limit }
                    }
                    XCTAssertEqual(early, [], "when it is made, the schedule lets through only what is due")
                    XCTAssertLessThan(due.count, active)
                }
                sampled += 1
            }
            XCTAssertGreaterThan(sampled, 100)
        }
    }

    func testReworkingTheChangedTicketsKeepsItExact() throws {
        var desk = DeskFixture()
        let first = desk.open(priority: .urgent)
        let second = desk.open(priority: .high)
        var schedule = BreachSchedule(desk: desk.desk, now: desk.now)
        desk.advance(30 * minute)
        try desk.run(.reply(ticket: first, body: "On it"), as: "alice")          // first response met
        try desk.run(.setPriority(ticket: second, priority: .urgent), as: "alice")  // a tighter target
        let third = desk.open(priority: .urgent)                                      // not seen yet
        schedule.update([first, second], desk: desk.desk, now: desk.now)
        for minutes in stride(from: 0.0, through: 600, by: 7) {
            let now = desk.now.addingTimeInterval(minutes * minute)
            let candidates = schedule.candidates(at: now, ticketCount: desk.desk.tickets.count)
            XCTAssertTrue(candidates.contains(third), "a ticket the schedule has not seen is always looked at")
            XCTAssertEqual(SLAEscalation.dueTickets(on: desk.desk, now: now, among: candidates),
                           SLAEscalation.dueTickets(on: desk.desk, now: now), "at +\(minutes) min")
        }
        try desk.policy(.setTargets(priority: .urgent, firstResponse: 60, nextResponse: nil, resolution: nil))
        XCTAssertFalse(schedule.fits(desk.desk), "a policy change voids the schedule")
    }
}
