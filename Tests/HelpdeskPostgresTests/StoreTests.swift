import Foundation
import HelpdeskCore
import HelpdeskTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import HelpdeskLog

/// The PostgreSQL store keeps the file log's promises: one writer at a time against the fresh
/// desk, every acknowledged record present once with seq gap-free, a lost COMMIT answer never
/// appended twice, the same bytes as the file would hold, and snapshots that never stand for
/// another database's desk.
final class StoreTests: XCTestCase {
    private var server: TestPostgres!
    private var databases: [TestDatabase] = []
    private var folder: TemporaryFolder!

    override func setUpWithError() throws {
        server = try TestPostgres.server()
        folder = try TemporaryFolder("pgstore")
    }

    override func tearDownWithError() throws {
        for database in databases { try? server.dropDatabase(database) }
        folder?.remove()
    }

    private func newDesk(agents: [String] = []) throws -> (url: String, database: TestDatabase) {
        let database = try server.createDatabase()
        databases.append(database)
        try run(["init"], store: database.url)
        for agent in agents { try run(["agent", "add", agent], store: database.url) }
        return (database.url, database)
    }

    /// The environment of a command on the desk at `store`: a home (and snapshot cache) of its own.
    private func environment(store: String, home: String? = nil) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in ["HELPDESK_LOG", "XDG_DATA_HOME", "XDG_CACHE_HOME", "VISUAL", "EDITOR"] { environment[key] = nil }
        environment["HELPDESK_STORE"] = store
        environment["HOME"] = home ?? folder.path
        environment["TZ"] = "UTC"
        return environment
    }

    @discardableResult
    private func run(_ arguments: [String], store: String, extra: [String: String] = [:],
                     file: StaticString = #filePath, line: UInt = #line) throws -> Ran {
        let ran = try Processes.run(BuiltProducts.helpdesk, arguments,
                                    environment: environment(store: store).merging(extra) { $1 }, in: folder.path)
        XCTAssertEqual(ran.status, 0, "helpdesk \(arguments.joined(separator: " ")): \(ran.stderr)", file: file, line: line)
        return ran
    }

    /// The seqs of the database's rows, in order, read by psql (not through the store).
    private func seqs(_ database: TestDatabase) throws -> [Int] {
        try server.psql("SELECT seq FROM helpdesk_log ORDER BY seq", database: database.name)
            .split(separator: "\n").compactMap { Int($0) }
    }

    func testTheRowsHoldTheFileLogsLinesAtTheirOffsets() throws {
        let (url, database) = try newDesk(agents: ["alice"])
        try run(["new", "--customer", "c@example.com", "--subject", "Backslash \\ quote \" nul \u{1}", "--body", "é 😀\u{1B}[31m"],
                store: url)
        let rows = try server.psql("SELECT seq, pos, octet_length(line) FROM helpdesk_log ORDER BY seq", database: database.name)
            .split(separator: "\n").map { $0.split(separator: "|").compactMap { Int64($0) } }
        var expected: Int64 = 0
        for row in rows {
            XCTAssertEqual(row[1], expected, "row \(row[0]) starts where the one before it ends")
            expected += row[2] + 1
        }
        XCTAssertEqual(try server.psql("SELECT size FROM helpdesk_head", database: database.name), "\(expected)")
        // The lines are the records a file log would hold: decoded with their checksums.
        let log = try DeskLog(location: .postgres(url: url), writable: false, snapshots: false)
        XCTAssertEqual(log.desk.lastSeq, rows.count)
        XCTAssertEqual(log.desk.ticket(1)?.subject, "Backslash \\ quote \" nul \u{1}")
        let exported = try run(["export"], store: url).stdout
        XCTAssertTrue(exported.contains("Backslash"), exported)
    }

    func testMessageTextsReadTogetherAreTheOnesReadOneByOneAndDamageIsNamed() throws {
        let (url, _) = try newDesk(agents: ["alice"])
        let big = String(repeating: "é 😀 long line", count: 6_000)  // 102 kB: past a cut read (64 kB)
        try run(["new", "--customer", "c@example.com", "--subject", "first", "--body", "one \u{1B}[31m"], store: url)
        try run(["new", "--customer", "d@example.com", "--subject", "second", "--body", big], store: url)
        try run(["note", "1", "--body", "two\nlines"], store: url)
        let log = try DeskLog(location: .postgres(url: url), writable: false, snapshots: false)
        var bodies = log.desk.tickets.flatMap { $0.messages.map(\.body) }
        XCTAssertEqual(bodies.count, 3)
        XCTAssertTrue(bodies.allSatisfy { if case .logged = $0 { true } else { false } })
        bodies.append(.text("kept in the snapshot"))
        // Repeated past one query's count, and in another order: each answer in its place.
        let many = Array(repeating: bodies + bodies.reversed(), count: PostgresStore.textBatchCount / 8 + 1).flatMap { $0 }
        XCTAssertGreaterThan(many.count, PostgresStore.textBatchCount)
        let expected = try many.map { try log.text(of: $0) }
        // Compared whole, and never printed whole (the long one would fill the test's output).
        XCTAssertTrue(Set(expected) == ["one \u{1B}[31m", big, "two\nlines", "kept in the snapshot"],
                      "\(Set(expected.map { $0.prefix(20) }))")
        let together = try log.texts(of: many)
        XCTAssertTrue(together == expected, "\(together.count) texts against \(expected.count)")
        XCTAssertEqual(try log.texts(of: []), [])

        guard case .logged(let offset, let length, _) = bodies[0] else { return XCTFail() }
        for (damaged, reason) in [(MessageBody.logged(offset: offset + 1, length: length, event: 0), "a message's record is missing"),
                                  (.logged(offset: offset, length: length, event: 5), "a message's record does not hold it"),
                                  (.logged(offset: offset, length: length - 1, event: 0), "a message's record is missing")] {
            XCTAssertThrowsError(try log.texts(of: [bodies[1], damaged])) { error in
                guard case LogError.damaged(_, let at, let said) = error else { return XCTFail("\(error)") }
                guard case .logged(let damagedOffset, _, _) = damaged else { return }
                XCTAssertEqual(at, damagedOffset)
                XCTAssertEqual(said, reason)
            }
        }
    }

    func testATurnOfManyRecordsSendsThemInPartsAndReadsEachOneBack() throws {
        let (url, database) = try newDesk()
        try run(["new", "--customer", "c@example.com", "--subject", "many notes", "--body", "first"], store: url)
        let me = String(cString: getpwuid(geteuid())!.pointee.pw_name)  // `init` made this account the supervisor
        let log = try DeskLog(location: .postgres(url: url), writable: true, snapshots: false)
        // Past the rows one INSERT takes, twice, and one record past the bytes.
        let count = UnsentRecords.rowLimit * 2 + 10
        let big = String(repeating: "x", count: UnsentRecords.byteLimit + 1)
        let batch = try log.appendEach(count, actor: me, now: Date.init) { index, desk, now throws(Refusal) in
            try Rules.decide(.note(ticket: 1, body: index == 700 ? big : "note \(index)"), by: me, at: now, on: desk)
        }
        XCTAssertNil(batch.stoppedBy)
        XCTAssertEqual(batch.outcomes.compactMap { try? $0.get()?.seq }, Array(3...(count + 2)))
        // Each record was read back within the turn, as written (the desk holds every note).
        let notes = try XCTUnwrap(log.desk.ticket(1)).messages.dropFirst()
        XCTAssertEqual(notes.count, count)
        XCTAssertEqual(try log.text(of: notes[notes.startIndex + 699].body), "note 699")
        XCTAssertTrue(try log.text(of: notes[notes.startIndex + 700].body) == big)
        // As another process reads the database: the same desk, seq gap-free, the head past the last line.
        let reader = try DeskLog(location: .postgres(url: url), writable: false, snapshots: false)
        XCTAssertEqual(reader.desk, log.desk)
        XCTAssertEqual(try seqs(database), Array(1...(count + 2)))
        XCTAssertEqual(try server.psql("SELECT seq, size = (SELECT max(pos + octet_length(line) + 1) FROM helpdesk_log) FROM helpdesk_head",
                                       database: database.name), "\(count + 2)|t")
    }

    func testLongReadsReadAheadAndNeverFallShortOfRowsWrittenMeanwhile() throws {
        let (url, _) = try newDesk()
        try run(["new", "--customer", "c@example.com", "--subject", "long notes", "--body", "first"], store: url)
        let me = String(cString: getpwuid(geteuid())!.pointee.pw_name)
        let writer = try DeskLog(location: .postgres(url: url), writable: true, snapshots: false)
        func addNotes(_ count: Int) throws {
            _ = try writer.appendEach(count, actor: me, now: Date.init) { index, desk, now throws(Refusal) in
                try Rules.decide(.note(ticket: 1, body: String(repeating: "note \(index) ", count: 3000)), by: me, at: now, on: desk)
            }
        }
        try addNotes(50)  // about 1 MB
        let store = try PostgresStore(url: url)
        let size = try store.size()
        func bytes(_ count: Int, at offset: Int64, from store: PostgresStore) throws -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: count)
            let read = try buffer.withUnsafeMutableBytes { try store.read(into: $0, at: offset) }
            return Array(buffer.prefix(read))
        }
        // A scan in reads of 128 kB (each asking for the next) reads every record as written.
        var records: [Int] = []
        var scanner = LogScanner(file: store)
        scanner.chunkSize = 128 << 10
        let end = try scanner.scan(from: 0) { line, _ in records.append(try RecordCodec.decode(line, bodies: .inline).seq) }
        XCTAssertEqual(records, Array(1...52))
        XCTAssertEqual(end.validEnd, size)
        XCTAssertFalse(end.hasTail)

        // The read ahead of this read runs into the end of the log; rows written after it ran
        // are read all the same.
        let count = 256 << 10
        XCTAssertEqual(try bytes(count, at: size - 300_000, from: store).count, count)
        try addNotes(20)  // about 420 kB
        let next = size - 300_000 + Int64(count)
        let afterwards = try bytes(count, at: next, from: store)
        XCTAssertEqual(afterwards.count, count, "the rows written since are read")
        XCTAssertTrue(afterwards == (try bytes(count, at: next, from: PostgresStore(url: url))))
        // And a statement in between lets a read ahead go.
        _ = try bytes(count, at: 0, from: store)
        XCTAssertEqual(try store.size(), try PostgresStore(url: url).size())
    }

    func testACopyHandedToExecuteFailsRatherThanWaitsForever() throws {
        let (url, _) = try newDesk()
        let connection = try PGConnection(url: url, displayName: "test")
        XCTAssertThrowsError(try connection.execute("COPY helpdesk_head (seq) FROM STDIN"))
    }

    func testEightProcessesRacingToTakeOneTicketHaveExactlyOneWinner() throws {
        let agents = (1...8).map { "agent\($0)" }
        let (url, _) = try newDesk(agents: agents)
        let rounds = ProcessInfo.processInfo.environment["HELPDESK_RACE_ROUNDS"].flatMap { Int($0) } ?? 50
        for round in 1...rounds {
            try run(["new", "--customer", "c\(round)@example.com", "--subject", "race \(round)", "--body", "b"], store: url)
            let racers = try agents.map { agent in
                try Processes.start(BuiltProducts.helpdesk, ["take", "\(round)", "--as", agent],
                                    environment: environment(store: url), in: folder.path, input: nil)
            }
            let results = racers.map { $0.wait() }
            let winners = results.filter { $0.status == 0 }
            XCTAssertEqual(winners.count, 1, "round \(round): \(results.map { "\($0.status) \($0.stderr)" })")
            for loser in results where loser.status != 0 {
                XCTAssertEqual(loser.status, 1, "round \(round): a loser is refused, not failed: \(loser.stderr)")
            }
        }
        let desk = try DeskLog(location: .postgres(url: url), writable: false, snapshots: false).desk
        XCTAssertEqual(desk.tickets.count, rounds)
        XCTAssertTrue(desk.tickets.allSatisfy { $0.assignee != nil && $0.history.filter { if case .assigned = $0.event { true } else { false } }.count == 1 })
    }

    /// Rounds of four writers killed with SIGKILL at random moments. A fresh database desk is
    /// started every 10 rounds and checked then, as the file log's loop does, so that the
    /// writers' replay (slow in debug builds) does not come to hold every kill.
    func testKilledWritersLeaveEveryAcknowledgedRecordOnceAndSeqGapFree() throws {
        let environmentValues = ProcessInfo.processInfo.environment
        let rounds = environmentValues["HELPDESK_KILL_ROUNDS"].flatMap { Int($0) } ?? 200
        let seed = environmentValues["HELPDESK_KILL_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        var random = SplitMix64(seed: seed)
        print("PostgreSQL kill -9 loop: \(rounds) rounds of 4 writers, seed \(seed)")
        var desk: (url: String, database: TestDatabase)?
        var acks: [Ack] = [], allAcks = 0, records = 0, roundsWithoutAcks = 0
        for round in 0..<rounds {
            if round % 10 == 0 { desk = try newDesk() }
            let url = desk!.url
            let writers = try (0..<4).map { slot in
                try Child(BuiltProducts.stressWriter, [url, "r\(round)w\(slot)", "1000000"],
                          errorPath: folder.file("w\(slot).err"), environment: environment(store: url))
            }
            // Around the time a writer takes to start, connect and make its first append.
            let budget = Double(random.next(in: 30...400)) / 1000
            _ = Child.pump(writers, until: Date().addingTimeInterval(budget)) { false }
            for writer in writers {
                writer.kill9()
                writer.drain(deadline: Date().addingTimeInterval(10))
                XCTAssertEqual(Child.code(writer.exitStatus ?? 0), 128 + SIGKILL, "round \(round): \(writer.errorText)")
            }
            let roundAcks = writers.flatMap { $0.lines.compactMap(Ack.init) }
            if roundAcks.isEmpty { roundsWithoutAcks += 1 }
            acks += roundAcks
            if (round + 1) % 10 == 0 || round == rounds - 1 {
                records += try verify(desk!, acks: acks)
                allAcks += acks.count
                acks = []
            }
            if testRun?.failureCount ?? 0 > 20 { return XCTFail("stopping after round \(round)") }
        }
        print("PostgreSQL kill -9 loop: \(allAcks) acks, \(records) records; rounds with no ack: \(roundsWithoutAcks)")
        XCTAssertGreaterThan(allAcks, rounds, "most rounds acknowledge something")
    }

    /// `ack SUBJECT TICKET SEQ`, as the stress writer prints once an append returned.
    private struct Ack {
        var subject: String, ticket: Int, seq: Int

        init?(_ line: String) {
            let parts = line.split(separator: " ")
            guard parts.count == 4, parts[0] == "ack", let ticket = Int(parts[2]), let seq = Int(parts[3]) else { return nil }
            (subject, self.ticket, self.seq) = (String(parts[1]), ticket, seq)
        }
    }

    /// Every acknowledged record present once, seq gap-free from 1; returns the records.
    private func verify(_ desk: (url: String, database: TestDatabase), acks: [Ack]) throws -> Int {
        let seqs = try seqs(desk.database)
        XCTAssertEqual(seqs, Array(1...seqs.count), "seq gap-free from 1")
        let replayed = try DeskLog(location: .postgres(url: desk.url), writable: false, snapshots: false).desk
        XCTAssertEqual(replayed.lastSeq, seqs.count)
        var bySubject: [String: [Ticket]] = [:]
        for ticket in replayed.tickets { bySubject[ticket.subject, default: []].append(ticket) }
        XCTAssertEqual(bySubject.filter { $0.value.count > 1 }.keys.sorted(), [], "no ticket appended twice")
        for ack in acks {
            XCTAssertEqual(bySubject[ack.subject]?.map(\.id), [ack.ticket], "acknowledged \(ack.subject)")
            XCTAssertEqual(bySubject[ack.subject]?.first?.history.first?.seq, ack.seq)
        }
        return seqs.count
    }

    func testACommitWhoseAnswerIsLostIsFoundByItsIDAndNotAppendedTwice() throws {
        let (url, database) = try newDesk()
        try run(["new", "--customer", "c@example.com", "--subject", "lost answer", "--body", "b"], store: url)
        let before = try seqs(database).count
        let ran = try run(["note", "1", "--body", "written once"], store: url, extra: ["HELPDESK_FAULT_LOSE_COMMIT_ANSWER": "1"])
        XCTAssertEqual(ran.status, 0)
        XCTAssertEqual(try seqs(database).count, before + 1)
        let notes = try server.psql("SELECT count(*) FROM helpdesk_log WHERE line LIKE '%written once%'", database: database.name)
        XCTAssertEqual(notes, "1")
        XCTAssertEqual(try server.psql("SELECT count(DISTINCT client_id) FROM helpdesk_log", database: database.name),
                       "\(before + 1)")
    }

    func testInitRefusesADatabaseThatHoldsADeskAndCommandsNameAMissingOne() throws {
        let (url, _) = try newDesk()
        let again = try Processes.run(BuiltProducts.helpdesk, ["init"], environment: environment(store: url), in: folder.path)
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("already exists"), again.stderr)
        let empty = try server.createDatabase()
        databases.append(empty)
        let missing = try Processes.run(BuiltProducts.helpdesk, ["list"], environment: environment(store: empty.url), in: folder.path)
        XCTAssertEqual(missing.status, 66, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("init --store"), missing.stderr)
        let unreachable = try Processes.run(BuiltProducts.helpdesk, ["list"],
                                            environment: environment(store: "postgresql://nobody:secret@127.0.0.1:1/none"),
                                            in: folder.path)
        XCTAssertEqual(unreachable.status, 69, unreachable.stderr)
        XCTAssertFalse(unreachable.stderr.contains("secret"), "the password is never shown: \(unreachable.stderr)")
    }

    /// A snapshot in the cache covers one database's records: a database restored from a copy
    /// (same desk id) that went on differently is replayed, never shown as the other.
    func testASnapshotOfAnotherDatabaseWithTheSameDeskIDIsNotUsed() throws {
        let (url, database) = try newDesk()
        try run(["new", "--customer", "c@example.com", "--subject", "shared", "--body", "b"], store: url)
        try server.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database.name)' AND pid <> pg_backend_pid()",
                        database: "postgres")
        let copy = server.database(named: database.name + "_copy")
        try server.psql("CREATE DATABASE \(copy.name) TEMPLATE \(database.name)", database: "postgres")
        databases.append(copy)
        let original = try DeskLog(location: .postgres(url: url), writable: true)
        for index in 0..<30 { try append(original, .note(ticket: 1, body: "original \(index)")) }
        XCTAssertTrue(try original.writeSnapshot(now: Date()))
        let restored = try DeskLog(location: .postgres(url: copy.url), writable: true, snapshots: false)
        for index in 0..<30 { try append(restored, .note(ticket: 1, body: "restored \(index)")) }

        let opened = try DeskLog(location: .postgres(url: copy.url), writable: false)
        XCTAssertEqual(opened.snapshotCovers.seq, 0, "the other database's snapshot was not loaded")
        XCTAssertEqual(opened.desk, try DeskLog(location: .postgres(url: copy.url), writable: false, snapshots: false).desk)
        let again = try DeskLog(location: .postgres(url: url), writable: false)
        XCTAssertEqual(again.snapshotCovers.seq, original.desk.lastSeq, "its own database's snapshot is used")
        XCTAssertEqual(again.desk, original.desk)
    }

    func testAFollowerIsWokenByAnAppendFromAnotherProcess() throws {
        let (url, _) = try newDesk()
        let follower = try LogFollower(location: .postgres(url: url))
        let log = try DeskLog(location: .postgres(url: url), writable: false)
        let before = log.desk.lastSeq
        follower.drain()
        try run(["new", "--customer", "c@example.com", "--subject", "woken", "--body", "b"], store: url)
        XCTAssertTrue(follower.wait(timeout: 10_000), "woken by the notification")
        try log.catchUp()
        XCTAssertEqual(log.desk.lastSeq, before + 1)
        XCTAssertNil(follower.connectionTrouble)
    }

    private func append(_ log: DeskLog, _ command: Command) throws {
        _ = try log.append(actor: "root", now: Date()) { desk, now throws(Refusal) in
            try Rules.decide(command, by: "root", at: now, on: desk)
        }
    }
}
