import Foundation
import XCTest
@testable import HelpdeskMail

/// Bounces come back to the desk: a delivery status report (Postfix's format) for a mail the desk
/// sent marks that mail failed on its ticket, and it is never sent again.
final class BounceTests: XCTestCase {
    /// A bounce as Postfix's bounce(8) writes it for `original` (whose headers it quotes).
    static func postfixBounce(of original: String, recipient: String, diagnostic: String) -> String {
        let headers = original.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")[0]
        return """
            Return-Path: <>
            From: MAILER-DAEMON@helpdesk.test (Mail Delivery System)
            Subject: Undelivered Mail Returned to Sender
            To: support@acme.example
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status;
            \tboundary="4F2A1C0E3.1764512345/helpdesk.test"
            Message-Id: <20261130142233.4F2A1C0E3@helpdesk.test>

            This is a MIME-encapsulated message.

            --4F2A1C0E3.1764512345/helpdesk.test
            Content-Description: Notification
            Content-Type: text/plain; charset=us-ascii

            This is the mail system at host helpdesk.test.

            I'm sorry to have to inform you that your message could not
            be delivered to one or more recipients.

            <\(recipient)>: \(diagnostic)

            --4F2A1C0E3.1764512345/helpdesk.test
            Content-Description: Delivery report
            Content-Type: message/delivery-status

            Reporting-MTA: dns; helpdesk.test
            X-Postfix-Queue-ID: 4F2A1C0E3
            X-Postfix-Sender: rfc822; support@acme.example
            Arrival-Date: Mon, 30 Nov 2026 14:22:33 +0000 (UTC)

            Final-Recipient: rfc822; \(recipient)
            Original-Recipient: rfc822;\(recipient)
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: X-Postfix; \(diagnostic)

            --4F2A1C0E3.1764512345/helpdesk.test
            Content-Description: Undelivered Message Headers
            Content-Type: text/rfc822-headers

            \(headers)

            --4F2A1C0E3.1764512345/helpdesk.test--

            """
    }

    func testTheReportOfAPostfixBounceNamesTheRecipientStatusAndDiagnostic() throws {
        let original = "From: support@acme.example\nMessage-ID: <helpdesk.1.1.abc@acme.example>\nSubject: Re: x [#1]\n\nHi\n"
        let parsed = try MailParser.parse(Array(Self.postfixBounce(of: original, recipient: "nosuchuser@helpdesk.test",
                                                                   diagnostic: "unknown user: \"nosuchuser\"").utf8))
        XCTAssertEqual(parsed.embeddedMessageIDs, ["helpdesk.1.1.abc@acme.example"])
        XCTAssertEqual(BounceReport.read(parsed).reason, "nosuchuser@helpdesk.test: 5.1.1 unknown user: \"nosuchuser\"")
    }

    func testAMailerDaemonMessageWithoutAReportGivesItsFailedRecipientsAndSubject() throws {
        let text = "From: Mailer-Daemon@mx.example\nX-Failed-Recipients: jane@example.com\n"
            + "Subject: Mail delivery failed: returning message to sender\n\nThe mail \u{1B}[31mcould not\n"
        let report = BounceReport.read(try MailParser.parse(Array(text.utf8)))
        XCTAssertEqual(report.reason, "jane@example.com: Mail delivery failed: returning message to sender")
    }

    func testADiagnosticIsKeptOnOneLineWithoutControlCharactersAndCut() throws {
        let status = "Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.0.0\n"
            + "Diagnostic-Code: smtp; 550 \u{1B}[2Jno\n  such\tuser " + String(repeating: "x", count: 1000) + "\n"
        let mail = "From: MAILER-DAEMON@b.example\nMIME-Version: 1.0\nContent-Type: multipart/report; boundary=\"R\"\n\n"
            + "--R\nContent-Type: message/delivery-status\n\n\(status)\n--R--\n"
        let reason = BounceReport.read(try MailParser.parse(Array(mail.utf8))).reason
        XCTAssertTrue(reason.hasPrefix("a@b.example: 5.0.0 550 [2Jno such user xxx"), reason)
        XCTAssertFalse(reason.unicodeScalars.contains { $0.properties.generalCategory == .control })
        XCTAssertEqual(reason.count, BounceReport.longestReason + 1)
    }

    func testTheEnvelopeSenderIsPassedOnlyToSendmailLikeCommandsThatNameNone() {
        XCTAssertEqual(Sendmail.withEnvelopeSender("support@acme.example", command: "/usr/sbin/sendmail -t -i"),
                       "/usr/sbin/sendmail -f support@acme.example -t -i")
        XCTAssertEqual(Sendmail.withEnvelopeSender("support@acme.example", command: "msmtp -t --from=x@y.example"),
                       "msmtp -t --from=x@y.example")
        XCTAssertEqual(Sendmail.withEnvelopeSender("support@acme.example", command: "cat > /tmp/sent"), "cat > /tmp/sent")
        XCTAssertEqual(Sendmail.withEnvelopeSender("s@acme.example", command: "sendmail -i jane@example.com"),
                       "sendmail -f s@acme.example -i jane@example.com", "before the recipients")
        XCTAssertEqual(Sendmail.withEnvelopeSender("a;b@acme.example", command: "sendmail -t"), "sendmail -t")
        var config = MailConfig()
        config.address = "support@acme.example"
        XCTAssertEqual(config.sendmailCommand, "/usr/sbin/sendmail -f support@acme.example -t -i")
        config = (try? MailConfig.parse("address: support@acme.example\nenvelope_sender: bounces@acme.example\n", path: "c")) ?? config
        XCTAssertEqual(config.sendmailCommand, "/usr/sbin/sendmail -f bounces@acme.example -t -i")
        config = (try? MailConfig.parse("address: support@acme.example\nenvelope_sender: none\n", path: "c")) ?? config
        XCTAssertEqual(config.sendmailCommand, "/usr/sbin/sendmail -t -i")
        XCTAssertThrowsError(try MailConfig.parse("envelope_sender: not an address\n", path: "c"))
    }

    func testABounceOfASentReplyMarksItFailedInShowAndDeliverListAndItIsNotSentAgain() throws {
        let desk = try MailHarness()
        let sent = desk.directory.appendingPathComponent("sent").path
        try FileManager.default.createDirectory(atPath: sent, withIntermediateDirectories: true)
        let sendmail = try desk.script("fake-sendmail", "f=$(mktemp \(sent)/mail.XXXXXX) && cat > \"$f\"\n")
        try desk.writeConfig("address: support@acme.example\nsendmail: \(sendmail) -t -i\n")
        try desk.ingest("plain.eml")
        try desk.ok("take", "1")
        try desk.ok("reply", "1", "--body", "On its way")
        let reply = try String(contentsOfFile: "\(sent)/\(try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: sent).first))",
                               encoding: .utf8)
        let bounce = Self.postfixBounce(of: reply, recipient: "jane@example.com", diagnostic: "unknown user: \"jane\"")

        XCTAssertTrue(try desk.ingest(bytes: Data(bounce.utf8)).contains("bounce mail, recorded only"))
        let failed = "mail FAILED: bounced: jane@example.com: 5.1.1 unknown user: \"jane\""
        let shown = try desk.ok("show", "1").stdout
        XCTAssertTrue(shown.contains(failed), shown)
        let delivery = try XCTUnwrap(try desk.messages(1)[1]["delivery"] as? [String: Any])
        XCTAssertEqual(delivery["state"] as? String, "failed")
        XCTAssertEqual(delivery["bounce"] as? String, "bounced: jane@example.com: 5.1.1 unknown user: \"jane\"")
        let list = try desk.ok("deliver", "--list").stdout
        XCTAssertTrue(list.contains("bounced") && list.contains("unknown user"), list)

        try desk.ok("deliver", "--all")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sent).count, 1, "a bounced mail is not sent again")
        XCTAssertTrue(try desk.ingest(bytes: Data(bounce.utf8)).hasPrefix("already taken"), "the same bounce twice")
        XCTAssertEqual(try desk.ok("show", "1").stdout.components(separatedBy: "mail FAILED").count, 2)
    }
}
