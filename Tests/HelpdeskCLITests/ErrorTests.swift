import Foundation
import XCTest

/// Failures users' scripts see: the exit code and one line on stderr, never a stack trace.
final class ErrorTests: CLITestCase {
    private func assertNoCrash(_ result: CLIResult, file: StaticString = #filePath, line: UInt = #line) {
        for marker in ["Fatal error", "Stack dump", "Current stack trace", "Illegal instruction", "Segmentation"] {
            XCTAssertFalse(result.stderr.contains(marker), "stderr: \(result.stderr)", file: file, line: line)
        }
    }

    func testUnknownTicketIsRefusedNamingIt() throws {
        try cli.ok("init")
        try cli.newTicket()
        for command in [["take", "99"], ["show", "99"], ["show", "99", "--json"], ["reply", "99", "--body", "hi"],
                        ["resolve", "99"], ["history", "99"]] {
            let result = try cli.run(command)
            XCTAssertEqual(cli.assertOneLineError(result, status: 1, command), "helpdesk: no ticket 99")
        }
    }

    func testUsageErrorsExit64() throws {
        try cli.ok("init")
        try cli.newTicket()
        let cases: [([String], String)] = [
            (["priority", "1", "extreme"], "'extreme'"),
            (["follow-up", "1", "--in", "5x"], "bad duration '5x'"),
            (["new", "--customer", "ann@example.com"], "--subject"),
            (["take", "one"], "'one'"),
            (["frobnicate"], "frobnicate"),
        ]
        for (arguments, mentioned) in cases {
            let result = try cli.run(arguments)
            let command = arguments.joined(separator: " ")
            XCTAssertEqual(result.status, 64, "\(command): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", command)
            XCTAssertTrue(result.stderr.hasPrefix("Error: "), "\(command): \(result.stderr)")
            XCTAssertTrue(result.stderrLines.first?.contains(mentioned) == true, "\(command): \(result.stderr)")
            assertNoCrash(result)
        }
        let ticket = try cli.ticket(1)
        XCTAssertEqual(ticket["priority"] as? String, "normal")
        XCTAssertTrue(isNull(ticket["follow_up_at"]))
    }

    func testAnAccountNotOnTheRosterIsToldHowToGetOnIt() throws {
        try cli.ok("init")
        try cli.newTicket()
        let line = try cli.refused("take", "1", "--as", "mallory")
        XCTAssertTrue(line.contains("'mallory' is not on the desk's roster"), line)
        XCTAssertTrue(line.contains("helpdesk agent add mallory"), line)
        XCTAssertTrue(try cli.refused("new", "--customer", "x@example.com", "--subject", "s", "--as", "mallory")
            .contains("helpdesk agent add mallory"))
        XCTAssertTrue(isNull(try cli.ticket(1)["assignee"]))
        // Reading needs no roster entry.
        XCTAssertEqual(try cli.array("list", "--json", "--as", "mallory").count, 1)
    }

    func testAMissingLogExits66NamingThePathAndInit() throws {
        let missing = cli.directory.appendingPathComponent("nowhere/desk.log").path
        // A database desk's store, named by HELPDESK_STORE, is missing too: the database holds no desk.
        let named = cli.desk.onDatabase ? cli.desk.storeName : missing
        for arguments in [["list"], ["take", "1"], ["new", "--customer", "a@example.com", "--subject", "s"]] {
            let viaEnvironment = try cli.run(arguments, environment: ["HELPDESK_LOG": missing])
            let line = cli.assertOneLineError(viaEnvironment, status: 66, arguments)
            XCTAssertTrue(line.contains(named), line)
            XCTAssertTrue(line.contains("helpdesk init"), line)
            assertNoCrash(viaEnvironment)
        }
        let viaOption = try cli.run(["list", "--log", missing], logInEnvironment: false)
        XCTAssertEqual(cli.assertOneLineError(viaOption, status: 66, ["list", "--log", missing]),
                       "helpdesk: no desk log at \(missing); create one with: helpdesk init --log \(missing)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing), "nothing is created on the way")
    }

    func testTakingSomeoneElsesTicketNamesTheHolder() throws {
        try cli.setUpDesk(agents: [("alice", []), ("bob", [])])
        try cli.newTicket()
        try cli.ok("take", "1", "--as", "alice")
        let result = try cli.run(["take", "1", "--as", "bob"])
        let line = cli.assertOneLineError(result, status: 1, ["take", "1", "--as", "bob"])
        XCTAssertEqual(line, "helpdesk: ticket 1 is assigned to alice; use --steal to take it anyway")
        XCTAssertEqual(try cli.ticket(1)["assignee"] as? String, "alice")
    }

    func testADamagedLogExits65AndFsckRepairsIt() throws {
        try cli.desk.requireFileStore("bytes changed in the log file, and fsck --repair, which a database refuses")
        try cli.setUpDesk(agents: [("alice", [])])
        try cli.newTicket()
        // Change one byte of record 2 (the agent added), with record 3 intact after it.
        var text = try String(contentsOfFile: cli.logPath, encoding: .utf8)
        let range = try XCTUnwrap(text.range(of: "\"agent\":\"alice\""))
        text.replaceSubrange(range, with: "\"agent\":\"alicf\"")
        try text.write(toFile: cli.logPath, atomically: false, encoding: .utf8)

        let listed = try cli.run(["list"])
        let line = cli.assertOneLineError(listed, status: 65, ["list"])
        XCTAssertTrue(line.contains("\(cli.logPath) is damaged at byte "), line)
        XCTAssertTrue(line.contains("helpdesk fsck"), line)
        XCTAssertEqual(try cli.run(["take", "1", "--as", "alice"]).status, 65)

        let checked = try cli.run(["fsck"])
        XCTAssertEqual(checked.status, 65, checked.stderr)
        XCTAssertTrue(checked.stdout.contains("damaged at byte"), checked.stdout)
        XCTAssertEqual(checked.stderrLines.filter { !$0.isEmpty }, ["helpdesk: the log is damaged; run: helpdesk fsck --repair --log \(cli.logPath)"])

        let repaired = try cli.ok("fsck", "--repair")
        XCTAssertTrue(repaired.stdout.contains("repaired: kept a copy at "), repaired.stdout)
        XCTAssertEqual(try cli.array("agent", "list", "--json").map { $0["account"] as? String }, ["root"])
        XCTAssertEqual(try cli.ok("fsck").stdoutLines.last, "ok")
    }

    /// A crash mid-write leaves a torn tail: readers say nothing and leave it; fsck names it; the
    /// next command that writes cuts it off and says so on stderr, then does its work.
    func testATornTailIsLeftByReadersAndCutByTheNextWriterWhichSaysSo() throws {
        try cli.desk.requireFileStore("a torn tail is half a line at the file's end; a row is written whole or not at all")
        try cli.setUpDesk()
        try cli.newTicket()
        let intact = try FileManager.default.attributesOfItem(atPath: cli.logPath)[.size] as! Int
        let torn = Data(#"{"seq":3,"at":"2026-11-20T12:00:00.000Z","actor":"root","ev"#.utf8)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: cli.logPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: torn)
        try handle.close()

        let listed = try cli.run(["list"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertEqual(listed.stderr, "", "a reader says nothing")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: cli.logPath)[.size] as? Int, intact + torn.count)
        XCTAssertTrue(try cli.ok("fsck").stdout.contains("torn tail at byte \(intact): the last record is incomplete"))

        let noted = try cli.run(["note", "1", "--body", "after the crash"])
        XCTAssertEqual(noted.status, 0, noted.stderr)
        XCTAssertEqual(noted.stderr, "helpdesk: cut off \(torn.count) bytes at the end of \(cli.logPath) left by an interrupted "
                       + "write (the last record is incomplete (\(torn.count) bytes without an end))\n")
        XCTAssertEqual(noted.stdout, "added a note to ticket 1\n")
        XCTAssertEqual(try cli.ok("fsck").stdoutLines.last, "ok")
        XCTAssertEqual(try cli.run(["note", "1", "--body", "again"]).stderr, "", "said once, when it was cut")
    }
}
