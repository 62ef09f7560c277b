import Foundation
import XCTest
@testable import HelpdeskMail

/// Mail out with the log as the outbox: failure injection (a sendmail that fails, a crash between
/// sending and recording, two deliveries at once) and exactly-once delivery.
final class DeliveryTests: XCTestCase {
    /// A desk whose sendmail is `fake-sendmail` (a script the test rewrites to fail or succeed).
    func makeDesk(acknowledge: Bool = false) throws -> (MailHarness, sent: String) {
        let desk = try MailHarness()
        let sent = desk.directory.appendingPathComponent("sent").path
        try FileManager.default.createDirectory(atPath: sent, withIntermediateDirectories: true)
        let sendmail = desk.directory.appendingPathComponent("fake-sendmail").path
        try desk.writeConfig("""
            address: support@acme.example
            name: Acme Support
            sendmail: \(sendmail) -t -i
            acknowledge: \(acknowledge)
            acknowledgement:
              subject: "Ticket {ticket} received: {subject}"
              body: "Hello {name}, we have your message ({tag})."
            """)
        try works(desk, sent)
        return (desk, sent)
    }

    /// sendmail takes the message: it lands in `sent/`, one file per message.
    func works(_ desk: MailHarness, _ sent: String) throws {
        _ = try desk.script("fake-sendmail", "f=$(mktemp \(sent)/mail.XXXXXX) && cat > \"$f\"\n")
    }

    func fails(_ desk: MailHarness) throws {
        _ = try desk.script("fake-sendmail", "cat > /dev/null\necho 'smtp.example: connection refused' >&2\nexit 75\n")
    }

    /// A reply whose mail fails: recorded, and said on stderr with exit 75 (EX_TEMPFAIL), since
    /// the customer has not got it yet and `helpdesk deliver` will try again.
    @discardableResult
    func replyFailingToMail(_ desk: MailHarness, _ id: Int, _ body: String,
                            file: StaticString = #filePath, line: UInt = #line) throws -> Ran {
        let replied = try desk.run(["reply", "\(id)", "--body", body])
        XCTAssertEqual(replied.status, 75, replied.stderr, file: file, line: line)
        XCTAssertEqual(replied.stdout, "", file: file, line: line)
        XCTAssertTrue(replied.stderr.hasPrefix("helpdesk: replied on ticket \(id); mail not sent yet ("), replied.stderr,
                      file: file, line: line)
        XCTAssertTrue(replied.stderr.contains("helpdesk deliver will try again"), replied.stderr, file: file, line: line)
        return replied
    }

    func sentMail(_ sent: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: sent).sorted().map {
            try String(contentsOfFile: "\(sent)/\($0)", encoding: .utf8)
        }
    }

    func delivery(_ desk: MailHarness, ticket: Int, message: Int) throws -> [String: Any] {
        let messages = try desk.messages(ticket)
        return try XCTUnwrap(messages[message - 1]["delivery"] as? [String: Any], "\(messages[message - 1])")
    }

    func testAReplyIsRecordedThenMailedWithTheDesksHeaders() throws {
        let (desk, sent) = try makeDesk()
        try desk.ingest("latin1.eml")
        let replied = try desk.ok("reply", "1", "--body", "Bonjour André,\n\nEssayez de vous reconnecter — merci.")
        XCTAssertEqual(replied.stdout, "replied on ticket 1; mailed to andre@exemple.fr\n")
        let mails = try sentMail(sent)
        XCTAssertEqual(mails.count, 1)
        let parsed = try MailParser.parse(Array(mails[0].utf8))
        XCTAssertEqual(parsed.from, Mailbox(address: "support@acme.example", name: "Acme Support"))
        XCTAssertEqual(parsed.replyTo?.address, "support@acme.example")
        XCTAssertEqual(parsed.to, [Mailbox(address: "andre@exemple.fr", name: "André Lefèvre")])
        XCTAssertEqual(parsed.subject, "Re: Problème de connexion [#1]")
        XCTAssertEqual(parsed.inReplyTo, ["latin1.4@exemple.fr"])
        XCTAssertEqual(parsed.references, ["latin1.4@exemple.fr"])
        XCTAssertEqual(parsed.text, "Bonjour André,\n\nEssayez de vous reconnecter — merci.")
        XCTAssertNil(parsed.header("Auto-Submitted"), "a person's reply is not marked automatic")
        let state = try delivery(desk, ticket: 1, message: 2)
        XCTAssertEqual(state["state"] as? String, "sent")
        XCTAssertEqual(state["message_id"] as? String, parsed.messageID)
        XCTAssertTrue(try desk.ok("show", "1").stdout.contains("· mailed "))
        // The customer's answer comes back onto the same ticket.
        let answer = """
            From: andre@exemple.fr
            To: support@acme.example
            Subject: Re: \(parsed.subject)
            Message-ID: <answer.1@exemple.fr>
            In-Reply-To: <\(parsed.messageID!)>

            Merci, ça marche.

            """
        XCTAssertTrue(try desk.ingest(bytes: Data(answer.utf8)).hasPrefix("added to ticket 1 (by In-Reply-To"))
    }

    func testABounceOfAReplyIsRecordedOnItsTicket() throws {
        let (desk, sent) = try makeDesk()
        try desk.ingest("plain.eml")
        try desk.ok("take", "1")
        try desk.ok("reply", "1", "--body", "On its way")
        let reply = try XCTUnwrap(try sentMail(sent).first)
        let bounce = """
            Return-Path: <>
            From: MAILER-DAEMON@mail.acme.example (Mail Delivery System)
            To: support@acme.example
            Subject: Undelivered Mail Returned to Sender
            Message-ID: <bounce.99@mail.acme.example>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="B"

            --B
            Content-Type: text/plain

            <jane@example.com>: mailbox full

            --B
            Content-Type: message/rfc822

            \(reply)
            --B--

            """
        XCTAssertTrue(try desk.ingest(bytes: Data(bounce.utf8)).contains("bounce mail, recorded only"))
        let messages = try desk.messages(1)
        XCTAssertEqual(messages.last?["kind"] as? String, "note")
        XCTAssertTrue((messages.last?["body"] as? String ?? "").contains("mailbox full"))
        XCTAssertEqual(try desk.ticket(1)["status"] as? String, "open", "a bounce changes nothing")
        XCTAssertEqual(try sentMail(sent).count, 1, "and sends nothing")
    }

    func testAFailingSendmailKeepsTheReplyAndDeliverSendsItLaterExactlyOnce() throws {
        let (desk, sent) = try makeDesk()
        try desk.ingest("plain.eml")
        try fails(desk)
        let replied = try replyFailingToMail(desk, 1, "Please unplug it.")
        XCTAssertTrue(replied.stderr.contains("connection refused"), replied.stderr)
        var state = try delivery(desk, ticket: 1, message: 2)
        XCTAssertEqual(state["state"] as? String, "failed")
        XCTAssertEqual(state["attempts"] as? Int, 1)
        XCTAssertTrue((state["last_error"] as? String ?? "").contains("exited with status 75: smtp.example: connection refused"))
        XCTAssertTrue(try desk.ok("show", "1").stdout.contains("mail FAILED (1 try)"))

        // Still failing: deliver --all tries again, records it, exits 75 for cron to notice.
        let again = try desk.run(["deliver", "--all"])
        XCTAssertEqual(again.status, 75, again.stderr)
        XCTAssertEqual(try delivery(desk, ticket: 1, message: 2)["attempts"] as? Int, 2)
        // Without --all, a mail that just failed waits (1 min, 2, 4…): nothing is tried.
        XCTAssertEqual(try desk.ok("deliver").stdout, "")
        XCTAssertEqual(try delivery(desk, ticket: 1, message: 2)["attempts"] as? Int, 2)

        try works(desk, sent)
        XCTAssertEqual(try desk.ok("deliver", "--all").stdout, "sent mail 1 of ticket 1 (reply 2)\n")
        XCTAssertEqual(try sentMail(sent).count, 1)
        for _ in 0..<3 { XCTAssertEqual(try desk.ok("deliver", "--all").stdout, "") }
        XCTAssertEqual(try sentMail(sent).count, 1, "never sent twice")
        state = try delivery(desk, ticket: 1, message: 2)
        XCTAssertEqual(state["state"] as? String, "sent")
        XCTAssertEqual(state["attempts"] as? Int, 3)
        XCTAssertTrue(try desk.ok("deliver", "--list").stdout.split(separator: "\n").count == 1, "only the header")
    }

    func testTwoDeliveriesAtOnceSendEachMailOnce() throws {
        let (desk, sent) = try makeDesk()
        try desk.ingest("plain.eml")
        try fails(desk)
        for n in 1...4 { try replyFailingToMail(desk, 1, "Reply \(n)") }
        // A slow MTA, so that the two deliveries overlap.
        _ = try desk.script("fake-sendmail", "f=$(mktemp \(sent)/mail.XXXXXX) && cat > \"$f\" && sleep 0.1\n")
        let group = DispatchGroup()
        let statuses = Statuses()
        for _ in 0..<2 {
            group.enter()
            Thread.detachNewThread {
                let status = (try? desk.run(["deliver", "--all"]))?.status ?? -1
                statuses.add(status)
                group.leave()
            }
        }
        group.wait()
        XCTAssertEqual(statuses.all, [0, 0])
        let bodies = try sentMail(sent).map { try MailParser.parse(Array($0.utf8)).text }.sorted()
        XCTAssertEqual(bodies, ["Reply 1", "Reply 2", "Reply 3", "Reply 4"])
    }

    func testACrashBetweenSendingAndRecordingDoesNotSendAgain() throws {
        let (desk, sent) = try makeDesk()
        try desk.ingest("plain.eml")
        try fails(desk)
        try replyFailingToMail(desk, 1, "Hello")
        // As if sendmail had taken it and the process died before the log said so.
        let store = MailStore(logPath: desk.logPath)
        try store.markSent(ticket: 1, mail: 1, messageID: "helpdesk.1.1.crash@acme.example")
        try works(desk, sent)
        XCTAssertEqual(try desk.ok("deliver", "--all").stdout, "sent mail 1 of ticket 1 (reply 2)\n")
        XCTAssertEqual(try sentMail(sent).count, 0, "recorded as sent, not sent again")
        XCTAssertEqual(try delivery(desk, ticket: 1, message: 2)["state"] as? String, "sent")
        XCTAssertNil(store.sentMarker(ticket: 1, mail: 1))
    }

    func testTheAcknowledgementGoesOutOnceAndCannotStartALoop() throws {
        let (desk, sent) = try makeDesk(acknowledge: true)
        let said = try desk.ingest("plain.eml")
        XCTAssertEqual(said, "opened ticket 1\nacknowledgement: mailed to jane@example.com\n")
        try desk.ingest("reply-by-tag.eml")
        let mails = try sentMail(sent)
        XCTAssertEqual(mails.count, 1, "only a new ticket is acknowledged")
        let ack = try MailParser.parse(Array(mails[0].utf8))
        XCTAssertEqual(ack.subject, "Ticket 1 received: Printer on fire")
        XCTAssertEqual(ack.text, "Hello Jane Doe, we have your message ([#1]).")
        XCTAssertEqual(ack.header("Auto-Submitted"), "auto-replied")
        XCTAssertEqual(ack.inReplyTo, ["CAF=plain.1@mail.example.com"])
        XCTAssertTrue(try desk.ok("show", "1").stdout.contains("acknowledgement mail sent"))
        // The acknowledgement came straight back to the desk: it is the desk's own message.
        XCTAssertTrue(try desk.ingest(bytes: Data(mails[0].utf8)).hasPrefix("already taken"))
        // Another robot's copy of it (a new Message-ID, From the desk): recorded, nothing sent, no ticket.
        let copy = mails[0].replacingOccurrences(of: "Message-Id: <", with: "Message-Id: <copy.")
            .replacingOccurrences(of: "Message-ID: <", with: "Message-ID: <copy.")
        XCTAssertTrue(try desk.ingest(bytes: Data(copy.utf8)).contains("loop mail, recorded only"))
        XCTAssertEqual(try sentMail(sent).count, 1)
        XCTAssertEqual(try desk.ticketCount(), 1)
        // Auto-replies and bounces are never acknowledged.
        try desk.ingest("bulk.eml")
        XCTAssertEqual(try sentMail(sent).count, 1)
    }

    func testWithoutAnAddressMailWaitsInTheOutbox() throws {
        let desk = try MailHarness()
        try desk.ingest("plain.eml")
        let replied = try desk.ok("reply", "1", "--body", "Hello")
        XCTAssertTrue(replied.stdout.contains("mail is not set up"), replied.stdout)
        XCTAssertEqual(try delivery(desk, ticket: 1, message: 2)["state"] as? String, "queued")
        let deliver = try desk.run(["deliver"])
        XCTAssertEqual(deliver.status, 1)
        XCTAssertTrue(deliver.stderr.contains("mail is not set up"), deliver.stderr)
        // A ticket opened by hand (a phone call) is answered by phone: its replies are not mailed.
        try desk.ok("new", "--customer", "p@example.com", "--subject", "Phoned in", "--channel", "phone")
        XCTAssertEqual(try desk.ok("reply", "2", "--body", "Hi").stdout, "replied on ticket 2\n")
    }
}

private final class Statuses: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int32] = []
    func add(_ value: Int32) { lock.withLock { values.append(value) } }
    var all: [Int32] { lock.withLock { values } }
}
