import Foundation
import HelpdeskTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Mail through a real Postfix (Debian's, a private local-only instance): in by an alias that
/// pipes to `helpdesk ingest`, out by `sendmail -t -i` to a local Maildir, the answer threaded
/// back, a held lock deferring delivery until Postfix tries again, and a bounce marking the
/// desk's mail failed. Every wait has a deadline; Postfix is stopped and everything removed after.
final class PostfixRoundTripTests: XCTestCase {
    private var server: PostfixServer?
    /// Postfix's deliveries are quick; the deadline only bounds a broken run.
    let deadline: TimeInterval = 60

    override func setUpWithError() throws {
        try super.setUpWithError()
        server = try PostfixServer()
    }

    override func tearDown() {
        server?.stop()
        server = nil
        super.tearDown()
    }

    func mail(from: String, subject: String, id: String, body: String, headers: String = "") -> String {
        """
        From: Jane Customer <\(from)>
        To: \(PostfixServer.deskAddress)
        Subject: \(subject)
        Message-ID: <\(id)>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: 8bit
        \(headers)
        \(body)

        """
    }

    /// `show ID --json` once the ticket exists with `count` messages (waiting for Postfix).
    @discardableResult
    func waitForTicket(_ id: Int, messages count: Int, _ server: PostfixServer,
                       file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        var ticket: [String: Any] = [:]
        do {
            try waitFor("ticket \(id) with \(count) messages", timeout: deadline, file: file, line: line) {
                let shown = try server.helpdesk("show", String(id), "--json")
                guard shown.status == 0,
                      let object = try JSONSerialization.jsonObject(with: shown.stdoutData) as? [String: Any],
                      let messages = object["messages"] as? [[String: Any]] else { return false }
                ticket = object
                return messages.count >= count
            }
        } catch {
            XCTFail("Postfix's log:\n\(server.log())", file: file, line: line)
            throw error
        }
        return ticket
    }

    func ticketCount(_ server: PostfixServer) throws -> Int {
        let listed = try server.helpdesk("list", "--status", "all", "--json")
        XCTAssertEqual(listed.status, 0, listed.stderr)
        return (try JSONSerialization.jsonObject(with: listed.stdoutData) as? [Any])?.count ?? -1
    }

    func header(_ name: String, in raw: String) -> String? {
        let head = raw.components(separatedBy: "\n\n")[0].replacingOccurrences(of: "\n\t", with: " ")
            .replacingOccurrences(of: "\n ", with: " ")
        return head.split(separator: "\n").first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
            .map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
    }

    func testMailInAReplyOutToAMaildirAndTheAnswerThreadsOntoTheSameTicket() throws {
        let server = try XCTUnwrap(server)
        let jane = try server.addCustomer("jane")
        try server.submit(mail(from: jane.address, subject: "Printer on fire", id: "jane.1@helpdesk.test",
                               body: "It is on fire. Grüße, Jane"), from: jane.address)
        let opened = try waitForTicket(1, messages: 1, server)
        XCTAssertEqual((opened["customer"] as? [String: Any])?["email"] as? String, jane.address, "\(opened)")

        XCTAssertEqual(try server.helpdesk("take", "1").status, 0)
        let body = "Grüße aus dem Support — 東京: please unplug it."
        let replied = try server.helpdesk("reply", "1", "--body", body)
        XCTAssertEqual(replied.stdout, "replied on ticket 1; mailed to \(jane.address)\n", replied.stderr)
        try waitFor("the reply in \(jane.account)'s Maildir", timeout: deadline) { !server.mailbox(jane.account).isEmpty }
        let delivered = server.mailbox(jane.account)
        XCTAssertEqual(delivered.count, 1)
        let raw = try XCTUnwrap(delivered.first)
        XCTAssertEqual(header("Return-Path", in: raw), "<\(PostfixServer.deskAddress)>", "the envelope sender is the desk")
        XCTAssertEqual(header("From", in: raw), "Helpdesk Support <\(PostfixServer.deskAddress)>")
        XCTAssertEqual(header("Subject", in: raw), "Re: Printer on fire [#1]")
        let messageID = try XCTUnwrap(header("Message-ID", in: raw))
        XCTAssertTrue(messageID.hasPrefix("<helpdesk.1.1.") && messageID.hasSuffix("@helpdesk.test>"), messageID)
        XCTAssertEqual(header("In-Reply-To", in: raw), "<jane.1@helpdesk.test>")
        XCTAssertEqual(header("References", in: raw), "<jane.1@helpdesk.test>")
        XCTAssertTrue(header("Content-Type", in: raw)?.lowercased().contains("charset=utf-8") ?? false, raw)
        let encoded = raw.components(separatedBy: "\n\n").dropFirst().joined(separator: "\n\n")
        switch header("Content-Transfer-Encoding", in: raw)?.lowercased() {
        case "quoted-printable": XCTAssertTrue(Self.quotedPrintableDecoded(encoded).contains(body), raw)
        case "base64":  // GMime's choice when much of the text is not ASCII
            let decoded = Data(base64Encoded: encoded.filter { !$0.isWhitespace })
            XCTAssertTrue(decoded.map { String(decoding: $0, as: UTF8.self) }?.contains(body) ?? false, raw)
        default: XCTFail("a UTF-8 body is sent quoted-printable or base64: \(raw)")
        }

        // Jane's mail client answers the delivered message (no tag in the subject: In-Reply-To threads it).
        try server.submit(mail(from: jane.address, subject: "Re: Printer on fire", id: "jane.2@helpdesk.test",
                               body: "Unplugged, thank you.", headers: "In-Reply-To: \(messageID)\nReferences: <jane.1@helpdesk.test> \(messageID)"),
                          from: jane.address)
        let answered = try waitForTicket(1, messages: 3, server)
        let messages = try XCTUnwrap(answered["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.map { $0["kind"] as? String }, ["customer", "reply", "customer"])
        XCTAssertTrue((messages[2]["body"] as? String ?? "").contains("Unplugged"))
        XCTAssertEqual(try ticketCount(server), 1)
    }

    func testALockedLogMakesPostfixDeferAndDeliverLaterOnceWithNothingLostOrDoubled() throws {
        let server = try XCTUnwrap(server)
        let jane = try server.addCustomer("jane")
        // Hold the log's lock as another writer would, past ingest's --lock-timeout (2 s).
        let pidFile = server.base + "/holder.pid"
        let holder = try Processes.spawn(try XCTUnwrap(Processes.which("flock")),
                                         ["-o", server.logPath, "sh", "-c", "echo $$ > \(pidFile); exec sleep 120"],
                                         environment: ["PATH": "/usr/bin:/bin"])
        var released = false
        defer {
            if !released, let pid = try? String(contentsOfFile: pidFile, encoding: .utf8) { kill(pid_t(pid.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, SIGKILL) }
            _ = Processes.wait(holder)
        }
        try waitFor("flock to hold the log's lock", timeout: deadline) { FileManager.default.fileExists(atPath: pidFile) }

        try server.submit(mail(from: jane.address, subject: "While locked", id: "jane.locked@helpdesk.test",
                               body: "Sent while the log was locked."), from: jane.address)
        try waitFor("Postfix to defer the mail (ingest exits 75)", timeout: deadline) {
            server.log().contains("status=deferred")
        }
        XCTAssertTrue(server.log().contains("status=deferred (temporary failure. Command output: helpdesk:"), server.log())
        XCTAssertTrue(server.log().contains("desk.log stayed locked by another process for 2 s"), server.log())
        XCTAssertFalse(try server.queueIsEmpty(), "the mail waits in Postfix's queue")
        XCTAssertEqual(try ticketCount(server), 0)

        let pid = try XCTUnwrap(pid_t(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(pid, SIGTERM)
        released = true
        XCTAssertNotEqual(Processes.wait(holder), -1)
        try server.flushQueue()
        try waitForTicket(1, messages: 1, server)
        try waitFor("Postfix's queue to empty", timeout: deadline) { try server.queueIsEmpty() }
        try server.flushQueue()  // nothing left to deliver twice
        XCTAssertEqual(try ticketCount(server), 1)
        let shown = try server.helpdesk("show", "1", "--json")
        let messages = (try JSONSerialization.jsonObject(with: shown.stdoutData) as? [String: Any])?["messages"] as? [Any]
        XCTAssertEqual(messages?.count, 1, "delivered once: \(shown.stdout)")
    }

    func testAReplyToANonexistentLocalUserBouncesBackAndTheTicketShowsTheMailFailed() throws {
        let server = try XCTUnwrap(server)
        let nobody = "hdpf-nobody-\(server.suffix)@\(PostfixServer.domain)"  // no such account
        try server.submit(mail(from: nobody, subject: "Who am I", id: "nobody.1@helpdesk.test", body: "Hello"), from: nobody)
        try waitForTicket(1, messages: 1, server)
        XCTAssertEqual(try server.helpdesk("take", "1").status, 0)
        let replied = try server.helpdesk("reply", "1", "--body", "We cannot find you.")
        XCTAssertTrue(replied.stdout.contains("mailed to \(nobody)"), replied.stdout + replied.stderr)

        var shown = ""
        do {
            try waitFor("the bounce to mark the reply failed", timeout: deadline) {
                shown = try server.helpdesk("show", "1").stdout
                return shown.contains("mail FAILED: bounced:")
            }
        } catch {
            XCTFail("show:\n\(shown)\nPostfix's log:\n\(server.log())")
            throw error
        }
        XCTAssertTrue(shown.contains("hdpf-nobody-\(server.suffix)@helpdesk.test: 5.1.1 unknown user"), shown)
        let listed = try server.helpdesk("deliver", "--list").stdout
        XCTAssertTrue(listed.contains("bounced") && listed.contains("unknown user"), listed)
        XCTAssertEqual(try ticketCount(server), 1, "the bounce opened no ticket")
    }

    /// The body of a quoted-printable message as text (soft line breaks joined, =XX decoded).
    static func quotedPrintableDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        let source = Array(text.replacingOccurrences(of: "=\n", with: "").utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "="), index + 2 < source.count,
               let value = UInt8(String(decoding: source[index + 1...index + 2], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
