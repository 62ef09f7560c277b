import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 16, "a trust boundary that holds": the binary installed setgid to a group no account is
/// in, as the package installs it. Agents on the roster, outside that group, work the desk
/// through the binary and through nothing else; nothing of theirs runs with the group.
final class SetgidTrustTests: TrustCase {
    override class var installedSetgid: Bool { true }
    var deskGid: gid_t { Self.gid(ofGroup: deskGroup) ?? gid_t.max }
    var mailFolder: String { logPath + ".mail" }
    var config: String { mailFolder + "/config.yaml" }
    var drop: String { base + "/drop" }

    /// Every group id a report of the ids holds (`id -G`, or /proc's `Gid:` line: real, effective,
    /// saved, filesystem).
    func groupIDs(in report: String) -> Set<gid_t> {
        Set(report.split(whereSeparator: { !$0.isNumber }).compactMap { gid_t($0) })
    }

    func testTheDeskIsTheGroupsAloneYetAgentsOnTheRosterWorkItThroughTheBinary() throws {
        let log = try XCTUnwrap(status(logPath))
        XCTAssertEqual(log.st_gid, deskGid, "the desk alice made through the binary belongs to its group")
        XCTAssertEqual(log.st_mode & 0o777, 0o660)
        XCTAssertEqual(log.st_uid, 0)
        let second = deskFolder + "/second.log"
        for arguments in [["init", "--log", second], ["generate", "--tickets", "1", "--out", second],
                          ["demo", "--no-console", "--log", second]] {
            let made = try run(alice, arguments: arguments)
            XCTAssertNotEqual(made.status, 0, "no one but root makes a desk in a folder only the binary writes")
            XCTAssertTrue(made.stderr.contains("sudo helpdesk init --as \(alice)"), "\(arguments): \(made.stderr)")
            XCTAssertNil(status(second))
        }
        XCTAssertFalse(groupIDs(in: try shell(bob, "id -G").stdout).contains(deskGid), "bob is not in the desk's group")

        // By hand: no append, no forged record, not even by alice, whose file it is.
        let size = log.st_size
        let appended = try shell(bob, "printf '%s\\n' '{\"actor\":\"\(alice)\"}' >> \(logPath)")
        XCTAssertNotEqual(appended.status, 0, "bob cannot open the log for writing")
        XCTAssertTrue(appended.stderr.contains("Permission denied"), appended.stderr)
        // Even were the file hers (a desk made before), the folder keeps her out.
        try root("chown", alice, logPath)
        let forged = try shell(alice, "tail -n 1 \(logPath) >> \(logPath)")
        XCTAssertNotEqual(forged.status, 0, "alice cannot copy a record of hers")
        let opened = try shell(alice, "chmod 666 \(logPath)")
        XCTAssertNotEqual(opened.status, 0, "nor open the file to others")
        XCTAssertEqual(status(logPath)?.st_size, size)
        XCTAssertEqual((status(logPath)?.st_mode ?? 0) & 0o777, 0o660)

        // Through the binary, bob works the desk fully.
        for arguments in [["new", "--customer", "carol@example.com", "--subject", "Printer on fire", "--body", "Help"],
                          ["take", "1"], ["note", "1", "--body", "Fetching the extinguisher"],
                          ["reply", "1", "--body", "We are on our way"]] {
            let ran = try run(bob, arguments: arguments)
            XCTAssertEqual(ran.status, 0, "\(arguments): \(ran.stderr)")
        }
        let listed = try run(bob, "list")
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.contains("Printer on fire"), listed.stdout)
        let shown = try run(bob, "show", "1")
        XCTAssertEqual(shown.status, 0, shown.stderr)
        for text in ["Fetching the extinguisher", "We are on our way", bob] {
            XCTAssertTrue(shown.stdout.contains(text), "\(text) in:\n\(shown.stdout)")
        }
        XCTAssertGreaterThan(status(logPath)?.st_size ?? 0, size)

        // The roster alone lets people on: mallory runs the same binary, to read or to write, and is refused.
        for arguments in [["list"], ["show", "1"], ["events"], ["export"], ["note", "1", "--body", "Hi"], ["fsck", "--repair"]] {
            let stranger = try run(mallory, arguments: arguments)
            XCTAssertNotEqual(stranger.status, 0, "\(arguments): \(stranger.stdout)")
            XCTAssertFalse(stranger.stdout.contains("Printer on fire"), "\(arguments): \(stranger.stdout)")
            XCTAssertTrue(stranger.stderr.contains("agent add") || stranger.stderr.contains("is for root"),
                          "\(arguments): \(stranger.stderr)")
        }
    }

    func testTheConsoleWorksForAnAgentAndRefusesAnAccountOffTheRoster() throws {
        let opened = try run(alice, "new", "--customer", "carol@example.com", "--subject", "Printer on fire", "--body", "Help")
        XCTAssertEqual(opened.status, 0, opened.stderr)
        let tmux = try Tmux.forConsoles(in: base)
        defer { tmux.kill() }
        try tmux.openConsole("bob", account: bob, desk: self)
        try waitFor("bob's console on ticket 1") { tmux.capture("bob").contains("Printer on fire") }
        try tmux.type("bob", "t")
        try waitFor("bob took ticket 1") {
            (try? self.run(alice, "show", "1", "--json").stdout.contains("\"assignee\":\"\(bob)\"")) == true
        }
        try tmux.type("bob", "q")
        XCTAssertEqual(try tmux.exitStatus("bob"), 0)
        XCTAssertEqual((status(logPath + ".presence")?.st_gid), deskGid, "the presence board is the desk group's")

        try tmux.openConsole("mallory", account: mallory, desk: self)
        XCTAssertNotEqual(try tmux.exitStatus("mallory"), 0)
        let said = (try? String(contentsOfFile: tmux.errorFile("mallory"), encoding: .utf8)) ?? ""
        XCTAssertTrue(said.contains("agent add \(mallory)"), said)
    }

    func testAnAgentsReadRecordsAnEscalationThatFellDue() throws {
        let set = try run(alice, "sla", "set", "urgent", "--first-response", "1s")
        XCTAssertEqual(set.status, 0, set.stderr)
        let opened = try run(bob, "new", "--customer", "carol@example.com", "--subject", "Help", "--priority", "urgent",
                             "--body", "Please")
        XCTAssertEqual(opened.status, 0, opened.stderr)
        let due = Date().addingTimeInterval(1.1)
        try waitFor("the first response to fall due") { Date() > due }
        // bob cannot write the log himself, but the binary can: his read notices the breach and records it.
        let listed = try run(bob, "list")
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let events = try run(alice, "events", "--json")
        XCTAssertTrue(events.stdout.contains("ticket.escalated"), events.stdout)
    }

    func testTheMailConfigurationIsOutOfReachAndSendmailRunsWithoutTheGroup() throws {
        try root("install", "-d", "-m", "3770", "-o", "root", "-g", deskGroup, mailFolder)
        try root("install", "-d", "-m", "1777", drop)
        let ids = drop + "/sendmail-ids"
        try Data("address: support@acme.example\nsendmail: \"grep ^Gid: /proc/$$/status > \(ids); cat >/dev/null\"\n".utf8)
            .write(to: URL(fileURLWithPath: config))
        try root("chown", "root:" + deskGroup, config)
        try root("chmod", "640", config)

        let edited = try shell(bob, "echo 'sendmail: \"id > \(drop)/pwned\"' >> \(config)")
        XCTAssertNotEqual(edited.status, 0, "bob cannot edit the mail configuration")
        let replaced = try shell(bob, "echo x > \(drop)/c.yaml && mv -f \(drop)/c.yaml \(config)")
        XCTAssertNotEqual(replaced.status, 0, "nor replace it")

        let taken = try run(bob, "ingest", stdin: mail(from: "carol@example.com", id: "m1@example.com"))
        XCTAssertEqual(taken.status, 0, taken.stderr)
        let replied = try run(bob, "reply", "1", "--body", "We are on it")
        XCTAssertEqual(replied.status, 0, replied.stderr)
        XCTAssertTrue(replied.stdout.contains("mailed to carol@example.com"), replied.stdout)
        let report = try String(contentsOfFile: ids, encoding: .utf8)
        XCTAssertEqual(groupIDs(in: report), [try XCTUnwrap(getpwnam(bob)).pointee.pw_gid],
                       "sendmail ran with bob's group alone, real, effective, saved and filesystem: \(report)")
        XCTAssertNil(status(drop + "/pwned"))
    }

    func testAsIsForRootAloneEvenTheLogsOwner() throws {
        let opened = try run(alice, "new", "--customer", "carol@example.com", "--subject", "Help", "--body", "Please")
        XCTAssertEqual(opened.status, 0, opened.stderr)
        try root("chown", alice, logPath)  // the log file's owner, who before could use --as
        let size = status(logPath)?.st_size
        let refused = try run(alice, "take", "1", "--as", bob)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("--as is only for root"), refused.stderr)
        XCTAssertEqual(status(logPath)?.st_size, size, "nothing recorded")
        let byRoot = try runAsRoot("take", "1", "--as", bob)
        XCTAssertEqual(byRoot.status, 0, byRoot.stderr)
        let shown = try run(alice, "show", "1", "--json")
        XCTAssertTrue(shown.stdout.contains("\"assignee\":\"\(bob)\""), shown.stdout)
    }

    func testTheEditorRunsWithoutTheDesksGroup() throws {
        let opened = try run(bob, "new", "--customer", "carol@example.com", "--subject", "Help", "--body", "Please")
        XCTAssertEqual(opened.status, 0, opened.stderr)
        let report = home(bob) + "/editor-ids"
        let editor = base + "/editor.sh"
        try Data("""
            #!/bin/sh
            grep '^Gid:' /proc/self/status > \(report)
            id -G >> \(report)
            if echo forged >> \(logPath); then echo appended >> \(report); else echo refused >> \(report); fi
            echo 'Written in the editor' > "$1"

            """.utf8).write(to: URL(fileURLWithPath: editor))
        chmod(editor, 0o755)
        let size = status(logPath)?.st_size

        // `script` gives the command a terminal, so reply asks the editor for its body.
        // The shell the binary starts ($$) reports too: one that drops a group it was given would
        // still hold it as its saved group, so only a start without it leaves none.
        let command = "grep ^Gid: /proc/$$/status > \(report)-shell; \(editor)"
        let replied = try shell(bob, "EDITOR='\(command)' script -qec '\(binary) reply 1' /dev/null")
        XCTAssertEqual(replied.status, 0, replied.stdout + replied.stderr)
        let said = try String(contentsOfFile: report, encoding: .utf8) + String(contentsOfFile: report + "-shell", encoding: .utf8)
        XCTAssertTrue(said.contains("refused\n"), "the editor could not write the log: \(said)")
        XCTAssertFalse(groupIDs(in: said).contains(deskGid), "no trace of the desk's group, saved one included: \(said)")
        XCTAssertGreaterThan(status(logPath)?.st_size ?? 0, size ?? 0, "the reply was recorded by the binary")
        let shown = try run(bob, "show", "1")
        XCTAssertTrue(shown.stdout.contains("Written in the editor"), shown.stdout)
        XCTAssertFalse(shown.stdout.contains("forged"), shown.stdout)

        // An editor that leaves, in place of the draft, a symlink to a file only the desk's group may read.
        let secret = deskFolder + "/secret"
        try Data("s3cret\n".utf8).write(to: URL(fileURLWithPath: secret))
        try root("chown", "root:" + deskGroup, secret)
        try root("chmod", "640", secret)
        let swapper = base + "/swapper.sh"
        try Data("#!/bin/sh\nrm -f \"$1\" && ln -s \(secret) \"$1\"\n".utf8).write(to: URL(fileURLWithPath: swapper))
        chmod(swapper, 0o755)
        let swapped = try shell(bob, "EDITOR=\(swapper) script -qec '\(binary) reply 1' /dev/null")
        XCTAssertNotEqual(swapped.status, 0, "nothing to send: the binary would not read the secret for bob")
        XCTAssertFalse(try run(bob, "show", "1").stdout.contains("s3cret"))
    }

    func testFilesWrittenForTheAgentAreWrittenWithTheirOwnIDs() throws {
        let opened = try run(bob, "new", "--customer", "carol@example.com", "--subject", "Help", "--body", "Please")
        XCTAssertEqual(opened.status, 0, opened.stderr)
        let groupsOnly = base + "/group-only"
        try root("install", "-d", "-m", "2770", "-o", "root", "-g", deskGroup, groupsOnly)
        let refused = try run(bob, "export", "-o", groupsOnly + "/tickets.jsonl")
        XCTAssertNotEqual(refused.status, 0, "the binary's group does not let bob write where he could not")
        XCTAssertTrue(refused.stderr.contains("Permission denied"), refused.stderr)
        XCTAssertNil(status(groupsOnly + "/tickets.jsonl"))

        let own = home(bob) + "/tickets.jsonl"
        let exported = try run(bob, "export", "-o", own)
        XCTAssertEqual(exported.status, 0, exported.stderr)
        let file = try XCTUnwrap(status(own))
        XCTAssertEqual(file.st_uid, Self.uid(bob))
        XCTAssertEqual(file.st_gid, try XCTUnwrap(getpwnam(bob)).pointee.pw_gid, "bob's own group, not the desk's")
        XCTAssertTrue(try String(contentsOfFile: own, encoding: .utf8).contains("carol@example.com"))
    }
}
