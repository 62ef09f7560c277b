import Foundation
@testable import HelpdeskLog
import HelpdeskMail
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Mail in and out of a desk kept in PostgreSQL, from several hosts: blobs in the database
/// before the records that name them, and each reply handed to sendmail once however many
/// deliveries run, the server restarting under one of them included.
final class PostgresMailTests: XCTestCase {
    private func query(_ url: String, _ sql: String, _ parameters: [PGValue?] = []) throws -> PGResult {
        try PGConnection(url: url, displayName: "the test database").execute(sql, parameters)
    }

    private func count(_ url: String, _ sql: String) throws -> Int64 {
        try XCTUnwrap(query(url, sql).int(0, 0))
    }

    func testAnAttachmentComesBackByteForByteOnAnotherHost() throws {
        let database = try MailTestDatabase.make(for: self)
        let folder = try makeTemporaryDirectory("pgmail-attach")
        let intake = try MailHost("mx", in: folder, url: database.url)
        let agent = try MailHost("agent", in: folder, url: database.url)
        try intake.ok(["init", "--name", "Test Supervisor"])
        let opened = try intake.ok(["ingest"], stdin: try MailHarness.corpus("attachments-rfc2231.eml"))
        XCTAssertEqual(opened.stdout, "opened ticket 1\n")

        // The same message in a file desk is the reference.
        let fileDesk = try TemporaryDesk("pgmail-file")
        defer { fileDesk.remove() }
        try fileDesk.ok(["init", "--name", "Test Supervisor"])
        try fileDesk.ok(["ingest"], stdin: try MailHarness.corpus("attachments-rfc2231.eml"))

        let listed = try agent.ok(["attachment", "1", "--json"])
        let attachments = try XCTUnwrap(JSONSerialization.jsonObject(with: listed.stdoutData) as? [[String: Any]])
        XCTAssertEqual(attachments.count, 3)
        for attachment in attachments {
            let number = String(try XCTUnwrap(attachment["number"] as? Int))
            let fromDatabase = try agent.ok(["attachment", "1", number, "--force"]).stdoutData
            let fromFile = try fileDesk.ok(["attachment", "1", number, "--force"]).stdoutData
            XCTAssertEqual(fromDatabase, fromFile, "attachment \(number)")
            XCTAssertEqual(fromDatabase.count, attachment["size"] as? Int)
            XCTAssertEqual(MailStore.sha256([UInt8](fromDatabase)), attachment["sha256"] as? String)
        }
        // The message and its three attachments, each under the address the server computes.
        XCTAssertEqual(try count(database.url, "SELECT count(*) FROM helpdesk_blobs WHERE sha256 = encode(sha256(data), 'hex')"), 4)
        XCTAssertFalse(FileManager.default.fileExists(atPath: intake.home + "/.local/share/helpdesk/desk.log.mail/blobs"),
                       "a database desk's blobs are kept in the database, not beside a log file")
    }

    func testABlobIsCommittedBeforeTheRecordSoAKilledIngestLeavesOnlyAnUnreferencedBlob() throws {
        let database = try MailTestDatabase.make(for: self)
        let folder = try makeTemporaryDirectory("pgmail-kill")
        let host = try MailHost("mx", in: folder, url: database.url)
        try host.ok(["init", "--name", "Test Supervisor"])
        let message = try MailHarness.corpus("attachments-rfc2231.eml")

        // A writer holds the log's head row: the ingest keeps its blobs, then waits for the lock.
        let holder = try PGConnection(url: database.url, displayName: "the holder")
        try holder.execute("BEGIN")
        try holder.execute("SELECT 1 FROM helpdesk_head FOR UPDATE")
        let ingest = try host.start(["ingest", "--lock-timeout", "60"], stdin: message)
        let raw = MailStore.sha256([UInt8](message))
        try waitFor("the ingest to keep the raw message before the record") {
            try count(database.url, "SELECT count(*) FROM helpdesk_blobs WHERE sha256 = '\(raw)'") == 1
        }
        try waitFor("the ingest to keep every attachment and wait for the lock") {
            try count(database.url, "SELECT count(*) FROM helpdesk_blobs") == 4
                && count(database.url, "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
                         + "WHERE NOT l.granted AND a.application_name = 'helpdesk'") >= 1
        }
        kill(ingest.pid, SIGKILL)
        XCTAssertEqual(Child.code(ingest.wait().status), 128 + SIGKILL)
        try holder.execute("ROLLBACK")

        // Nothing names the blobs, and nothing is wrong with the desk.
        XCTAssertEqual(try count(database.url, "SELECT count(*) FROM helpdesk_log"), 1, "only the desk's creation")
        XCTAssertEqual(try host.ok(["list", "--status", "all", "--json"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines), "[]")

        // The MTA tries again: the same blobs are not stored twice, and the ticket is whole.
        XCTAssertEqual(try host.ok(["ingest"], stdin: message).stdout, "opened ticket 1\n")
        XCTAssertEqual(try count(database.url, "SELECT count(*) FROM helpdesk_blobs"), 4)
        let listed = try host.ok(["attachment", "1", "--json"])
        let attachments = try XCTUnwrap(JSONSerialization.jsonObject(with: listed.stdoutData) as? [[String: Any]])
        XCTAssertEqual(attachments.count, 3)
        for attachment in attachments {
            let bytes = try host.ok(["attachment", "1", String(try XCTUnwrap(attachment["number"] as? Int)), "--force"]).stdoutData
            XCTAssertEqual(MailStore.sha256([UInt8](bytes)), attachment["sha256"] as? String)
        }
    }

    func testTwoHostsDeliveringAtOnceSendEachMailExactlyOnce() throws {
        let database = try MailTestDatabase.make(for: self)
        let (folder, sent) = try makeMailFolder("pgmail-race")
        let agent = try MailHost("agent", in: folder, url: database.url)
        let hosts = try ["host-a", "host-b"].map { try MailHost($0, in: folder, url: database.url) }
        let configs = try hosts.map { try $0.mailConfig(sendingTo: sent) }
        try agent.ok(["init", "--name", "Test Supervisor"])
        let tickets = 1...6
        for number in tickets { try agent.ok(["ingest"], stdin: customerMail(number)) }

        var expected: [String] = []
        for round in 1...4 {
            for ticket in tickets {
                let body = "Round \(round) on ticket \(ticket)"
                let replied = try agent.ok(["reply", String(ticket), "--body", body])
                XCTAssertTrue(replied.stdout.contains("mail queued"), replied.stdout)  // this host sends no mail
                expected.append("\(ticket): \(body)")
            }
            let deliveries = try zip(hosts, configs).map { host, config in try host.start(["deliver", "--mail-config", config]) }
            for delivery in deliveries.map({ $0.wait() }) { XCTAssertEqual(delivery.status, 0, delivery.stderr) }
            let mails = try sentMails(in: sent).map { "\($0.ticket): \($0.body)" }
            XCTAssertEqual(mails.sorted(), expected.sorted(), "round \(round): each reply mailed once")
        }
        XCTAssertEqual(try agent.ok(["deliver", "--list"]).stdoutLines.count, 1, "nothing left to send")
        XCTAssertEqual(try count(database.url, "SELECT count(*) FROM helpdesk_mail_handed"), 0, "every hand-over recorded")
        let names = try FileManager.default.contentsOfDirectory(atPath: sent)
        XCTAssertFalse(names.isEmpty)
    }

    func testAMailHandedOrClaimedElsewhereIsNotSentAgain() throws {
        let database = try MailTestDatabase.make(for: self)
        let (folder, sent) = try makeMailFolder("pgmail-claim")
        let host = try MailHost("host", in: folder, url: database.url)
        let config = try host.mailConfig(sendingTo: sent)
        try host.ok(["init", "--name", "Test Supervisor"])
        for number in 1...2 { try host.ok(["ingest"], stdin: customerMail(number)) }
        for ticket in 1...2 { try host.ok(["reply", String(ticket), "--body", "Answer \(ticket)"]) }

        // Ticket 1's reply: another host was handing it to sendmail when its connection was lost.
        // Ticket 2's: sendmail took it, and the host died before the log said so.
        try query(database.url, """
            INSERT INTO helpdesk_mail_handed (ticket, mail, message_id, claimed_by, handed)
            VALUES (1, 1, '<a@acme.example>', 'elsewhere/1/x', false), (2, 1, '<b@acme.example>', 'elsewhere/1/x', true)
            """)
        let first = try host.ok(["deliver", "--mail-config", config])
        XCTAssertTrue(first.stderr.contains("mail 1 of ticket 1 left alone"), first.stderr)
        XCTAssertTrue(first.stdout.contains("sent mail 1 of ticket 2"), first.stdout)
        XCTAssertEqual(try sentMails(in: sent).count, 0, "neither was handed to sendmail again")
        let shown = try XCTUnwrap(JSONSerialization.jsonObject(with: host.ok(["show", "2", "--json"]).stdoutData) as? [String: Any])
        let messages = try XCTUnwrap(shown["messages"] as? [[String: Any]])
        XCTAssertEqual((messages.last?["delivery"] as? [String: Any])?["state"] as? String, "sent")

        // A claim that old: its claimer died mid-send, so the mail goes out (as a file desk's would).
        try query(database.url, "UPDATE helpdesk_mail_handed SET claimed_at = now() - interval '16 minutes'")
        let second = try host.ok(["deliver", "--mail-config", config])
        XCTAssertTrue(second.stdout.contains("sent mail 1 of ticket 1"), second.stdout)
        XCTAssertEqual(try sentMails(in: sent).map(\.body), ["Answer 1"])
        XCTAssertEqual(try count(database.url, "SELECT count(*) FROM helpdesk_mail_handed"), 0)
    }

    /// `helpdesk migrate` moves the mail store with the records: attachments, raw messages and
    /// the quarantine come back from the database as they did from the file.
    func testMigrateMovesTheMailStoreWithTheDesk() throws {
        let database = try MailTestDatabase.make(for: self)
        let fileDesk = try TemporaryDesk("pgmail-migrate")
        defer { fileDesk.remove() }
        try fileDesk.ok(["init", "--name", "Test Supervisor"])
        try fileDesk.ok(["ingest"], stdin: try MailHarness.corpus("attachments-rfc2231.eml"))
        try fileDesk.ok(["ingest"], stdin: try MailHarness.corpus("garbage.bin"))
        let attachments = try (1...3).map { try fileDesk.ok(["attachment", "1", String($0), "--force"]).stdoutData }
        let quarantined = try fileDesk.ok(["quarantine", "list", "--json"]).stdout

        try fileDesk.ok(["migrate", "--from", fileDesk.logPath, "--to", database.url])
        let host = try MailHost("agent", in: try makeTemporaryDirectory("pgmail-migrated"), url: database.url)
        for (index, bytes) in attachments.enumerated() {
            XCTAssertEqual(try host.ok(["attachment", "1", String(index + 1), "--force"]).stdoutData, bytes, "attachment \(index + 1)")
        }
        XCTAssertEqual(try host.ok(["quarantine", "list", "--json"]).stdout, quarantined)
        // The message, its three attachments and the quarantined mail, each at its address.
        XCTAssertEqual(try count(database.url, "SELECT count(*) FROM helpdesk_blobs WHERE sha256 = encode(sha256(data), 'hex')"), 5)
        let id = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(quarantined.utf8)) as? [[String: Any]])?.first?["id"] as? String)
        XCTAssertEqual(try host.ok(["quarantine", "release", String(id.prefix(8)), "--from", "sender@example.com"]).stdout,
                       "released \(id.prefix(12)): opened ticket 2\n")
    }

    func testADatabaseMadeBeforeTheMailTablesGetsThemAndItsQuarantineIsSeenFromEveryHost() throws {
        let database = try MailTestDatabase.make(for: self)
        let folder = try makeTemporaryDirectory("pgmail-old")
        let host = try MailHost("mx", in: folder, url: database.url)
        try host.ok(["init", "--name", "Test Supervisor"])
        try query(database.url, "DROP TABLE helpdesk_blobs, helpdesk_quarantine, helpdesk_mail_handed")
        XCTAssertEqual(try host.ok(["quarantine", "list"]).stdout, "the quarantine is empty\n")
        try host.ok(["ingest"], stdin: try MailHarness.corpus("garbage.bin"))
        let listed = try host.ok(["quarantine", "list", "--json"])
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: listed.stdoutData) as? [[String: Any]])
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(try count(database.url, "SELECT count(*) FROM helpdesk_blobs"), 1)

        // Another host releases it onto a ticket, the raw message attached as it came.
        let other = try MailHost("agent", in: folder, url: database.url)
        let id = try XCTUnwrap(entries.first?["id"] as? String)
        XCTAssertEqual(try other.ok(["quarantine", "release", String(id.prefix(8)), "--from", "sender@example.com"]).stdout,
                       "released \(id.prefix(12)): opened ticket 1\n")
        XCTAssertEqual(try host.ok(["quarantine", "list"]).stdout, "the quarantine is empty\n")
        XCTAssertEqual(try other.ok(["attachment", "1", "1", "--force"]).stdoutData, try MailHarness.corpus("garbage.bin"))
    }

    func testDeliverFollowOnTwoHostsSurvivesARestartOfTheServerAndSendsEachReplyOnce() throws {
        let cluster = try MailTestCluster()
        defer { cluster.stop() }
        let (folder, sent) = try makeMailFolder("pgmail-follow")
        let agent = try MailHost("agent", in: folder, url: cluster.url)
        try agent.ok(["init", "--name", "Test Supervisor"])
        try agent.ok(["ingest"], stdin: try MailHarness.corpus("plain.eml"))
        let followers = try ["mailer-a", "mailer-b"].map { name in
            let host = try MailHost(name, in: folder, url: cluster.url)
            return try Child(BuiltProducts.helpdesk, ["deliver", "--follow", "--mail-config", try host.mailConfig(sendingTo: sent)],
                             errorPath: folder.file(name + ".err"), environment: host.environment, directory: host.home)
        }
        defer { followers.forEach { $0.kill9() } }
        /// Until `count` replies went out and the log says so (then no delivery can send them again).
        func waitForSent(_ count: Int, _ what: String) throws {
            try waitFor("\(what): \(count) mails sent (stderr: \(followers.map(\.errorText)))", timeout: 60) {
                followers.forEach { $0.readAvailable() }
                return try sentMails(in: sent).count >= count && agent.ok(["deliver", "--list"]).stdoutLines.count == 1
            }
        }

        try agent.ok(["reply", "1", "--body", "Before the restart"])
        try waitForSent(1, "before the restart")
        try cluster.restart()
        try agent.ok(["reply", "1", "--body", "After the restart"])
        try waitForSent(2, "after the restart")
        for follower in followers {
            XCTAssertTrue(Processes.alive(follower.pid), "deliver --follow ended: \(follower.errorText)")
        }
        XCTAssertEqual(try sentMails(in: sent).map(\.body).sorted(), ["After the restart", "Before the restart"])
    }

    func testDeliverFollowStartedWhileTheServerIsDownWaitsForItAndThenSends() throws {
        let cluster = try MailTestCluster()
        defer { cluster.stop() }
        let (folder, sent) = try makeMailFolder("pgmail-down-at-start")
        let agent = try MailHost("agent", in: folder, url: cluster.url)
        let mailer = try MailHost("mailer", in: folder, url: cluster.url)
        let config = try mailer.mailConfig(sendingTo: sent)
        try agent.ok(["init", "--name", "Test Supervisor"])
        try agent.ok(["ingest"], stdin: try MailHarness.corpus("plain.eml"))
        try agent.ok(["reply", "1", "--body", "Waiting for the server"])

        try cluster.stopServer()
        var serverDown = true
        defer { if serverDown { try? cluster.startServer() } }
        let follower = try Child(BuiltProducts.helpdesk, ["deliver", "--follow", "--mail-config", config],
                                 errorPath: folder.file("mailer.err"), environment: mailer.environment, directory: mailer.home)
        defer { follower.kill9() }
        try waitFor("deliver --follow to say the database is down (stderr: \(follower.errorText))", timeout: 30) {
            follower.readAvailable()
            return follower.errorText.contains("cannot reach the desk's database") && follower.errorText.contains("trying again in 5 s")
        }
        XCTAssertTrue(Processes.alive(follower.pid), "deliver --follow ended: \(follower.errorText)")

        try cluster.startServer()
        serverDown = false
        try waitFor("the reply sent once the server is up (stderr: \(follower.errorText))", timeout: 60) {
            follower.readAvailable()
            return try sentMails(in: sent).count == 1 && agent.ok(["deliver", "--list"]).stdoutLines.count == 1
        }
        XCTAssertTrue(follower.errorText.contains("the desk's database answers again"), follower.errorText)
        XCTAssertTrue(Processes.alive(follower.pid), "deliver --follow ended: \(follower.errorText)")
        XCTAssertEqual(try sentMails(in: sent).map(\.body), ["Waiting for the server"])
    }

    func testAServerRestartWhileSendmailRunsLeavesTheMailToTheDeliverySendingIt() throws {
        let cluster = try MailTestCluster()
        defer { cluster.stop() }
        let (folder, sent) = try makeMailFolder("pgmail-midsend")
        let agent = try MailHost("agent", in: folder, url: cluster.url)
        let (slow, other) = (try MailHost("slow", in: folder, url: cluster.url), try MailHost("other", in: folder, url: cluster.url))
        // The slow host's sendmail has the mail, then waits to be let go.
        let started = folder.file("started"), go = folder.file("go")
        let slowConfig = try slow.mailConfig(sendingTo: sent, afterwards: "touch \(started)\nwhile [ ! -e \(go) ]; do sleep 0.05; done")
        let otherConfig = try other.mailConfig(sendingTo: sent)
        try agent.ok(["init", "--name", "Test Supervisor"])
        try agent.ok(["ingest"], stdin: try MailHarness.corpus("plain.eml"))
        try agent.ok(["reply", "1", "--body", "Only once"])

        let slowDelivery = try slow.start(["deliver", "--mail-config", slowConfig])
        try waitFor("the slow host's sendmail to have the mail") { FileManager.default.fileExists(atPath: started) }
        // Its connection, and with it the delivery lock, is lost while sendmail runs.
        try cluster.restart()
        let meanwhile = try other.run(["deliver", "--mail-config", otherConfig])
        XCTAssertEqual(meanwhile.status, 0, meanwhile.stderr)
        XCTAssertTrue(meanwhile.stderr.contains("mail 1 of ticket 1 left alone"), meanwhile.stderr)
        FileManager.default.createFile(atPath: go, contents: nil)
        let finished = slowDelivery.wait()
        XCTAssertEqual(finished.status, 0, finished.stderr)
        XCTAssertTrue(finished.stdout.contains("sent mail 1 of ticket 1"), finished.stdout)

        XCTAssertEqual(try sentMails(in: sent).map(\.body), ["Only once"])
        try other.ok(["deliver", "--mail-config", otherConfig])
        XCTAssertEqual(try sentMails(in: sent).count, 1, "sent once")
        XCTAssertEqual(try agent.ok(["deliver", "--list"]).stdoutLines.count, 1, "nothing left to send")
        XCTAssertEqual(try count(cluster.url, "SELECT count(*) FROM helpdesk_mail_handed"), 0)
    }

    func testTheMailConfigurationIsTheHostsOwnFileBelongingToRootOrTheAccountRunning() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to give the file to another account") }
        let database = try MailTestDatabase.make(for: self)
        let (folder, sent) = try makeMailFolder("pgmail-config")
        let host = try MailHost("mailer", in: folder, url: database.url)
        try host.ok(["init", "--name", "Test Supervisor"])
        try host.ok(["ingest"], stdin: try MailHarness.corpus("plain.eml"))
        try host.ok(["reply", "1", "--body", "Configured here"])  // no configuration yet: it waits

        // Where the log file would be, though there is none: the host's own file, by default.
        let beside = host.home + "/.local/share/helpdesk/desk.log.mail"
        try FileManager.default.createDirectory(atPath: beside, withIntermediateDirectories: true)
        let config = beside + "/config.yaml"
        try FileManager.default.copyItem(atPath: try host.mailConfig(sendingTo: sent), toPath: config)
        XCTAssertFalse(FileManager.default.fileExists(atPath: host.home + "/.local/share/helpdesk/desk.log"))
        chown(config, 65534, 65534)
        let refused = try host.run(["deliver"])
        XCTAssertEqual(refused.status, 77, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("not to root or the desk's owner root"), refused.stderr)
        XCTAssertEqual(try sentMails(in: sent).count, 0)

        chown(config, 0, 0)
        XCTAssertTrue(try host.ok(["deliver"]).stdout.contains("sent mail 1 of ticket 1"))
        XCTAssertEqual(try sentMails(in: sent).map(\.body), ["Configured here"])
    }
}
