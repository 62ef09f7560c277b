import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `helpdesk ingest` end to end, as an MTA runs it: the corpus threaded onto tickets, duplicates,
/// robots, the quarantine, attachments kept beside the log, and exit codes (0, or 75 to retry).
final class IngestTests: XCTestCase {
    func testTheCorpusThreadsOntoTickets() throws {
        let desk = try MailHarness()
        XCTAssertEqual(try desk.ingest("plain.eml"), "opened ticket 1\n")
        XCTAssertEqual(try desk.ingest("plain.eml"), "already taken: message <CAF=plain.1@mail.example.com> is on ticket 1\n",
                       "a second delivery adds nothing")
        XCTAssertTrue(try desk.ingest("reply-by-tag.eml").hasPrefix("added to ticket 1 (by its subject tag)"))
        XCTAssertTrue(try desk.ingest("reply-in-reply-to.eml").hasPrefix("added to ticket 1 (by In-Reply-To"))
        XCTAssertTrue(try desk.ingest("reply-references.eml").hasPrefix("added to ticket 1 (by In-Reply-To"))
        XCTAssertTrue(try desk.ingest("auto-reply.eml").contains("auto-reply mail, recorded only"))
        let messages = try desk.messages(1)
        XCTAssertEqual(messages.map { $0["kind"] as? String }, ["customer", "customer", "customer", "customer", "note"])
        XCTAssertEqual(messages.map { ($0["received"] as? [String: Any])?["id"] as? String },
                       ["CAF=plain.1@mail.example.com", "tag.10@mail.example.com", "irt.11@mail.example.com",
                        "refs.12@mail.example.com", "ooo.13@mail.example.com"])
        XCTAssertEqual((messages.last?["received"] as? [String: Any])?["automatic"] as? String, "auto-reply")
        XCTAssertEqual(try desk.ticket(1)["status"] as? String, "new", "nothing made it open: no agent has worked it")

        // Everything else in the corpus opens its own ticket, or is set aside.
        for name in ["alternative.eml", "html-only.eml", "latin1.eml", "windows-1252.eml", "mislabelled-latin1.eml",
                     "iso-8859-15.eml", "encoded-subject.eml", "attachments-rfc2231.eml", "forwarded.eml",
                     "outlook-related.eml"] {
            XCTAssertTrue(try desk.ingest(name).hasPrefix("opened ticket"), name)
        }
        XCTAssertEqual(try desk.ticketCount(), 11)
        XCTAssertTrue(try desk.ingest("bulk.eml").hasPrefix("quarantined"), "bulk mail for no ticket opens none")
        XCTAssertTrue(try desk.ingest("bounce.eml").hasPrefix("quarantined"), "a bounce for no ticket opens none")
        XCTAssertTrue(try desk.ingest("garbage.bin").hasPrefix("quarantined"))
        XCTAssertEqual(try desk.ticketCount(), 11)
        XCTAssertEqual(try desk.ticket(4)["subject"] as? String, "Problème de connexion")
        XCTAssertEqual((try desk.messages(5).first?["body"] as? String), "We were told it’s “free” but paid €50 – why?")
    }

    func testAReusedMessageIDIsKeptAndOnlyAByteIdenticalResendIsDropped() throws {
        let desk = try MailHarness()
        let plain = try MailHarness.corpus("plain.eml")
        let other = Data(String(decoding: plain, as: UTF8.self)
            .replacingOccurrences(of: "on fire again", with: "jammed this time").utf8)
        XCTAssertEqual(try desk.ingest("plain.eml"), "opened ticket 1\n")
        XCTAssertEqual(try desk.ingest(bytes: other), "opened ticket 2\nits Message-ID <CAF=plain.1@mail.example.com> was "
                       + "used before by another message (on ticket 1); it is kept as a message of its own, with a note\n")
        XCTAssertEqual(try desk.ingest(bytes: other), "already taken: message <CAF=plain.1@mail.example.com> is on ticket 2\n")
        XCTAssertEqual(try desk.ingest("plain.eml"), "already taken: message <CAF=plain.1@mail.example.com> is on ticket 1\n")
        XCTAssertEqual(try desk.ticketCount(), 2)
        let messages = try desk.messages(2)
        XCTAssertEqual(messages.map { $0["kind"] as? String }, ["customer", "note"])
        XCTAssertTrue((messages[0]["body"] as? String)?.contains("jammed this time") == true)
        XCTAssertTrue((messages[1]["body"] as? String)?.contains("<CAF=plain.1@mail.example.com>") == true)
        XCTAssertEqual(try desk.messages(1).count, 1)
    }

    func testAttachmentsAreKeptAndPrintedByteForByte() throws {
        let desk = try MailHarness()
        try desk.ingest("attachments-rfc2231.eml")
        let attachments = try XCTUnwrap(try desk.ticket(1)["attachments"] as? [[String: Any]])
        XCTAssertEqual(attachments.map { $0["name"] as? String }, ["écran de démarrage.png", "résumé.txt", "passwd"])
        XCTAssertEqual(attachments.map { $0["size"] as? Int }, [70, 24, 5])
        let png = try desk.ok("attachment", "1", "1")
        XCTAssertEqual(Array(png.stdoutData.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        XCTAssertEqual(try desk.ok("attachment", "1", "2").stdout, "line one\nline two café\n")
        let missing = try desk.run(["attachment", "1", "9"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("has 1 to 3"), missing.stderr)
        let shown = try desk.ok("show", "1").stdout
        XCTAssertTrue(shown.contains("1  écran de démarrage.png  image/png  70 B  (message 1)"), shown)
        // The raw message is kept too, under its SHA-256.
        let received = try XCTUnwrap((try desk.messages(1).first?["received"]) as? [String: Any])
        XCTAssertEqual(received["from"] as? String, "dana@example.org")
        let blobs = try FileManager.default.subpathsOfDirectory(atPath: desk.storePath + "/blobs").filter { $0.count > 60 }
        XCTAssertEqual(blobs.count, 4, "the raw message and three attachments: \(blobs)")
    }

    func testATwentyMegabyteAttachment() throws {
        let desk = try MailHarness()
        // Made here, not kept in the repository: 20 MB of pseudo-random bytes, base64 in the message.
        var generator = SystemRandomNumberGenerator()
        var payload = [UInt8](repeating: 0, count: 20 * 1024 * 1024)
        payload.withUnsafeMutableBytes { buffer in
            let words = buffer.bindMemory(to: UInt64.self)
            for index in words.indices { words[index] = generator.next() }
        }
        let encoded = Data(payload).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        let message = """
            From: Big Sender <big@example.com>
            To: support@acme.example
            Subject: The database dump you asked for
            Message-ID: <big.1@example.com>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="BIG"

            --BIG
            Content-Type: text/plain

            Here it is.

            --BIG
            Content-Type: application/gzip
            Content-Disposition: attachment; filename="dump.sql.gz"
            Content-Transfer-Encoding: base64

            \(encoded)
            --BIG--

            """
        let started = Date()
        XCTAssertEqual(try desk.ingest(bytes: Data(message.utf8)), "opened ticket 1\n")
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "a big mail is taken in reasonable time")
        let out = desk.directory.appendingPathComponent("dump.sql.gz").path
        try desk.ok("attachment", "1", "1", "--output", out)
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: out))), payload)
        let log = try String(contentsOfFile: desk.logPath, encoding: .utf8)
        XCTAssertLessThan(log.utf8.count, 10_000, "the attachment is beside the log, not in it")
    }

    func testGarbageGoesToTheQuarantineAndCanBeReleased() throws {
        let desk = try MailHarness()
        let said = try desk.ingest("garbage.bin")
        XCTAssertTrue(said.hasPrefix("quarantined "), said)
        XCTAssertEqual(try desk.ingest("garbage.bin"), said, "the same bytes again: still one entry")
        let list = try desk.ok("quarantine", "list", "--json")
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: list.stdoutData) as? [[String: Any]])
        XCTAssertEqual(entries.count, 1)
        let id = try XCTUnwrap(entries.first?["id"] as? String)
        XCTAssertTrue((entries.first?["reason"] as? String ?? "").hasPrefix("cannot be read"))
        XCTAssertEqual(try desk.ok("quarantine", "show", String(id.prefix(8)), "--raw").stdoutData,
                       try MailHarness.corpus("garbage.bin"))
        XCTAssertTrue(try desk.ok("quarantine", "show", String(id.prefix(8))).stdout.contains("reason: cannot be read"))
        // The log records it too (the audit trail), once.
        XCTAssertEqual(try desk.ok("events", "--json").stdout.components(separatedBy: "\"type\":\"mail.quarantined\"").count, 2)

        let refused = try desk.run(["quarantine", "release", String(id.prefix(8))])
        XCTAssertEqual(refused.status, 64, "unreadable mail needs --from")
        let released = try desk.ok("quarantine", "release", String(id.prefix(8)), "--from", "who@example.com")
        XCTAssertTrue(released.stdout.contains("opened ticket 1"), released.stdout)
        XCTAssertEqual(try desk.ok("attachment", "1", "1").stdoutData, try MailHarness.corpus("garbage.bin"))
        XCTAssertEqual(try desk.ok("quarantine", "list").stdout, "the quarantine is empty\n")

        // Bulk mail for no ticket is set aside too, and released as a person's mail.
        try desk.ingest("bulk.eml")
        let bulk = try XCTUnwrap((try JSONSerialization.jsonObject(with: try desk.ok("quarantine", "list", "--json").stdoutData)
                                  as? [[String: Any]])?.first)
        XCTAssertEqual(bulk["reason"] as? String, "bulk mail for no open ticket")
        let id2 = try XCTUnwrap(bulk["id"] as? String)
        XCTAssertTrue(try desk.ok("quarantine", "release", String(id2.prefix(10))).stdout.contains("opened ticket 2"))
        XCTAssertEqual(try desk.ticket(2)["subject"] as? String, "Our November deals")
    }

    func testALockedLogExits75AndTheMailIsTakenOnRetry() throws {
        let desk = try MailHarness()
        let fd = open(desk.logPath, O_RDWR)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        XCTAssertEqual(flock(fd, LOCK_EX), 0)
        let mail = try MailHarness.corpus("plain.eml")
        let locked = try desk.run(["ingest", "--lock-timeout", "0.3"], stdin: mail)
        XCTAssertEqual(locked.status, 75, "EX_TEMPFAIL: the MTA keeps the mail and retries")
        XCTAssertTrue(locked.stderr.contains("locked"), locked.stderr)
        flock(fd, LOCK_UN)
        XCTAssertEqual(try desk.ingest(bytes: mail), "opened ticket 1\n")
        XCTAssertEqual(try desk.ingest(bytes: mail), "already taken: message <CAF=plain.1@mail.example.com> is on ticket 1\n")
    }

    func testNoDeskOrABrokenConfigurationExits75() throws {
        let desk = try MailHarness()
        let missing = try desk.run(["ingest", "--log", desk.directory.appendingPathComponent("nope.log").path],
                                   stdin: try MailHarness.corpus("plain.eml"))
        XCTAssertEqual(missing.status, 75, missing.stderr)
        try desk.writeConfig("adress: typo@acme.example\n")
        let broken = try desk.run(["ingest"], stdin: try MailHarness.corpus("plain.eml"))
        XCTAssertEqual(broken.status, 75, broken.stderr)
        XCTAssertTrue(broken.stderr.contains("unknown key adress"), broken.stderr)
    }

    func testAFullDiskExits75AndNothingIsRecorded() throws {
        let folder = try makeTemporaryDirectory()
        let mountPoint = folder.file("full")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        func run(_ program: String, _ arguments: [String]) -> Int32? {
            try? Processes.run(program, arguments, environment: ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin"], in: folder.path).status
        }
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", mountPoint]) == 0 else {
            throw XCTSkip("cannot mount a small tmpfs here (needs root)")
        }
        defer { _ = run("/bin/umount", [mountPoint]) }
        let desk = try MailHarness()
        let log = mountPoint + "/desk.log"
        XCTAssertEqual(try desk.run(["init", "--log", log]).status, 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: log))
        let big = "From: a@example.com\nSubject: big\nMessage-ID: <full.1@x>\n\n"
            + String(repeating: "0123456789abcdef\n", count: 32 * 1024)
        let full = try desk.run(["ingest", "--log", log], stdin: Data(big.utf8))
        XCTAssertEqual(full.status, 75, full.stderr)
        XCTAssertTrue(full.stderr.contains("No space left"), full.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: log)), before, "nothing refers to what was not kept")
    }
}
