import Foundation
import XCTest
@testable import HelpdeskCore

/// Blocked senders: supervisors block an address or a domain; the desk then takes nothing from it
/// and sends nothing to it.
final class BlockedSenderTests: XCTestCase {
    private var fixture = DeskFixture()

    private func mail(_ id: String, from: String, references: [String] = []) -> InboundMessage {
        InboundMessage(channel: .email, externalID: id, fromAddress: from, subject: "Hello", body: "Buy now",
                       references: references, raw: "raw-\(id)")
    }

    private func takeIn(_ message: InboundMessage) throws -> IntakeResult {
        let (result, events) = try Intake.decide(message, on: fixture.desk, at: fixture.now, settings: IntakeSettings())
        if !events.isEmpty {
            fixture.seq += 1
            for event in events {
                try fixture.desk.apply(event, context: EventContext(seq: fixture.seq, at: fixture.now, actor: Intake.mailActor))
            }
        }
        return result
    }

    func testPatternsAreKeptInLowerCaseAndBadOnesAreRefusedNamingThem() throws {
        XCTAssertEqual(try BlockedSender.pattern("  Spam@Example.COM "), "spam@example.com")
        XCTAssertEqual(try BlockedSender.pattern("@BigCorp.com"), "@bigcorp.com")
        for bad in ["spam", "@", "@com", "@bad domain.com", "@a..b", "two@at@x.com", ""] {
            XCTAssertThrowsError(try BlockedSender.pattern(bad), bad) { error in
                XCTAssertTrue((error as? Refusal)?.message.contains(bad.debugDescription) == true, "\(error)")
            }
        }
    }

    func testADomainCoversItsSubdomainsButNotLookalikes() {
        let block = BlockedSender(pattern: "@bigcorp.com", by: "sam", at: fixture.now)
        XCTAssertTrue(block.covers("Jo@BigCorp.com"))
        XCTAssertTrue(block.covers("jo@mail.bigcorp.com"))
        XCTAssertFalse(block.covers("jo@notbigcorp.com"))
        XCTAssertFalse(block.covers("bigcorp.com@example.com"))
        let address = BlockedSender(pattern: "spam@example.com", by: "sam", at: fixture.now)
        XCTAssertTrue(address.covers("SPAM@example.com"))
        XCTAssertFalse(address.covers("spam@example.com.evil"))
    }

    func testOnlySupervisorsBlockAndUnblockAndEachRefusalSaysWhy() throws {
        fixture.assertRefused(.blockSender(pattern: "spam@example.com", reason: nil), as: "alice", .notAllowed,
                              containing: "only supervisors may block senders; alice is an agent")
        let events = try fixture.run(.blockSender(pattern: "@Example.com", reason: "  phishing "), as: "sam")
        XCTAssertEqual(events, [.senderBlocked(pattern: "@example.com", reason: "phishing")])
        XCTAssertEqual(fixture.desk.blockList, [BlockedSender(pattern: "@example.com", reason: "phishing", by: "sam",
                                                              at: fixture.now)])
        fixture.assertRefused(.blockSender(pattern: "@example.com", reason: nil), as: "sam", .conflict,
                              containing: "@example.com is blocked already")
        fixture.assertRefused(.unblockSender(pattern: "jo@example.com"), as: "sam", .notFound,
                              containing: "jo@example.com is not blocked; it falls under @example.com")
        fixture.assertRefused(.unblockSender(pattern: "@example.com"), as: "alice", .notAllowed,
                              containing: "only supervisors may unblock senders")
        XCTAssertEqual(try fixture.run(.unblockSender(pattern: "@EXAMPLE.com"), as: "sam"),
                       [.senderUnblocked(pattern: "@example.com")])
        XCTAssertTrue(fixture.desk.blockList.isEmpty)
    }

    func testMailFromABlockedSenderIsSetAsideEvenOnItsOwnThreadAndOpensNothing() throws {
        XCTAssertEqual(try takeIn(mail("first@x", from: "jo@spam.example")), .opened(ticket: 1))
        try fixture.run(.blockSender(pattern: "@spam.example", reason: nil), as: "sam")
        XCTAssertEqual(try takeIn(mail("second@x", from: "jo@spam.example", references: ["first@x"])),
                       .setAside(reason: Intake.blockedReason))
        XCTAssertEqual(try takeIn(mail("third@x", from: "other@mail.spam.example")), .setAside(reason: Intake.blockedReason))
        XCTAssertEqual(fixture.desk.tickets.count, 1)
        XCTAssertEqual(fixture.ticket(1).messages.count, 1, "nothing added to the old thread")
        XCTAssertEqual(try takeIn(mail("fourth@x", from: "jo@example.org")), .opened(ticket: 2), "others still come in")
    }

    func testAReleaseOfABlockedSendersMailIsRefused() throws {
        try fixture.run(.blockSender(pattern: "jo@spam.example", reason: nil), as: "sam")
        fixture.assertRefused(.releaseFromQuarantine(mail("m@x", from: "jo@spam.example"), settings: IntakeSettings()),
                              as: "alice", .notAllowed, containing: "jo@spam.example is blocked (jo@spam.example); unblock it first")
    }

    func testNothingIsSentToABlockedAddressQueuedMailFailsForGoodAndRepliesAreRefused() throws {
        XCTAssertEqual(try takeIn(mail("first@x", from: "jo@spam.example")), .opened(ticket: 1))
        try fixture.run(.take(ticket: 1, steal: false), as: "alice")
        try fixture.run(.reply(ticket: 1, body: "Thanks"), as: "alice")
        XCTAssertEqual(fixture.ticket(1).outbound.map(\.state), [.queued])
        XCTAssertEqual(Outbox.pending(on: fixture.desk, now: fixture.now, all: false).count, 1)

        let events = try fixture.run(.blockSender(pattern: "@spam.example", reason: nil), as: "sam")
        XCTAssertEqual(events, [.senderBlocked(pattern: "@spam.example", reason: nil),
                                .mailFailed(ticket: 1, mail: 1, error: Outbox.blockedError("@spam.example"))])
        let mail = try XCTUnwrap(fixture.ticket(1).outbound.first)
        XCTAssertTrue(mail.isFinal)
        fixture.advance(7 * 24 * 3600)
        XCTAssertTrue(Outbox.pending(on: fixture.desk, now: fixture.now, all: true).isEmpty, "never tried again")
        XCTAssertEqual(Outbox.pending(on: fixture.desk, now: fixture.now, all: true, bounced: true).count, 1, "but listed")

        fixture.assertRefused(.reply(ticket: 1, body: "Again"), as: "alice", .notAllowed,
                              containing: "jo@spam.example is blocked (@spam.example): nothing is sent to a blocked address")
        XCTAssertNoThrow(try fixture.run(.note(ticket: 1, body: "spammer"), as: "alice"), "notes are not sent")
        let phone = fixture.open("By phone", email: "jo@spam.example")
        XCTAssertNoThrow(try fixture.run(.reply(ticket: phone, body: "Noted"), as: "alice"),
                         "a ticket that is not a mail thread sends nothing, so the reply is recorded")
    }
}
