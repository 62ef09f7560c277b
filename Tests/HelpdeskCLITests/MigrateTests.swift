import Foundation
import XCTest

/// Issue 14: `helpdesk migrate --from FILE --to URL` moves a file desk into PostgreSQL, byte for
/// byte, marks the file moved, and can be run again after an interruption. Against a real server:
/// skipped when HELPDESK_TEST_POSTGRES does not name one.
final class MigrateTests: CLITestCase {
    var database: MigrationTestDatabase!

    override func setUpWithError() throws {
        try super.setUpWithError()
        try cli.desk.requireFileStore("migrate's source is a log file; these tests make the database it moves to")
        database = try MigrationTestDatabase(folder: cli.desk.path)
    }

    override func tearDown() {
        database?.drop()
        database = nil
        super.tearDown()
    }

    var marker: String { cli.logPath + ".moved" }

    func migrate() throws -> Ran {
        try cli.desk.ok(["migrate", "--from", cli.logPath, "--to", database.url])
    }

    /// The same read from the file and from the database, byte for byte.
    func assertSameFromBothStores(_ command: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let fromFile = try cli.desk.ok(command + ["--log", cli.logPath], file: file, line: line)
        let fromDatabase = try cli.desk.ok(command + ["--store", database.url], file: file, line: line)
        XCTAssertFalse(fromFile.stdoutData.isEmpty, file: file, line: line)
        XCTAssertTrue(fromFile.stdoutData == fromDatabase.stdoutData,
                      "helpdesk \(command.joined(separator: " ")) differs between the stores", file: file, line: line)
    }

    func testAGenerated100kEventDeskMovesAfterAnInterruptionAndReadsTheSame() throws {
        let generated = try cli.desk.ok(["generate", "--tickets", "10000", "--out", cli.logPath]).stdout
        let counts = generated.split(separator: " ").compactMap { Int($0) }
        let (events, records) = (counts[1], counts[2])  // "10000 tickets, N events in R records, …"
        XCTAssertGreaterThanOrEqual(events, 100_000, generated)

        // Killed while copying: the one transaction leaves the database as it was.
        let interrupted = try cli.start(["migrate", "--from", cli.logPath, "--to", database.url])
        let copying = Processes.waitUntil(timeout: 60) {
            !Processes.alive(interrupted.pid) || (try? database.sql(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY helpdesk_log %' AND datname = current_database()")) == "1"
        }
        XCTAssertTrue(copying && Processes.alive(interrupted.pid), "migrate was not seen copying")
        kill(interrupted.pid, SIGKILL)
        XCTAssertEqual(interrupted.wait().status, 128 + SIGKILL)
        XCTAssertTrue(Processes.waitUntil(timeout: 30) {
            (try? database.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) == "0"
        }, "the server ended the killed migration's session")
        XCTAssertEqual(try database.sql("SELECT to_regclass('helpdesk_log') IS NULL"), "t", "nothing left of it")
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))

        let moved = try migrate().stdout
        let store = database.url
        XCTAssertTrue(moved.hasPrefix("moved \(records) records ("), moved)
        XCTAssertTrue(moved.contains(" MB) to \(store) in "), moved)
        XCTAssertTrue(moved.hasSuffix(" s; the file now refuses writes\n"), moved)
        XCTAssertEqual(try String(contentsOfFile: marker, encoding: .utf8), store + "\n")
        // Reads that record nothing first: a read of the database may record escalations now due.
        try assertSameFromBothStores(["export"])
        try assertSameFromBothStores(["events", "--json"])
        XCTAssertEqual(try database.sql("SELECT count(*), max(seq), sum(octet_length(line) + 1) FROM helpdesk_log"),
                       "\(records)|\(records)|\(try FileManager.default.attributesOfItem(atPath: cli.logPath)[.size] as! Int)")
    }

    func testTheMovedFileRefusesWritesAndTheDatabaseTakesThem() throws {
        try cli.setUpDesk()
        let body = #"back\slash \\ "quoted", commas; a \n that is not a newline, ünïcødé 🎫"#
        XCTAssertEqual(try cli.newTicket(subject: #"C:\Temp "x", y"#, ["--body", body]), 1)
        try cli.ok("note", "1", "--body", "line one\nline two\t\\t")
        let listed = try cli.ok("list").stdout

        XCTAssertTrue(try migrate().stdout.hasPrefix("moved 3 records ("))
        try assertSameFromBothStores(["export"])
        try assertSameFromBothStores(["events", "--json"])

        let refusal = cli.assertOneLineError(try cli.run(["note", "1", "--body", "to the file"]), status: 66, ["note"])
        XCTAssertTrue(refusal.hasPrefix("helpdesk: this desk moved to \(database.url)"), refusal)
        XCTAssertEqual(try cli.ok("list").stdout, listed, "the file still reads as it was")

        let shown = try cli.desk.ok(["show", "1", "--store", database.url]).stdout
        XCTAssertTrue(shown.contains(body), shown)
        try cli.desk.ok(["note", "1", "--body", "to the database", "--store", database.url])
        let events = try cli.desk.ok(["events", "--store", database.url]).stdoutLines
        XCTAssertTrue(events.last?.hasSuffix("#1 added an internal note") == true, "\(events)")
        let ticket = try XCTUnwrap(JSONSerialization.jsonObject(
            with: cli.desk.ok(["show", "1", "--json", "--store", database.url]).stdoutData) as? [String: Any])
        let messages = try XCTUnwrap(ticket["messages"] as? [[String: Any]]).map { $0["body"] as? String }
        XCTAssertEqual(messages, [body, "line one\nline two\t\\t", "to the database"])

        let again = try migrate()
        XCTAssertEqual(again.stdout, "nothing left to do: \(cli.logPath) was already moved to \(database.url)\n")
        XCTAssertEqual(again.stderr, "")
    }

    func testAMigrationWhoseMarkerWasNotWrittenGoesOnFromTheDatabasesHead() throws {
        try cli.setUpDesk()
        try cli.newTicket()
        XCTAssertTrue(try migrate().stdout.hasPrefix("moved 2 records ("))
        // Interrupted after COMMIT, before the marker: file writers went on meanwhile.
        try FileManager.default.removeItem(atPath: marker)
        try cli.ok("note", "1", "--body", "written to the file after the copy")
        try cli.ok("take", "1")

        let resumed = try migrate().stdout
        XCTAssertTrue(resumed.hasPrefix("moved 2 records ("), resumed)
        XCTAssertTrue(resumed.contains(" after the 2 already there in "), resumed)
        try assertSameFromBothStores(["export"])
        try assertSameFromBothStores(["events", "--json"])

        // Everything copied, the marker missing again: only the marker is written.
        try FileManager.default.removeItem(atPath: marker)
        XCTAssertEqual(try migrate().stdout,
                       "every record was already in \(database.url); marked \(cli.logPath) moved: the file now refuses writes\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker))
        XCTAssertEqual(try cli.run(["note", "1", "--body", "x"]).status, 66)
    }

    func testADatabaseHoldingPartOfTheDeskGetsTheRest() throws {
        try cli.setUpDesk()
        for n in 1...3 { try cli.newTicket(subject: "ticket \(n)") }
        XCTAssertTrue(try migrate().stdout.hasPrefix("moved 4 records ("))
        try FileManager.default.removeItem(atPath: marker)
        // The database as a migration of the file's first two records would have left it.
        try database.sql("DELETE FROM helpdesk_log WHERE seq > 2")
        try database.sql("UPDATE helpdesk_head SET seq = 2, size = (SELECT pos + octet_length(line) + 1 FROM helpdesk_log WHERE seq = 2)")

        XCTAssertTrue(try migrate().stdout.hasPrefix("moved 2 records ("))
        try assertSameFromBothStores(["export"])
    }

    func testAMarkerPlantedByAnotherAccountIsNotTakenForTheDesksOwn() throws {
        guard geteuid() == 0, let nobody = getpwnam("nobody")?.pointee.pw_uid else { throw XCTSkip("needs root and nobody") }
        try cli.setUpDesk()
        try "postgres://elsewhere.example/x\n".write(toFile: marker, atomically: false, encoding: .utf8)
        XCTAssertEqual(chown(marker, nobody, getegid()), 0)
        try cli.newTicket()  // not the owner's: file writers are not stopped by it

        let arguments = ["migrate", "--from", cli.logPath, "--to", database.url]
        let refusal = cli.assertOneLineError(try cli.run(arguments), status: 1, arguments)
        XCTAssertTrue(refusal.hasPrefix("helpdesk: copied the desk to \(database.url), but could not mark \(cli.logPath) moved, "
            + "so the file still takes writes: refused \(marker): it is there already"), refusal)
        try FileManager.default.removeItem(atPath: marker)
        XCTAssertEqual(try migrate().stdout,
                       "every record was already in \(database.url); marked \(cli.logPath) moved: the file now refuses writes\n")
    }

    func testADatabaseHoldingAnotherDeskIsRefused() throws {
        try cli.setUpDesk()
        try cli.newTicket()
        try cli.desk.ok(["init", "--store", database.url])

        let arguments = ["migrate", "--from", cli.logPath, "--to", database.url]
        let refusal = cli.assertOneLineError(try cli.run(arguments), status: 1, arguments)
        XCTAssertEqual(refusal, "helpdesk: \(database.url) holds another desk: its first record is not the one "
            + "\(cli.logPath) starts with")
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
        try cli.ok("note", "1", "--body", "the file still takes writes")
        XCTAssertEqual(try database.sql("SELECT count(*) FROM helpdesk_log"), "1", "the other desk as it was")
    }

    func testADeskWrittenOnBothSidesAfterAMigrationIsRefused() throws {
        try cli.setUpDesk()
        try cli.newTicket()
        _ = try migrate()
        try FileManager.default.removeItem(atPath: marker)
        try cli.ok("note", "1", "--body", "to the file")
        try cli.desk.ok(["note", "1", "--body", "to the database", "--store", database.url])

        let arguments = ["migrate", "--from", cli.logPath, "--to", database.url]
        let refusal = cli.assertOneLineError(try cli.run(arguments), status: 1, arguments)
        XCTAssertTrue(refusal.contains("holds this desk up to seq 2; its next record differs from the one at byte "), refusal)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
    }

    func testADamagedLogIsRefusedAndNothingIsCopied() throws {
        try cli.setUpDesk()
        try cli.newTicket(subject: "damaged here")
        try cli.newTicket()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: cli.logPath))
        let at = try XCTUnwrap(bytes.range(of: Data("damaged here".utf8))).lowerBound
        bytes[at] = UInt8(ascii: "D")
        try bytes.write(to: URL(fileURLWithPath: cli.logPath))

        let arguments = ["migrate", "--from", cli.logPath, "--to", database.url]
        let refusal = cli.assertOneLineError(try cli.run(arguments), status: 65, arguments)
        XCTAssertTrue(refusal.contains(" is damaged at byte "), refusal)
        XCTAssertEqual(try database.sql("SELECT to_regclass('helpdesk_log') IS NULL"), "t", "nothing created")
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
    }
}

/// The file's side of a migration, with no database needed.
final class MigrateFileSideTests: CLITestCase {
    /// The marker stops file writers that opened the desk before it was written, too: one waiting
    /// for the lock `migrate` holds finds it once it has the lock, and appends nothing.
    func testAWriterWaitingForTheLockWhileTheDeskMovesRefuses() throws {
        try cli.desk.requireFileStore("the moved marker stops writers of the log file it stands beside")
        try cli.setUpDesk()
        try cli.newTicket()
        let size = try FileManager.default.attributesOfItem(atPath: cli.logPath)[.size] as? Int
        let held = try HeldLock(path: cli.logPath)
        let writer = try cli.start(["note", "1", "--body", "written while the desk moved"])
        // Open means past the check at open: from there it can only wait for the lock.
        try waitFor("the note to open the log") {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(writer.pid)/fd")) ?? []
            return fds.contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(writer.pid)/fd/\($0)")) == cli.logPath }
        }
        // What migrate does last, before it lets go of the lock.
        try "postgres://db.example/helpdesk\n".write(toFile: cli.logPath + ".moved", atomically: false, encoding: .utf8)
        held.release()

        let refused = writer.wait()
        let line = cli.assertOneLineError(refused, status: 66, ["note"])
        XCTAssertTrue(line.hasPrefix("helpdesk: this desk moved to postgres://db.example/helpdesk"), line)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: cli.logPath)[.size] as? Int, size, "nothing appended")
    }

    func testMigrateTakesADatabaseURLOnly() throws {
        try cli.setUpDesk()
        let ran = try cli.run(["migrate", "--from", cli.logPath, "--to", cli.directory.path + "/other.log"])
        XCTAssertEqual(ran.status, 64, ran.stderr)
        XCTAssertTrue(ran.stderr.contains("--to must be a postgres:// or postgresql:// URL"), ran.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.logPath + ".moved"))
    }
}

// MARK: - The test's database

/// A database of one test's own on TestPostgres's server.
final class MigrationTestDatabase {
    private let server: TestPostgres
    private let database: TestDatabase
    var url: String { database.url }

    init(folder: String) throws {
        server = try TestPostgres.server()
        database = try server.createDatabase()
    }

    func drop() { try? server.dropDatabase(database) }

    /// Runs one statement; returns its rows as psql prints them unaligned (`a|b`, one per line).
    @discardableResult
    func sql(_ statement: String) throws -> String {
        try server.psql(statement, database: database.name)
    }
}
