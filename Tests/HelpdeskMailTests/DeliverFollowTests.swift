import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `deliver --follow` as the service keeps it running: the log cut back by `fsck --repair` or
/// replaced by a rename is opened again, a full disk is waited out, and it says so on stderr.
final class DeliverFollowTests: XCTestCase {
    /// A desk whose ticket 1 came by mail, mail configured only for the follower (so a reply
    /// waits for it), and the follower running; `sent/` (outside the desk) gets each message.
    private struct Followed {
        let desk: TemporaryDesk
        let sent: String
        let follower: Child

        func sentBodies() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: sent).sorted().map {
                let text = try String(contentsOfFile: "\(sent)/\($0)", encoding: .utf8)
                return String(text.split(separator: "\n").last ?? "")
            }
        }

        /// Until the follower says it has sent and recorded `count` mails in all.
        func waitForSent(_ count: Int, _ what: String) throws {
            try waitFor("\(what): \(count) mails sent and recorded (stdout: \(follower.outputText) stderr: \(follower.errorText))") {
                follower.readAvailable()
                return follower.lines.filter { $0.hasPrefix("sent mail ") }.count >= count
            }
        }

        func waitForError(_ text: String) throws {
            try waitFor("the follower to say \"\(text)\" (stderr: \(follower.errorText))") {
                follower.errorText.contains(text)
            }
        }

        func reply(_ body: String) throws {
            let replied = try desk.ok(["reply", "1", "--body", body])
            XCTAssertTrue(replied.stdout.contains("mail queued"), replied.stdout)
        }
    }

    /// `sentFolder` must be outside a desk folder that may fill up.
    private func follow(_ desk: TemporaryDesk, sentFolder: TemporaryFolder) throws -> Followed {
        let sent = sentFolder.file("sent")
        try FileManager.default.createDirectory(atPath: sent, withIntermediateDirectories: true)
        try desk.ok(["init", "--name", "Test Supervisor"])
        let sendmail = desk.folder.file("fake-sendmail")
        try "#!/bin/sh\nf=$(mktemp \(sent)/mail.XXXXXX) && cat > \"$f\"\n".write(toFile: sendmail, atomically: true, encoding: .utf8)
        chmod(sendmail, 0o755)
        let config = desk.folder.file("follower-mail.yaml")
        try "address: support@acme.example\nsendmail: \(sendmail) -t -i\n".write(toFile: config, atomically: true, encoding: .utf8)
        let ingested = try desk.run(["ingest"], stdin: try MailHarness.corpus("plain.eml"))
        XCTAssertEqual(ingested.status, 0, ingested.stderr)
        let follower = try Child(BuiltProducts.helpdesk, ["deliver", "--follow", "--mail-config", config],
                                 errorPath: sentFolder.file("follower.err"), environment: desk.environment(),
                                 directory: desk.path)
        return Followed(desk: desk, sent: sent, follower: follower)
    }

    /// Runs `body` on a followed desk that has mailed a first reply; `onSmallDisk`: the desk's
    /// folder is a 1 MB tmpfs of its own (skipped where mounting is not permitted).
    private func withFollowedDesk(_ prefix: String, onSmallDisk: Bool = false, _ body: (Followed) throws -> Void) throws {
        let desk = try TemporaryDesk(prefix)
        defer { desk.remove() }
        if onSmallDisk {
            func run(_ tool: String, _ arguments: [String]) -> Int32? {
                (try? Processes.run(tool, arguments, environment: [:], in: "/", input: nil as Data?))?.status
            }
            guard getuid() == 0, run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", desk.path]) == 0 else {
                throw XCTSkip("skipped: mount -t tmpfs is not permitted here (needs root)")
            }
        }
        defer { if onSmallDisk { _ = try? Processes.run("/bin/umount", ["-l", desk.path], environment: [:], in: "/", input: nil as Data?) } }
        let outside = try TemporaryFolder(prefix + "-sent")
        defer { outside.remove() }
        let followed = try follow(desk, sentFolder: outside)
        defer { followed.follower.kill9() }
        try followed.reply("First")
        try followed.waitForSent(1, "the first reply")
        try body(followed)
    }

    func testALogCutBackByFsckRepairOrReplacedByARenameIsReopened() throws {
        try withFollowedDesk("deliver-follow") { followed in try cutBackThenReplaced(followed) }
    }

    private func cutBackThenReplaced(_ followed: Followed) throws {
        let desk = followed.desk
        try desk.ok(["note", "1", "--body", "Damaged later"])
        try followed.reply("Second")
        try followed.waitForSent(2, "the reply after the note")  // so the follower has read past the note

        // The note damaged in place (same length, its checksum no longer fits), then repaired:
        // the log is cut back to before it, below what the follower had read.
        let log = try Data(contentsOf: URL(fileURLWithPath: desk.logPath))
        let note = try XCTUnwrap(log.range(of: Data("Damaged later".utf8)))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: desk.logPath))
        try handle.seek(toOffset: UInt64(note.lowerBound + "Damaged ".utf8.count))
        try handle.write(contentsOf: Data("LATER".utf8))
        try handle.close()
        let repaired = try desk.run(["fsck", "--repair"])
        XCTAssertEqual(repaired.status, 0, repaired.stderr)
        XCTAssertTrue(repaired.stdout.contains("repaired"), repaired.stdout)
        try followed.waitForError("the log was cut back")
        try followed.waitForError("; reopening")
        try followed.reply("Third")
        try followed.waitForSent(3, "the reply after the repair")
        XCTAssertTrue(try followed.sentBodies().contains("Third"))

        // Replaced by a rename (a copy put in its place), as an editor or a restore would.
        let copy = desk.folder.file("desk.log.new")
        try FileManager.default.copyItem(atPath: desk.logPath, toPath: copy)
        XCTAssertEqual(rename(copy, desk.logPath), 0)
        try followed.waitForError("the log was replaced")
        try followed.reply("Fourth")
        try followed.waitForSent(4, "the reply after the rename")
        let bodies = try followed.sentBodies()
        XCTAssertEqual(bodies.sorted(), ["First", "Fourth", "Second", "Third"], followed.follower.errorText)

        // Moved away, then back: it says so, tries again, and goes on with it once it is back.
        let away = desk.folder.file("desk.log.away")
        XCTAssertEqual(rename(desk.logPath, away), 0)
        try followed.waitForError("the log is gone from \(desk.logPath)")
        try followed.waitForError("could not reopen the log")
        XCTAssertEqual(rename(away, desk.logPath), 0)
        try followed.reply("Fifth")
        try followed.waitForSent(5, "the reply after the log came back")
        XCTAssertNil(followed.follower.exitStatus, "still running")
        XCTAssertTrue(Processes.alive(followed.follower.pid))
    }

    func testAFullDiskIsWaitedOutAndTheMailIsRecordedOnceThereIsRoom() throws {
        try withFollowedDesk("deliver-full", onSmallDisk: true) { followed in try fillTheDisk(followed) }
    }

    private func fillTheDisk(_ followed: Followed) throws {
        let desk = followed.desk

        // Held still while its reply is recorded and the disk fills, then let go.
        kill(followed.follower.pid, SIGSTOP)
        try followed.reply("Second")
        let filler = desk.folder.file("filler")
        _ = try Processes.run("/bin/dd", ["if=/dev/zero", "of=\(filler)", "bs=64k"], environment: [:], in: "/", input: nil as Data?)
        // The log's last page may still have room: small notes use it up until one does not fit.
        var notes = 0
        while notes < 500, try desk.run(["note", "1", "--body", "x"]).status == 0 { notes += 1 }
        XCTAssertLessThan(notes, 500, "the disk never filled")
        kill(followed.follower.pid, SIGCONT)
        try followed.waitForError("disk full; retrying in 5 s")
        XCTAssertNil(followed.follower.exitStatus, "still running")
        XCTAssertTrue(Processes.alive(followed.follower.pid))

        try FileManager.default.removeItem(atPath: filler)
        try waitFor("the second reply recorded as sent (stderr: \(followed.follower.errorText))", timeout: 60) {
            followed.follower.readAvailable()
            return followed.follower.lines.contains("sent mail 2 of ticket 1 (reply 3)")
        }
        XCTAssertEqual(try followed.sentBodies().sorted(), ["First", "Second"], "handed to sendmail once, recorded after")
        XCTAssertEqual(try desk.ok(["deliver", "--list"]).stdout.split(separator: "\n").count, 1, "nothing waits")
        XCTAssertTrue(followed.follower.errorText.contains("the disk has room again"), followed.follower.errorText)
    }
}
