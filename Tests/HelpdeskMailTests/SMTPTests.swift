import Foundation
import XCTest
@testable import HelpdeskMail
#if canImport(Glibc)
import Glibc
#endif

/// One real SMTP hop: Debian's msmtp as the sendmail command, delivering to an aiosmtpd server on
/// 127.0.0.1 that the test starts; the customer's answer to what arrived goes back through ingest.
final class SMTPTests: XCTestCase {
    static let msmtp = "/usr/bin/msmtp"
    static let python = "/usr/bin/python3"

    var server: pid_t?

    override func tearDown() {
        if let server {
            kill(server, SIGTERM)
            _ = Processes.wait(server)
        }
        super.tearDown()
    }

    func testAReplyCrossesARealSMTPHopAndTheAnswerComesBack() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.msmtp) else { throw XCTSkip("msmtp is not installed (.ci/run installs it)") }
        let desk = try MailHarness()
        let environment = ProcessInfo.processInfo.environment
        guard (try? Processes.run(Self.python, ["-c", "import aiosmtpd"], environment: environment, in: desk.desk.path))?
            .status == 0 else {
            throw XCTSkip("python3-aiosmtpd is not installed (.ci/run installs it)")
        }
        let maildir = desk.directory.appendingPathComponent("maildir").path
        let port = try Ports.free()
        server = try Processes.spawn(Self.python, ["-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox",
                                                   maildir], environment: environment)
        XCTAssertTrue(Processes.waitUntil(timeout: 15) { Ports.listening(port) }, "the SMTP server did not start")

        try desk.writeConfig("""
            address: support@acme.example
            name: Acme Support
            subject_tag: "Acme #"
            sendmail: \(Self.msmtp) -C /dev/null --host=127.0.0.1 --port=\(port) --auth=off --tls=off --from=support@acme.example -t
            """)
        XCTAssertEqual(try desk.ingest("plain.eml"), "opened ticket 1\n")
        try desk.ok("take", "1")
        let body = "Hello Jane,\n\nPlease pull the plug — then call us. Ça va?\n\nAcme Support"
        XCTAssertEqual(try desk.ok("reply", "1", "--body", body).stdout, "replied on ticket 1; mailed to jane@example.com\n")

        let arrived = desk.directory.appendingPathComponent("maildir/new").path
        XCTAssertTrue(Processes.waitUntil(timeout: 10) {
            ((try? FileManager.default.contentsOfDirectory(atPath: arrived)) ?? []).count == 1
        }, "the reply did not arrive")
        let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: arrived).first)
        let received = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(arrived)/\(name)")))
        let mail = try MailParser.parse(received)
        XCTAssertEqual(mail.header("X-RcptTo"), "jane@example.com", "the envelope recipient")
        XCTAssertEqual(mail.header("X-MailFrom"), "support@acme.example")
        XCTAssertEqual(mail.from, Mailbox(address: "support@acme.example", name: "Acme Support"))
        XCTAssertEqual(mail.to, [Mailbox(address: "jane@example.com", name: "Jane Doe")])
        XCTAssertEqual(mail.subject, "Re: Printer on fire [Acme #1]")
        XCTAssertEqual(mail.inReplyTo, ["CAF=plain.1@mail.example.com"])
        XCTAssertEqual(mail.text, body)
        let sent = try XCTUnwrap((try desk.messages(1)[1]["delivery"] as? [String: Any])?["message_id"] as? String)
        XCTAssertEqual(mail.messageID, sent, "the Message-ID the desk remembers")

        // The customer answers from their mail client; the MTA pipes it to ingest.
        let answer = """
            From: Jane Doe <jane@example.com>
            To: Acme Support <support@acme.example>
            Subject: Re: \(mail.subject)
            Message-ID: <answer.2@mail.example.com>
            In-Reply-To: <\(mail.messageID!)>
            References: <CAF=plain.1@mail.example.com> <\(mail.messageID!)>
            Content-Type: text/plain; charset=utf-8

            Unplugged. It stopped smoking, thank you!

            """
        XCTAssertEqual(try desk.ingest(bytes: Data(answer.utf8)), "added to ticket 1 (by In-Reply-To/References)\n")
        let messages = try desk.messages(1)
        XCTAssertEqual(messages.map { $0["kind"] as? String }, ["customer", "reply", "customer"])
        XCTAssertEqual(messages.last?["body"] as? String, "Unplugged. It stopped smoking, thank you!")
        XCTAssertEqual(try desk.ticket(1)["status"] as? String, "open")
    }
}
