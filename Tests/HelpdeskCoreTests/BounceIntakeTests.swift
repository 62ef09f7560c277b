import Foundation
import XCTest
@testable import HelpdeskCore

/// A bounce for a mail the desk sent marks that mail failed (`bounced: …`) on its ticket, once,
/// and it is never due again; a bounce naming nothing the desk sent changes no mail.
extension IntakeTests {
    func bounceMail(_ id: String, naming references: [String], reason: String? = "jane@example.com: 5.1.1 unknown user") -> InboundMessage {
        var message = self.mail(id, from: "MAILER-DAEMON@mx.example", subject: "Undelivered Mail Returned to Sender",
                                  body: "could not be delivered", references: references, automatic: .bounce)
        message.bounceReason = reason
        return message
    }

    /// A desk with ticket 1 opened by mail `first`, and its reply mailed as `sent`.
    func deskWithAMailedReply(first: String = "first@example.com", sent: String = "sent@acme") throws -> DeskFixture {
        var fixture = DeskFixture()
        try take(mail(first), &fixture)
        try fixture.run(.reply(ticket: 1, body: "On its way"), as: "alice")
        fixture.seq += 1
        try fixture.desk.apply(.mailSent(ticket: 1, mail: 1, messageID: sent),
                               context: EventContext(seq: fixture.seq, at: fixture.now, actor: "mail"))
        return fixture
    }

    func testABounceOfASentMailMarksItBouncedAndNeverDue() throws {
        var fixture = try deskWithAMailedReply()
        XCTAssertEqual(try take(bounceMail("b1@mx", naming: ["sent@acme"]), &fixture),
                       .added(ticket: 1, threading: .reference(ticket: 1)))
        let mail = try XCTUnwrap(fixture.ticket(1).outbound.first)
        XCTAssertEqual(mail.state, .failed)
        XCTAssertEqual(mail.bounce, "bounced: jane@example.com: 5.1.1 unknown user")
        XCTAssertEqual(mail.messageID, "sent@acme")
        XCTAssertTrue(Outbox.pending(on: fixture.desk, now: fixture.now.addingTimeInterval(86_400), all: true).isEmpty)
        XCTAssertEqual(Outbox.pending(on: fixture.desk, now: fixture.now, all: true, bounced: true).map(\.number), [1])

        // A second report for the same mail adds its note but does not fail it twice.
        let (_, events) = try Intake.decide(bounceMail("b2@mx", naming: ["sent@acme"]), on: fixture.desk, at: fixture.now,
                                            settings: IntakeSettings())
        XCTAssertFalse(events.contains { if case .mailFailed = $0 { true } else { false } })
    }

    func testABounceWithoutAReasonStillSaysItBounced() {
        XCTAssertEqual(Intake.bounceError(nil), "bounced: the mail system returned it")
    }

    func testABounceOfAClosedTicketsMailIsStillRecordedOnIt() throws {
        var fixture = try deskWithAMailedReply()
        try fixture.run(.close(ticket: 1), as: "alice")
        XCTAssertEqual(try take(bounceMail("b1@mx", naming: ["sent@acme"]), &fixture),
                       .added(ticket: 1, threading: .reference(ticket: 1)))
        XCTAssertEqual(fixture.ticket(1).outbound.first?.state, .failed)
        XCTAssertEqual(fixture.ticket(1).status, .closed)
    }

    func testABounceNamingNoSentMailAndAPersonsMailFailNothing() throws {
        var fixture = try deskWithAMailedReply()
        try take(bounceMail("b1@mx", naming: ["unknown@elsewhere"], reason: "x"), &fixture)
        var person = mail("p1@example.com", references: ["sent@acme"])
        person.bounceReason = "pretending"
        try take(person, &fixture)
        XCTAssertEqual(fixture.ticket(1).outbound.first?.state, .sent)
    }

    func testAFailureRecordedAfterTheMailWentOutIsNotABounce() throws {
        var fixture = try deskWithAMailedReply()
        try fixture.run(.recordMailFailed(ticket: 1, mail: 1, error: "bounced: forged by a late delivery"), as: "mail")
        XCTAssertEqual(fixture.ticket(1).outbound.first?.state, .sent)
    }
}
