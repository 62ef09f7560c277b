import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 10, section 3: symlinks and files a member of the group plants beside the log.
final class BesideTheLogTests: TrustCase {
    var presence: String { logPath + ".presence" }
    var tmux: Tmux?

    override func tearDownWithError() throws {
        tmux?.kill()
        try super.tearDownWithError()
    }

    func consoles() throws -> Tmux {
        if let tmux { return tmux }
        let made = try Tmux.forConsoles(in: base)
        tmux = made
        return made
    }

    /// Files named like presence files (NAME.NUMBER, of no live process) in a folder of bob's.
    func victimFolder() throws -> (folder: String, files: [String]) {
        let folder = home(bob) + "/keep"
        let files = ["notes.4194000", "\(bob).4194001", "\(alice).4194002"]
        try shell(bob, "mkdir -m 777 \(folder) && for f in \(files.joined(separator: " ")); do echo precious > \(folder)/$f; done")
        return (folder, files)
    }

    func testAPresenceFolderThatIsASymlinkIsRefusedAndNothingOutsideIsDeleted() throws {
        let victim = try victimFolder()
        let planted = try shell(mallory, "ln -s \(victim.folder) \(presence)")
        XCTAssertEqual(planted.status, 0, planted.stderr)
        let tmux = try consoles()
        for (session, account) in [("alice", alice), ("root-as-alice", "root")] {
            if account == "root" {
                try tmux.openConsoleAsRoot(session, acting: alice, desk: self)
            } else {
                try tmux.openConsole(session, account: account, desk: self)
            }
            XCTAssertEqual(try tmux.exitStatus(session), 77)
            let said = (try? String(contentsOfFile: tmux.errorFile(session), encoding: .utf8)) ?? ""
            XCTAssertTrue(said.contains(presence) && said.contains("not a folder"), "names what it refused: \(said)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: victim.folder).sorted(), victim.files.sorted(),
                       "nothing of bob's was deleted")

        // Without the symlink, the console makes a sticky board of its own.
        XCTAssertEqual(unlink(presence), 0)
        try tmux.openConsole("alice2", account: alice, desk: self)
        try waitFor("alice's presence board") { status(presence) != nil }
        try tmux.type("alice2", "q")
        XCTAssertEqual(try tmux.exitStatus("alice2"), 0)
        let board = try XCTUnwrap(status(presence))
        XCTAssertEqual(board.st_mode & S_IFMT, S_IFDIR)
        XCTAssertNotEqual(board.st_mode & S_ISVTX, 0, "sticky: no member can remove or replace another's file")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: victim.folder).count, 3)
    }

    func testAPresenceFileAliceDidNotWriteDoesNotShowHerAsHere() throws {
        let opened = try run(alice, "new", "--customer", "a@example.com", "--subject", "Printer on fire", "--body", "Help")
        XCTAssertEqual(opened.status, 0, opened.stderr)
        let tmux = try consoles()
        try makePresenceBoard(tmux, by: alice)  // alice's, sticky
        // Mallory claims alice is looking at ticket 1 (pid 1 is alive, so it looks current).
        try plantPresenceFile("\(alice).1")
        try tmux.openConsole("bob", account: bob, desk: self)
        try waitFor("bob's console on ticket 1") { tmux.capture("bob").contains("Printer on fire") }
        XCTAssertFalse(tmux.capture("bob").contains("also here"), "the spoofed file is ignored:\n\(tmux.capture("bob"))")

        // Alice herself opens the ticket: now bob is told, so the line would have shown.
        try tmux.openConsole("alice", account: alice, desk: self)
        try waitFor("bob told that alice is here") { tmux.capture("bob").contains("also here: \(alice)") }
        try tmux.type("alice", "q")
        XCTAssertEqual(try tmux.exitStatus("alice"), 0)
        try waitFor("alice gone from bob's screen") { !tmux.capture("bob").contains("also here") }
        try tmux.type("bob", "q")
        XCTAssertEqual(try tmux.exitStatus("bob"), 0)
        XCTAssertNotNil(status(presence + "/\(alice).1"), "mallory's file is not the console's to remove")
    }

    /// A console of `account`'s opened and closed: the presence board now exists.
    private func makePresenceBoard(_ tmux: Tmux, by account: String) throws {
        try tmux.openConsole("first", account: account, desk: self)
        try waitFor("the presence board") { status(presence) != nil }
        try tmux.type("first", "q")
        XCTAssertEqual(try tmux.exitStatus("first"), 0)
    }

    /// Mallory writes a presence file of the given name (an account and a process id).
    private func plantPresenceFile(_ name: String) throws {
        let planted = try shell(mallory, "echo 1 > \(presence)/\(name)")
        XCTAssertEqual(planted.status, 0, planted.stderr)
    }

    private func isAvailable(_ account: String) throws -> Bool {
        let listed = try run(alice, "group", "list", "--json")
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let groups = try XCTUnwrap(JSONSerialization.jsonObject(with: listed.stdoutData) as? [[String: Any]])
        let members = groups.first?["members"] as? [[String: Any]] ?? []
        return members.first { $0["agent"] as? String == account }?["available"] as? Bool ?? false
    }

    /// A console killed outright makes its agent away once another console finds its process gone;
    /// a "dead console" of alice's that mallory planted does not.
    func testOnlyAlicesOwnKilledConsoleMakesHerAway() throws {
        for arguments in [["group", "add", "billing"], ["group", "member", "add", "billing", alice], ["available"]] {
            let done = try run(alice, arguments: arguments)
            XCTAssertEqual(done.status, 0, done.stderr)
        }
        let tmux = try consoles()
        try makePresenceBoard(tmux, by: bob)
        // Mallory plants a file named as a console of alice's whose process is gone.
        try plantPresenceFile("\(alice).4194000")
        try tmux.openConsole("bob", account: bob, desk: self)
        try waitFor("bob's queue") { tmux.capture("bob").contains("Queue · ") }  // the board was read before
        XCTAssertTrue(try isAvailable(alice), "mallory's file is not a console of alice's")

        // Alice's own console, killed: bob's console finds it and the desk records her away.
        try tmux.openConsole("alice", account: alice, desk: self)
        var console: pid_t = 0
        try waitFor("alice's console on the board") {
            let found = try Self.spawn("/usr/bin/pgrep", ["-u", alice, "-x", "helpdesk"], directory: "/")
            console = pid_t(found.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            return console > 0 && status(presence + "/\(alice).\(console)") != nil
        }
        XCTAssertEqual(kill(console, SIGKILL), 0)
        try waitFor("alice away") { try !isAvailable(alice) }
        let last = try run(alice, "events", "--json").stdout.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(last.contains("\"actor\":\"desk\"") && last.contains("\"via\":\"\(bob)\"")
                      && last.contains("agent.away"), last)
        try tmux.type("bob", "q")
        XCTAssertEqual(try tmux.exitStatus("bob"), 0)
    }

    /// Alice's key file, and a file of root's, for mallory to point symlinks at.
    func victims() throws -> (keys: String, rootFile: String) {
        let keys = home(alice) + "/authorized_keys"
        try shell(alice, "echo 'ssh-ed25519 AAAA alice' > \(keys) && chmod 600 \(keys)")
        try root("chmod", "755", home(alice))  // so mallory can name it (she still cannot write it)
        let rootFile = base + "/root-only"
        try Data("root's\n".utf8).write(to: URL(fileURLWithPath: rootFile))
        chmod(rootFile, 0o600)
        return (keys, rootFile)
    }

    func testSymlinksAtTheSnapshotsNamesReachNothing() throws {
        // The snapshot's lock and file are pointed at them.
        let (keys, rootFile) = try victims()
        let planted = try shell(mallory, "ln -s \(keys) \(logPath).snapshot.lock && ln -s \(rootFile) \(logPath).snapshot")
        XCTAssertEqual(planted.status, 0, planted.stderr)

        // Enough records at once for a snapshot to be due (5,000), by bob and by root.
        let lines = (1...5_100).map { """
            {"channel":"chat","customer":{"email":"c\($0)@example.com"},"subject":"s","body":"b","external_id":"x\($0)"}
            """ }.joined(separator: "\n") + "\n"
        let byBob = try run(bob, "ingest", "--json", stdin: lines)
        XCTAssertEqual(byBob.status, 0, byBob.stderr)
        XCTAssertTrue(byBob.stderr.contains("\(logPath).snapshot.lock") && byBob.stderr.contains("symlink"),
                      "says what it refused: \(byBob.stderr)")
        let byRoot = try runAsRoot("ingest", "--json", stdin: lines.replacingOccurrences(of: "\"x", with: "\"y"))
        XCTAssertEqual(byRoot.status, 0, byRoot.stderr)

        XCTAssertEqual(try String(contentsOfFile: keys, encoding: .utf8), "ssh-ed25519 AAAA alice\n")
        XCTAssertEqual((status(keys)?.st_mode ?? 0) & 0o777, 0o600, "its mode is unchanged")
        XCTAssertEqual(try String(contentsOfFile: rootFile, encoding: .utf8), "root's\n")
        XCTAssertEqual((status(rootFile)?.st_mode ?? 0) & 0o777, 0o600)

        // The desk still works; with the lock's symlink gone a snapshot replaces the other link.
        let listed = try run(alice, "list", "--json")
        XCTAssertEqual(listed.status, 0, listed.stderr)
        try shell(mallory, "rm \(logPath).snapshot.lock")
        let more = try run(bob, "ingest", "--json", stdin: lines.replacingOccurrences(of: "\"x", with: "\"z"))
        XCTAssertEqual(more.status, 0, more.stderr)
        XCTAssertEqual((status(logPath + ".snapshot")?.st_mode ?? 0) & S_IFMT, S_IFREG, "the symlink was replaced, not followed")
        XCTAssertEqual(try String(contentsOfFile: rootFile, encoding: .utf8), "root's\n")
        let names = try FileManager.default.contentsOfDirectory(atPath: deskFolder)
        XCTAssertEqual(names.filter { $0.contains(".tmp-") }, [], "no temporary file left")
    }

    func testSymlinksAtTheSearchIndexsNamesReachNothing() throws {
        let (keys, rootFile) = try victims()
        let opened = try run(bob, "new", "--customer", "ann@example.com", "--subject", "Printer", "--body", "A quokka jammed it.")
        XCTAssertEqual(opened.status, 0, opened.stderr)
        let planted = try shell(mallory, "ln -s \(keys) \(logPath).search && ln -s \(rootFile) \(logPath).search-journal")
        XCTAssertEqual(planted.status, 0, planted.stderr)

        for search in [try run(alice, "search", "quokka"), try runAsRoot("search", "quokka")] {
            XCTAssertEqual(search.status, 0, search.stderr)
            XCTAssertTrue(search.stdout.contains("Printer"), search.stdout)
            XCTAssertTrue(search.stderr.contains("\(logPath).search-journal") && search.stderr.contains("remove it"),
                          "says what it refused: \(search.stderr)")
        }
        XCTAssertEqual(try String(contentsOfFile: keys, encoding: .utf8), "ssh-ed25519 AAAA alice\n")
        XCTAssertEqual((status(keys)?.st_mode ?? 0) & 0o777, 0o600, "its mode is unchanged")
        XCTAssertEqual(try String(contentsOfFile: rootFile, encoding: .utf8), "root's\n")

        // With the journal's symlink gone, a search replaces the index's symlink with an index.
        try shell(mallory, "rm \(logPath).search-journal")
        let again = try run(alice, "search", "quokka")
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("Printer"), again.stdout)
        XCTAssertEqual((status(logPath + ".search")?.st_mode ?? 0) & S_IFMT, S_IFREG, "the symlink was replaced, not followed")
        XCTAssertEqual(try String(contentsOfFile: keys, encoding: .utf8), "ssh-ed25519 AAAA alice\n")
        let names = try FileManager.default.contentsOfDirectory(atPath: deskFolder)
        XCTAssertEqual(names.filter { $0.contains(".tmp-") }, [], "no temporary file left")
    }
}

extension Tmux {
    /// Root's console acting as `agent` (`--as`), as the issue's reproduction ran it.
    func openConsoleAsRoot(_ name: String, acting agent: String, desk: TrustCase) throws {
        let environment = desk.environment(home: desk.base).merging(["TERM": "tmux-256color"]) { $1 }
        let line = (["/usr/bin/env", "-i"] + environment.map { "\($0.key)=\($0.value)" } + [desk.binary, "console", "--as", agent])
            .map { "'" + $0 + "'" }.joined(separator: " ") + " 2>" + errorFile(name) + "; echo $? > " + exitFile(name)
        try newSession(name, command: line)
    }
}
