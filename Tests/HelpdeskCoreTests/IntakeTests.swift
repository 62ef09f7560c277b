import Foundation
import XCTest
@testable import HelpdeskCore

/// Threading, loop protection and what a message from outside does to its ticket: the pure
/// rules behind `helpdesk ingest` (mail and JSON lines).
final class IntakeTests: XCTestCase {
    /// Decides and applies an inbound message as the log would.
    @discardableResult
    func take(_ message: InboundMessage, _ fixture: inout DeskFixture, settings: IntakeSettings = IntakeSettings(),
              file: StaticString = #filePath, line: UInt = #line) throws -> IntakeResult {
        let (result, events) = try Intake.decide(message, on: fixture.desk, at: fixture.now, settings: settings)
        if !events.isEmpty {
            fixture.seq += 1
            for event in events {
                try fixture.desk.apply(event, context: EventContext(seq: fixture.seq, at: fixture.now, actor: Intake.mailActor))
            }
            fixture.desk.recordApplied(seq: fixture.seq)
        }
        return result
    }

    func mail(_ id: String, from: String = "jane@example.com", subject: String = "Printer on fire",
              body: String = "It is on fire", references: [String] = [], automatic: AutomaticMail? = nil,
              attachments: [AttachmentRef] = []) -> InboundMessage {
        InboundMessage(channel: .email, externalID: id, fromAddress: from, fromName: "Jane Doe", subject: subject,
                       body: body, references: references, automatic: automatic, raw: "raw-\(id)",
                       attachments: attachments)
    }

    // MARK: - Threading

    func testNewMailOpensATicketForTheSender() throws {
        var fixture = DeskFixture()
        let result = try take(mail("a@x", attachments: [AttachmentRef(name: "log.txt", type: "text/plain", size: 3,
                                                                       sha256: "abc")]), &fixture)
        XCTAssertEqual(result, .opened(ticket: 1))
        let ticket = fixture.ticket(1)
        XCTAssertEqual(ticket.channel, .email)
        XCTAssertEqual(ticket.status, .new)
        XCTAssertEqual(fixture.desk.customer(email: "jane@example.com")?.name, "Jane Doe")
        XCTAssertEqual(ticket.messages.map(\.kind), [.customer])
        XCTAssertEqual(ticket.received.map(\.externalID), ["a@x"])
        XCTAssertEqual(ticket.attachments, [Attachment(number: 1, message: 1, name: "log.txt", type: "text/plain", size: 3,
                                                       sha256: "abc")])
        XCTAssertTrue(ticket.isMailThread)
        XCTAssertEqual(fixture.desk.ticket(holding: "a@x", on: .email), 1)
    }

    func testTheSameMessageIdTwiceIsADuplicate() throws {
        var fixture = DeskFixture()
        try take(mail("a@x"), &fixture)
        let seq = fixture.seq
        XCTAssertEqual(try take(mail("a@x", body: "delivered again"), &fixture), .duplicate(ticket: 1))
        XCTAssertEqual(fixture.seq, seq, "a duplicate adds no record")
        XCTAssertEqual(fixture.ticket(1).messages.count, 1)
    }

    func testAnotherMessageWithAnEarlierMessagesIdIsKeptWithANote() throws {
        var fixture = DeskFixture()
        try take(mail("a@x", subject: "First"), &fixture)
        // Other bytes under the same Message-ID (a broken mailer, a list re-sending with a new
        // footer): a message of its own, threaded as usual (no references: a new ticket).
        var other = mail("a@x", subject: "Something else", body: "Other words")
        other.raw = "raw-other"
        XCTAssertEqual(Intake.reusedID(other, on: fixture.desk), 1)
        XCTAssertEqual(try take(other, &fixture), .opened(ticket: 2))
        XCTAssertEqual(fixture.ticket(2).messages.map(\.kind), [.customer, .note])
        guard case .text(let note) = fixture.ticket(2).messages[1].body else { return XCTFail("no note") }
        XCTAssertTrue(note.contains("<a@x>") && note.contains("ticket 1"), note)
        // A third message under the id, by its subject tag onto ticket 1.
        var third = mail("a@x", subject: "Re: First [#1]", body: "More")
        third.raw = "raw-third"
        XCTAssertEqual(try take(third, &fixture), .added(ticket: 1, threading: .subjectTag(ticket: 1)))
        XCTAssertEqual(fixture.ticket(1).messages.map(\.kind), [.customer, .customer, .note])

        // Byte-identical resends of any of the three add nothing, wherever they went.
        let seq = fixture.seq
        XCTAssertEqual(try take(mail("a@x", subject: "First"), &fixture), .duplicate(ticket: 1))
        XCTAssertEqual(try take(other, &fixture), .duplicate(ticket: 2))
        XCTAssertEqual(try take(third, &fixture), .duplicate(ticket: 1))
        XCTAssertNil(Intake.reusedID(other, on: fixture.desk))
        XCTAssertEqual(fixture.seq, seq, "a resend adds no record")
        XCTAssertEqual(fixture.desk.tickets.count, 2)

        // The index worked out again from the histories, in log order, is the one kept as applied.
        var copy = fixture.desk
        copy.rebuildChannelIndex()
        XCTAssertEqual(copy.channelIndex, fixture.desk.channelIndex)
    }

    func testJSONIntakeIdsSayItAllWithoutBytes() throws {
        var fixture = DeskFixture()
        let chat = InboundMessage(channel: .chat, externalID: "c-1", fromAddress: "sam@example.com", subject: "Hi", body: "one")
        try take(chat, &fixture)
        var again = chat
        again.body = "other words, same id"
        XCTAssertEqual(try take(again, &fixture), .duplicate(ticket: 1), "a bridge's id names its message")
        XCTAssertNil(Intake.reusedID(again, on: fixture.desk))
    }

    func testInReplyToAndReferencesThreadBeforeTheSubjectTag() throws {
        var fixture = DeskFixture()
        try take(mail("a@x", subject: "First"), &fixture)
        try take(mail("b@x", subject: "Second"), &fixture)
        // References name ticket 1's message; the subject tags ticket 2: references win.
        let result = try take(mail("c@x", subject: "Re: Second [#2]", references: ["unknown@y", "a@x"]), &fixture)
        XCTAssertEqual(result, .added(ticket: 1, threading: .reference(ticket: 1)))
        XCTAssertEqual(try take(mail("d@x", subject: "Re: Second [#2]"), &fixture),
                       .added(ticket: 2, threading: .subjectTag(ticket: 2)))
        XCTAssertEqual(try take(mail("e@x", subject: "Re: nothing known [#99]"), &fixture), .opened(ticket: 3))
    }

    func testReferencesToMailTheDeskSentThreadOntoItsTicket() throws {
        var fixture = DeskFixture()
        try take(mail("a@x"), &fixture)
        try fixture.run(.reply(ticket: 1, body: "Try turning it off"), as: "alice")
        let queued = try XCTUnwrap(fixture.ticket(1).outbound.first)
        XCTAssertEqual(queued.message, 2)
        XCTAssertEqual(queued.state, .queued)
        // Not sent yet, but the id is the desk's own: still threads.
        let id = Outbox.messageID(for: queued, domain: "acme.example")
        XCTAssertEqual(try take(mail("b@x", subject: "no tag", references: [id]), &fixture),
                       .added(ticket: 1, threading: .reference(ticket: 1)))
        // Once sent, the id is in the index whatever its domain.
        fixture.seq += 1
        try fixture.desk.apply(.mailSent(ticket: 1, mail: 1, messageID: "other@elsewhere"),
                               context: EventContext(seq: fixture.seq, at: fixture.now, actor: "mail"))
        XCTAssertEqual(try take(mail("c@x", subject: "no tag", references: ["other@elsewhere"]), &fixture),
                       .added(ticket: 1, threading: .reference(ticket: 1)))
        // A made-up id of the desk's shape for a mail that does not exist threads nowhere.
        XCTAssertNil(Outbox.ticket(ofOwnMessageID: "helpdesk.1.9.abc@acme.example", on: fixture.desk))
    }

    func testSubjectTagsWithAConfiguredPrefix() {
        XCTAssertEqual(Intake.subjectTag(in: "Re: printer [#42]", prefix: "#"), 42)
        XCTAssertEqual(Intake.subjectTag(in: "RE: AW: printer [Acme #42]", prefix: "Acme #"), 42)
        XCTAssertEqual(Intake.subjectTag(in: "printer [acme #7] [Acme #42]", prefix: "Acme #"), 7)
        XCTAssertEqual(Intake.subjectTag(in: "[ Acme # 12 ]", prefix: "Acme #"), 12)
        XCTAssertNil(Intake.subjectTag(in: "printer [#42]", prefix: "Acme #"))
        XCTAssertNil(Intake.subjectTag(in: "[#4x2] [#] [#-1] [#12345678901]", prefix: "#"))
        XCTAssertEqual(Intake.replySubject("Printer", ticket: 42, prefix: "Acme #"), "Re: Printer [Acme #42]")
        XCTAssertEqual(Intake.replySubject("RE: Printer [Acme #42]", ticket: 42, prefix: "Acme #"), "RE: Printer [Acme #42]")
        XCTAssertEqual(Intake.replySubject("", ticket: 3, prefix: "#"), "Re: your message [#3]")
    }

    // MARK: - What a customer message does

    func testMailOnASolvedTicketReopensItAndOnAPendingOneClearsTheFollowUp() throws {
        var fixture = DeskFixture()
        try take(mail("a@x"), &fixture)
        try fixture.run(.take(ticket: 1, steal: false), as: "alice")
        try fixture.run(.resolve(ticket: 1), as: "alice")
        try take(mail("b@x", references: ["a@x"]), &fixture)
        XCTAssertEqual(fixture.ticket(1).status, .open)

        try fixture.run(.scheduleFollowUp(ticket: 1, due: fixture.now.addingTimeInterval(3600), note: nil), as: "alice")
        XCTAssertEqual(fixture.ticket(1).status, .pending)
        try take(mail("c@x", references: ["a@x"]), &fixture)
        XCTAssertEqual(fixture.ticket(1).status, .open)
        XCTAssertNil(fixture.ticket(1).followUp)
    }

    func testMailOnAClosedTicketOpensANewOne() throws {
        var fixture = DeskFixture()
        try take(mail("a@x"), &fixture)
        try fixture.run(.close(ticket: 1), as: "alice")
        XCTAssertEqual(try take(mail("b@x", subject: "Re: [#1]", references: ["a@x"]), &fixture), .opened(ticket: 2))
        XCTAssertEqual(fixture.ticket(1).status, .closed)
        XCTAssertEqual(fixture.ticket(1).messages.count, 1)
    }

    func testMailFromAnotherAddressIsMarkedAndNeverChangesTheCustomer() throws {
        var fixture = DeskFixture()
        try take(mail("a@x"), &fixture)
        try take(mail("b@x", from: "Boss@Example.com", subject: "[#1]"), &fixture)
        let ticket = fixture.ticket(1)
        XCTAssertEqual(fixture.desk.customer(ticket.customerID)?.email, "jane@example.com")
        XCTAssertEqual(ticket.messages.map(\.author), ["jane@example.com", "Boss@Example.com"])
        XCTAssertEqual(ticket.received(message: 2)?.from, "Boss@Example.com")
        XCTAssertNil(fixture.desk.customer(email: "boss@example.com"), "no customer is made for the other sender")
    }

    func testAutomaticMailIsRecordedButChangesNothing() throws {
        var fixture = DeskFixture()
        try take(mail("a@x"), &fixture)
        try fixture.run(.take(ticket: 1, steal: false), as: "alice")
        try fixture.run(.resolve(ticket: 1), as: "alice")
        let before = fixture.ticket(1)
        let result = try take(mail("b@x", subject: "Out of office", references: ["a@x"], automatic: .autoReply), &fixture)
        XCTAssertEqual(result, .added(ticket: 1, threading: .reference(ticket: 1)))
        let after = fixture.ticket(1)
        XCTAssertEqual(after.status, .solved, "an auto-reply reopens nothing")
        XCTAssertEqual(after.lastCustomerMessageAt, before.lastCustomerMessageAt)
        XCTAssertEqual(after.messages.last?.kind, .note)
        XCTAssertEqual(after.received.last?.automatic, .autoReply)
        XCTAssertFalse(after.history.contains { if case .mailQueued = $0.event { true } else { false } })

        // Automatic mail that belongs to no ticket opens none.
        XCTAssertEqual(try take(mail("c@x", subject: "Newsletter", automatic: .bulk), &fixture),
                       .setAside(reason: "bulk mail for no open ticket"))
        XCTAssertEqual(fixture.desk.tickets.count, 1)
    }

    func testAcknowledgementIsQueuedOnlyWhenAskedAndNeverForAutomaticMail() throws {
        var fixture = DeskFixture()
        try take(mail("a@x"), &fixture)
        XCTAssertTrue(fixture.ticket(1).outbound.isEmpty)
        let settings = IntakeSettings(acknowledge: true)
        try take(mail("b@x", subject: "Another"), &fixture, settings: settings)
        XCTAssertEqual(fixture.ticket(2).outbound.map(\.message), [nil])
        try take(mail("c@x", subject: "[#2] more"), &fixture, settings: settings)
        XCTAssertEqual(fixture.ticket(2).outbound.count, 1, "only a new ticket is acknowledged")
    }

    func testRepliesGoOutByMailOnlyOnTicketsThatCameByMail() throws {
        var fixture = DeskFixture()
        let phoned = fixture.open()
        try fixture.run(.reply(ticket: phoned, body: "Hello"), as: "alice")
        XCTAssertTrue(fixture.ticket(phoned).outbound.isEmpty)

        try take(mail("a@x", subject: "By mail"), &fixture)
        let mailed = fixture.desk.tickets.count
        try fixture.run(.reply(ticket: mailed, body: "One"), as: "alice")
        try fixture.run(.note(ticket: mailed, body: "internal"), as: "alice")
        try fixture.run(.reply(ticket: mailed, body: "Two"), as: "alice")
        XCTAssertEqual(fixture.ticket(mailed).outbound.map(\.number), [1, 2])
        XCTAssertEqual(fixture.ticket(mailed).outbound.map(\.message), [2, 4])
    }

    func testBadSendersAndMissingTicketsAreRefused() {
        var fixture = DeskFixture()
        XCTAssertThrowsError(try take(mail("a@x", from: "not an address"), &fixture))
        var named = mail("b@x")
        named.ticket = 7
        XCTAssertThrowsError(try take(named, &fixture)) { error in
            XCTAssertEqual((error as? Refusal)?.kind, .notFound)
        }
    }

    func testJSONIntakeIsIdempotentOnChannelAndExternalID() throws {
        var fixture = DeskFixture()
        let chat = InboundMessage(channel: .chat, externalID: "conv-1/msg-1", fromAddress: "sam@example.com",
                                  fromName: "Sam", phone: "+44 1", subject: "Help", body: "hi")
        XCTAssertEqual(try take(chat, &fixture), .opened(ticket: 1))
        XCTAssertEqual(fixture.desk.customer(email: "sam@example.com")?.phone, "+44 1")
        XCTAssertEqual(try take(chat, &fixture), .duplicate(ticket: 1))
        // The same external id on another channel is another message.
        var social = chat
        social.channel = .social
        XCTAssertEqual(try take(social, &fixture), .opened(ticket: 2))
        var follow = chat
        follow.externalID = "conv-1/msg-2"
        follow.ticket = 1
        XCTAssertEqual(try take(follow, &fixture), .added(ticket: 1, threading: .named(ticket: 1)))
        XCTAssertFalse(fixture.ticket(1).isMailThread, "chat replies are not mailed")
    }

    func testEmptyBodiesAndSubjectsGetPlaceholders() throws {
        var fixture = DeskFixture()
        try take(mail("a@x", subject: "  ", body: "\n"), &fixture)
        XCTAssertEqual(fixture.ticket(1).subject, "(no subject)")
        XCTAssertEqual(fixture.ticket(1).messages.first?.body, .text("(no text)"))
    }

    // MARK: - Loop protection

    func testClassifyingAutomaticMail() {
        func classify(_ headers: [(String, String)], from: String = "jane@example.com",
                      type: String = "text/plain") -> AutomaticMail? {
            Intake.classify(headers: headers.map { (name: $0.0, value: $0.1) }, from: from, contentType: type,
                            deskAddresses: ["support@acme.example"])
        }
        XCTAssertNil(classify([("Subject", "hi"), ("Auto-Submitted", "no")]))
        XCTAssertEqual(classify([("auto-submitted", "auto-replied")]), .autoReply)
        XCTAssertEqual(classify([("Auto-Submitted", "auto-generated; owner-email=x@y")]), .autoReply)
        XCTAssertEqual(classify([("X-Autoreply", "yes")]), .autoReply)
        XCTAssertEqual(classify([("Precedence", "bulk")]), .bulk)
        XCTAssertEqual(classify([("Precedence", "Junk")]), .bulk)
        XCTAssertEqual(classify([("Precedence", "list")]), .bulk)
        XCTAssertEqual(classify([("List-Id", "<news.example.com>")]), .bulk)
        XCTAssertEqual(classify([], from: "MAILER-DAEMON@mx.example.com"), .bounce)
        XCTAssertEqual(classify([], from: "postmaster@example.com"), .bounce)
        XCTAssertEqual(classify([("Return-Path", "<>")]), .bounce)
        XCTAssertEqual(classify([], type: "multipart/report"), .bounce)
        XCTAssertEqual(classify([], from: "Support@Acme.Example"), .loop)
    }

    // MARK: - The outbox

    func testFailedMailWaitsLongerEachTimeAndSentMailIsNeverDue() throws {
        var fixture = DeskFixture()
        try take(mail("a@x"), &fixture)
        try fixture.run(.reply(ticket: 1, body: "One"), as: "alice")
        XCTAssertEqual(Outbox.pending(on: fixture.desk, now: fixture.now, all: false).map(\.number), [1])
        func record(_ event: Event) throws {
            fixture.seq += 1
            try fixture.desk.apply(event, context: EventContext(seq: fixture.seq, at: fixture.now, actor: "mail"))
        }
        try record(.mailFailed(ticket: 1, mail: 1, error: "boom"))
        XCTAssertTrue(Outbox.pending(on: fixture.desk, now: fixture.now, all: false).isEmpty, "waits after a failure")
        XCTAssertEqual(Outbox.pending(on: fixture.desk, now: fixture.now, all: true).count, 1)
        XCTAssertEqual(Outbox.pending(on: fixture.desk, now: fixture.now.addingTimeInterval(60), all: false).count, 1)
        try record(.mailFailed(ticket: 1, mail: 1, error: "boom again"))
        XCTAssertEqual(Outbox.wait(afterFailures: 2), 120)
        XCTAssertEqual(Outbox.wait(afterFailures: 50), Outbox.longestWait)
        let mail = try XCTUnwrap(fixture.ticket(1).outbound.first)
        XCTAssertEqual(mail.attempts, 2)
        XCTAssertEqual(mail.lastError, "boom again")
        try record(.mailSent(ticket: 1, mail: 1, messageID: "m@acme"))
        XCTAssertTrue(Outbox.pending(on: fixture.desk, now: fixture.now, all: true).isEmpty)
        XCTAssertEqual(fixture.ticket(1).outbound.first?.state, .sent)
        // A late failure report does not undo a success.
        try record(.mailFailed(ticket: 1, mail: 1, error: "late"))
        XCTAssertEqual(fixture.ticket(1).outbound.first?.state, .sent)
    }

    func testThreadHeadersNameTheCustomersLastMessage() throws {
        var fixture = try deskWithAMailedReply(first: "a@x", sent: "r1@acme")
        try take(mail("b@x", references: ["r1@acme"]), &fixture)
        try take(mail("c@x", references: ["r1@acme"], automatic: .autoReply), &fixture)
        let headers = Outbox.threadHeaders(fixture.ticket(1))
        XCTAssertEqual(headers.inReplyTo, "b@x")
        XCTAssertEqual(headers.references, ["a@x", "r1@acme", "b@x"])
    }

    func testTheChannelIndexIsRebuiltFromHistory() throws {
        var fixture = DeskFixture()
        try take(mail("a@x"), &fixture)
        try take(mail("b@x", subject: "other"), &fixture)
        var copy = fixture.desk
        copy.rebuildChannelIndex()
        XCTAssertEqual(copy.channelIndex, fixture.desk.channelIndex)
        XCTAssertEqual(copy.channelIndex.count, 2)
    }

    // MARK: - Customer import

    func testImportMapsHeadersAndReportsBadRows() throws {
        var fixture = DeskFixture()
        _ = fixture.open(email: "known@example.com")
        let plan = try CustomerImport.plan(
            header: ["E-mail Address", "Full Name", "Company", "Telephone", "Favourite colour"],
            rows: [["new@example.com", "New Person", "Acme", "+1 555", "blue"],
                   ["known@example.com", "Known Person", "", "", ""],
                   ["not-an-email", "Bad", "", "", ""],
                   ["NEW@example.com", "Twice", "", "", ""],
                   ["", "", "", "", ""]],
            by: "alice", at: fixture.now, on: fixture.desk)
        XCTAssertEqual(plan.rows, [.created(email: "new@example.com"), .updated(email: "known@example.com"),
                                   .bad(reason: "bad email address 'not-an-email'"),
                                   .bad(reason: "NEW@example.com is also on row 1"), .bad(reason: "empty row")])
        XCTAssertEqual(plan.ignoredColumns, ["Favourite colour"])
        XCTAssertEqual(plan.bad.map(\.row), [3, 4, 5])
        guard case .customerCreated(_, "new@example.com", "New Person", "+1 555", "Acme", nil)? = plan.events.first else {
            return XCTFail("\(plan.events)")
        }
        XCTAssertThrowsError(try CustomerImport.plan(header: ["name"], rows: [], by: "alice", at: fixture.now,
                                                     on: fixture.desk))
        XCTAssertEqual(CustomerImport.field(forHeader: "Organization"), .organisation)
        XCTAssertNil(CustomerImport.field(forHeader: "id"))
    }
}
