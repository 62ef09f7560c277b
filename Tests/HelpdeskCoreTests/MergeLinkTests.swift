import XCTest
@testable import HelpdeskCore

final class MergeLinkTests: XCTestCase {
    var fixture = DeskFixture()

    func testMergeClosesTheSourceAndShowsItsConversationInTheTargetInTimeOrder() throws {
        let target = fixture.open("Printer on fire", body: "first")
        fixture.advance(60)
        let source = fixture.open("Printer still on fire", body: "second")
        fixture.advance(60)
        try fixture.run(.note(ticket: target, body: "third"), as: "bob")
        try fixture.run(.scheduleFollowUp(ticket: source, due: fixture.now.addingTimeInterval(3600), note: nil), as: "alice")
        fixture.advance(60)

        let events = try fixture.run(.merge(source: source, target: target), as: "alice")
        XCTAssertEqual(events, [.followUpCleared(ticket: source), .statusChanged(ticket: source, from: .pending, to: .closed),
                                .ticketMerged(ticket: source, into: target)])
        XCTAssertEqual(fixture.ticket(source).status, .closed)
        XCTAssertEqual(fixture.ticket(source).mergedInto, target)
        XCTAssertEqual(fixture.ticket(target).mergedFrom, [source])
        XCTAssertNil(fixture.ticket(target).mergedInto)
        let conversation = fixture.desk.conversation(of: target)
        XCTAssertEqual(conversation.map(\.ticket), [target, source, target])
        XCTAssertEqual(conversation.map(\.number), [1, 1, 2])
        XCTAssertEqual(conversation.map(\.message.body), [.text("first"), .text("second"), .text("third")])
        // Both tickets' histories hold the merge.
        XCTAssertEqual(fixture.ticket(target).history.last?.event.summary, "merged #\(source) into #\(target)")
        XCTAssertEqual(fixture.ticket(source).history.last?.event, .ticketMerged(ticket: source, into: target))
    }

    func testAChainOfMergesEndsAtTheLastTicketWithEveryConversation() throws {
        let a = fixture.open("a", body: "from a"), b = fixture.open("b", body: "from b"), c = fixture.open("c", body: "from c")
        try fixture.run(.merge(source: a, target: b), as: "alice")
        try fixture.run(.merge(source: b, target: c), as: "alice")
        XCTAssertEqual(fixture.desk.mergeDestination(of: a), c)
        XCTAssertEqual(fixture.desk.mergeDestination(of: b), c)
        XCTAssertEqual(fixture.desk.mergeDestination(of: c), c)
        XCTAssertEqual(Set(fixture.desk.conversation(of: c).map(\.ticket)), [a, b, c])
    }

    func testMergeRefusals() throws {
        let a = fixture.open("a"), b = fixture.open("b"), c = fixture.open("c"), closed = fixture.open("closed")
        try fixture.run(.close(ticket: closed), as: "alice")
        fixture.assertRefused(.merge(source: a, target: a), as: "alice", .invalid, containing: "cannot merge ticket \(a) into itself")
        fixture.assertRefused(.merge(source: a, target: 99), as: "alice", .notFound, containing: "no ticket 99")
        fixture.assertRefused(.merge(source: 99, target: a), as: "alice", .notFound, containing: "no ticket 99")
        fixture.assertRefused(.merge(source: a, target: closed), as: "alice", .conflict,
                              containing: "ticket \(closed) is closed; cannot merge into it")
        try fixture.run(.merge(source: a, target: b), as: "alice")
        fixture.assertRefused(.merge(source: a, target: c), as: "alice", .conflict, containing: "ticket \(a) is already merged into #\(b)")
        fixture.assertRefused(.merge(source: c, target: a), as: "alice", .conflict,
                              containing: "ticket \(a) is already merged into #\(b); merge into #\(b) instead")
        try fixture.run(.escalate(ticket: c, reason: "hard", tier: 3), as: "alice")
        fixture.assertRefused(.merge(source: c, target: b), as: "alice", .notAllowed, containing: "ticket \(c) is at tier 3")
        fixture.assertRefused(.merge(source: b, target: c), as: "mallory", .notAllowed, containing: "not on the desk's roster")
    }

    func testMailForAMergedTicketLandsOnTheEndOfItsChain() throws {
        let a = fixture.open("a"), b = fixture.open("b"), c = fixture.open("c")
        try fixture.run(.merge(source: a, target: b), as: "alice")
        try fixture.run(.merge(source: b, target: c), as: "alice")
        let tagged = InboundMessage(channel: .email, externalID: "x1@example.com", fromAddress: "jane@example.com",
                                    fromName: nil, subject: "Re: a [#\(a)]", body: "any news?")
        XCTAssertEqual(Intake.thread(tagged, on: fixture.desk, subjectTag: "#"), .subjectTag(ticket: c))
        let taken = try Rules.decision(.takeIn(tagged, settings: IntakeSettings()), by: Intake.mailActor, at: fixture.now,
                                       on: fixture.desk)
        XCTAssertEqual(taken.events.first, .messageAdded(ticket: c, kind: .customer, body: .text("any news?")))
    }

    func testLinksAreListedFromBothSidesEachAsSeenFromIt() throws {
        let child = fixture.open("child"), parent = fixture.open("parent"), other = fixture.open("other")
        let events = try fixture.run(.link(ticket: child, other: parent, kind: .parent), as: "bob")
        XCTAssertEqual(events, [.ticketLinked(ticket: child, other: parent, kind: .parent)])
        try fixture.run(.link(ticket: child, other: other, kind: .related), as: "bob")
        XCTAssertEqual(fixture.ticket(child).links, [TicketLink(ticket: parent, kind: .parent), TicketLink(ticket: other, kind: .related)])
        XCTAssertEqual(fixture.ticket(parent).links, [TicketLink(ticket: child, kind: .child)])
        XCTAssertEqual(fixture.ticket(other).links, [TicketLink(ticket: child, kind: .related)])
        XCTAssertEqual(fixture.ticket(parent).history.last?.event.summary, "linked: #\(parent) is the parent of #\(child)")
        XCTAssertEqual(fixture.desk.openChildren(of: parent), [child])
        try fixture.run(.resolve(ticket: child), as: "alice")
        XCTAssertEqual(fixture.desk.openChildren(of: parent), [])

        try fixture.run(.unlink(ticket: parent, other: child), as: "alice")
        XCTAssertEqual(fixture.ticket(child).links, [TicketLink(ticket: other, kind: .related)])
        XCTAssertEqual(fixture.ticket(parent).links, [])
    }

    func testLinkRefusals() throws {
        let a = fixture.open("a"), b = fixture.open("b")
        fixture.assertRefused(.link(ticket: a, other: a, kind: .related), as: "alice", .invalid, containing: "cannot link ticket \(a) to itself")
        fixture.assertRefused(.link(ticket: a, other: 42, kind: .related), as: "alice", .notFound, containing: "no ticket 42")
        fixture.assertRefused(.link(ticket: 42, other: a, kind: .related), as: "alice", .notFound, containing: "no ticket 42")
        try fixture.run(.link(ticket: a, other: b, kind: .duplicate), as: "alice")
        fixture.assertRefused(.link(ticket: b, other: a, kind: .parent), as: "alice", .conflict,
                              containing: "ticket \(b) is already linked to #\(a): #\(a) is a duplicate of #\(b)")
        fixture.assertRefused(.unlink(ticket: a, other: 42), as: "alice", .notFound, containing: "no ticket 42")
        try fixture.run(.unlink(ticket: b, other: a), as: "alice")
        fixture.assertRefused(.unlink(ticket: a, other: b), as: "alice", .notFound, containing: "ticket \(a) is not linked to #\(b)")
    }
}
