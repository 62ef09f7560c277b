import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 10, section 2: a member of the group must not get others (or root) to run a command of
/// theirs through the mail configuration, and every agent can deliver.
final class MailTrustTests: TrustCase {
    var mailFolder: String { logPath + ".mail" }
    var config: String { mailFolder + "/config.yaml" }
    var marker: String { base + "/drop/pwned" }

    /// The mail folder as root sets it up (README), with a configuration whose sendmail takes the mail.
    func setUpMail() throws {
        try root("install", "-d", "-m", "3770", "-o", "root", "-g", group, mailFolder)
        try Data("address: support@acme.example\nsendmail: \"cat >/dev/null\"\n".utf8).write(to: URL(fileURLWithPath: config))
        try root("chown", "root:" + group, config)
        try root("chmod", "640", config)
        try root("install", "-d", "-m", "1777", base + "/drop")  // where mallory's command would leave its mark
    }

    /// A ticket that came in by mail (so replies go out by mail).
    func mailTicket(id: String = "m1@example.com") throws {
        let taken = try run(alice, "ingest", stdin: mail(from: "carol@example.com", id: id))
        XCTAssertEqual(taken.status, 0, taken.stderr)
        XCTAssertTrue(taken.stdout.contains("opened ticket 1"), taken.stdout)
    }

    /// Mallory's configuration: a sendmail line that leaves a mark of whoever ran it.
    var evilConfig: String { "address: support@acme.example\nsendmail: \"id > \(marker); cat >/dev/null\"\n" }

    func testAConfigurationReplacedByAGroupMemberIsRefusedByAgentsAndRoot() throws {
        try setUpMail()
        try mailTicket()
        // A desk from before the fix: its mail folder without the sticky bit, so mallory (in the
        // group, not on the roster) can put a file of hers in place of root's.
        try root("chmod", "2770", mailFolder)
        let swapped = try shell(mallory, "printf '\(evilConfig)' > \(base)/drop/c.yaml && mv -f \(base)/drop/c.yaml \(config)")
        XCTAssertEqual(swapped.status, 0, "the old layout let her: \(swapped.stderr)")
        XCTAssertEqual(status(config)?.st_uid, Self.uid(mallory))

        // Alice replies: the reply is recorded, the mail is not sent, and she is told why.
        let reply = try run(alice, "reply", "1", "--body", "We are on it")
        XCTAssertEqual(reply.status, 0, reply.stderr)
        XCTAssertTrue(reply.stdout.contains("not sent") && reply.stdout.contains(mailFolder) && reply.stdout.contains("chmod +t"),
                      "names the folder and the fix: \(reply.stdout)")
        XCTAssertNil(status(marker), "mallory's command did not run as alice")

        // Root acting as alice: root may fix the folder's mode, but still refuses mallory's file.
        let asRoot = try runAsRoot("reply", "1", "--as", alice, "--body", "Still on it")
        XCTAssertEqual(asRoot.status, 0, asRoot.stderr)
        XCTAssertTrue(asRoot.stdout.contains(config) && asRoot.stdout.contains("chown"), "names the file and the fix: \(asRoot.stdout)")
        XCTAssertNotEqual((status(mailFolder)?.st_mode ?? 0) & S_ISVTX, 0, "root's run made the folder sticky")
        let delivered = try runAsRoot("deliver")
        XCTAssertEqual(delivered.status, 77, delivered.stderr)
        XCTAssertTrue(delivered.stderr.contains(config) && delivered.stderr.contains(mallory), delivered.stderr)
        XCTAssertNil(status(marker), "mallory's command did not run as root")

        // Now sticky: she can no longer replace a file of root's.
        try Data("address: support@acme.example\nsendmail: \"cat >/dev/null\"\n".utf8).write(to: URL(fileURLWithPath: base + "/good.yaml"))
        try root("install", "-m", "640", "-o", "root", "-g", group, base + "/good.yaml", config)
        let again = try shell(mallory, "printf '\(evilConfig)' > \(base)/drop/c.yaml && mv -f \(base)/drop/c.yaml \(config)")
        XCTAssertNotEqual(again.status, 0, "the sticky folder refuses her")
        XCTAssertEqual(status(config)?.st_uid, 0)

        // A configuration the group may write is refused too, even root's.
        try root("chmod", "660", config)
        let writable = try run(alice, "deliver")
        XCTAssertEqual(writable.status, 77, writable.stderr)
        XCTAssertTrue(writable.stderr.contains("chmod 640 \(config)"), writable.stderr)

        // Made safe again, the waiting mail goes out.
        try root("chmod", "640", config)
        let sent = try run(alice, "deliver")
        XCTAssertEqual(sent.status, 0, sent.stderr)
        XCTAssertTrue(sent.stdout.contains("sent mail 1 of ticket 1") && sent.stdout.contains("sent mail 2 of ticket 1"), sent.stdout)
        XCTAssertNil(status(marker))
    }

    func testMailConfigGivenWithAFlagIsHeldToTheSameRule() throws {
        try setUpMail()
        try mailTicket()
        let own = base + "/drop/mine.yaml"
        try shell(mallory, "printf '\(evilConfig)' > \(own)")
        let delivered = try runAsRoot("deliver", "--mail-config", own)
        XCTAssertEqual(delivered.status, 77, delivered.stderr)
        XCTAssertTrue(delivered.stderr.contains(own), delivered.stderr)
        XCTAssertNil(status(marker))
    }

    func testTheDeliveryLockAliceMadeLetsBobDeliver() throws {
        try setUpMail()
        try mailTicket()
        let first = try run(alice, "reply", "1", "--body", "First")
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("mailed to carol@example.com"), first.stdout)
        let lock = try XCTUnwrap(status(mailFolder + "/deliver.lock"))
        XCTAssertEqual(lock.st_uid, Self.uid(alice))
        XCTAssertEqual(lock.st_mode & 0o777, 0o660, "group-writable whatever alice's umask (022)")

        // alice's reply took the ticket; she lets it go so that bob may reply on it.
        let released = try run(alice, "release", "1")
        XCTAssertEqual(released.status, 0, released.stderr)
        let second = try run(bob, "reply", "1", "--body", "Second")
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("mailed to carol@example.com"), second.stdout)
        let delivered = try run(bob, "deliver")
        XCTAssertEqual(delivered.status, 0, delivered.stderr)
        XCTAssertFalse(delivered.stderr.contains("Permission denied"), delivered.stderr)

        // Every folder the store made is sticky: no member can replace another's file.
        for folder in ["blobs", "tmp", "sent"] {
            guard let info = status(mailFolder + "/" + folder) else { continue }
            XCTAssertNotEqual(info.st_mode & S_ISVTX, 0, "\(folder) is sticky")
        }
        XCTAssertNotNil(status(mailFolder + "/blobs"))
    }
}
