import XCTest
@testable import HelpdeskCore

/// The apply function refuses a log that says something impossible instead of guessing.
final class ApplyTests: XCTestCase {
    let context = EventContext(seq: 9, at: Date(timeIntervalSince1970: 0), actor: "sam")

    func testEventsForUnknownThingsAreInconsistent() {
        var desk = Desk()
        XCTAssertThrowsError(try desk.apply(.assigned(ticket: 1, to: "bob", from: nil), context: context)) { error in
            XCTAssertEqual(error as? InconsistentEvent, InconsistentEvent(seq: 9, reason: "no ticket 1"))
        }
        XCTAssertThrowsError(try desk.apply(.agentChanged(account: "x", displayName: nil, role: nil, tier: 2, active: nil),
                                            context: context))
        XCTAssertThrowsError(try desk.apply(.ticketOpened(ticket: 1, subject: "s", customer: 1, channel: .web,
                                                          priority: .low), context: context))
    }

    func testIdsMustComeInOrder() throws {
        var desk = Desk()
        try desk.apply(.customerCreated(id: 1, email: "a@example.com", name: "A", phone: nil, organisation: nil, notes: nil),
                       context: context)
        XCTAssertThrowsError(try desk.apply(.ticketOpened(ticket: 2, subject: "s", customer: 1, channel: .web,
                                                          priority: .low), context: context))
        XCTAssertThrowsError(try desk.apply(.customerCreated(id: 3, email: "c@example.com", name: "C", phone: nil,
                                                             organisation: nil, notes: nil), context: context))
    }

    func testTheDeskIsCreatedOnlyOnce() throws {
        var desk = Desk()
        try desk.apply(.deskCreated(format: 1), context: context)
        XCTAssertThrowsError(try desk.apply(.deskCreated(format: 1), context: context))
    }
}
