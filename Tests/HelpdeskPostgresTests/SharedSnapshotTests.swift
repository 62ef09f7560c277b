import Foundation
import HelpdeskCore
import HelpdeskTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import HelpdeskLog

/// A database desk's users share their newest snapshot in the database (`SharedSnapshot`): an
/// account with none of its own opens from it and replays only the records after it, rather
/// than the whole log. One that is damaged, of another database's bytes, or no newer than the
/// spacing is never used or kept; the desk is always the one the log alone builds.
final class SharedSnapshotTests: XCTestCase {
    private var server: TestPostgres!
    private var databases: [TestDatabase] = []
    private var folder: TemporaryFolder!
    private var savedCacheHome: String?

    override func setUpWithError() throws {
        server = try TestPostgres.server()
        folder = try TemporaryFolder("sharedsnapshot")
        savedCacheHome = getenv("XDG_CACHE_HOME").map { String(cString: $0) }
    }

    override func tearDownWithError() throws {
        if let savedCacheHome { setenv("XDG_CACHE_HOME", savedCacheHome, 1) } else { unsetenv("XDG_CACHE_HOME") }
        for database in databases { try? server.dropDatabase(database) }
        folder?.remove()
    }

    private func newDatabase() throws -> TestDatabase {
        let database = try server.createDatabase()
        databases.append(database)
        return database
    }

    /// The environment of a command run as the account whose home is `home`.
    private func environment(store: String, home: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in ["HELPDESK_LOG", "XDG_DATA_HOME", "XDG_CACHE_HOME", "VISUAL", "EDITOR"] { environment[key] = nil }
        environment["HELPDESK_STORE"] = store
        environment["HOME"] = home
        environment["TZ"] = "UTC"
        environment["HELPDESK_TEST_REPORT_OPENING"] = "1"
        return environment
    }

    @discardableResult
    private func run(_ arguments: [String], store: String, home: String, extra: [String: String] = [:],
                     file: StaticString = #filePath, line: UInt = #line) throws -> Ran {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let ran = try Processes.run(BuiltProducts.helpdesk, arguments,
                                    environment: environment(store: store, home: home).merging(extra) { $1 }, in: folder.path)
        XCTAssertEqual(ran.status, 0, "helpdesk \(arguments.joined(separator: " ")): \(ran.stderr)", file: file, line: line)
        return ran
    }

    /// The seq the shared snapshot covers (nil: none, or no table yet).
    private func sharedSeq(_ database: TestDatabase) -> Int? {
        let header = try? server.psql("SELECT encode(header, 'hex') FROM helpdesk_snapshot", database: database.name)
        guard let header, header.count == 128 else { return nil }
        // The header's bytes 24..<32: the last seq, little-endian.
        let bytes = stride(from: 48, to: 64, by: 2).map { UInt8(header.dropFirst($0).prefix(2), radix: 16)! }
        return bytes.reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    /// Runs `body` as an account whose snapshot cache is a folder of its own, `name`.
    private func asAccount<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        setenv("XDG_CACHE_HOME", folder.path + "/cache-" + name, 1)
        defer { unsetenv("XDG_CACHE_HOME") }
        return try body()
    }

    private func append(_ log: DeskLog, _ count: Int) throws {
        for index in 0..<count {
            _ = try log.append(actor: "root", now: Date()) { desk, now throws(Refusal) in
                try Rules.decide(.note(ticket: 1, body: "note \(index)"), by: "root", at: now, on: desk)
            }
        }
    }

    /// A desk with a ticket and `notes` notes on it, written by a process of this test.
    private func deskWithNotes(_ notes: Int) throws -> (database: TestDatabase, writer: DeskLog) {
        let database = try newDatabase()
        let writer = try asAccount("writer") {
            let log = try DeskLog.create(at: .postgres(url: database.url), actor: "root", displayName: nil, now: Date())
            _ = try log.append(actor: "root", now: Date()) { desk, now throws(Refusal) in
                try Rules.decide(.openTicket(customerEmail: "c@example.com", customerName: nil, subject: "shared",
                                             channel: .email, priority: .normal, body: "first"), by: "root", at: now, on: desk)
            }
            return log
        }
        try append(writer, notes)
        return (database, writer)
    }

    /// The writer's snapshot, written to its cache and offered to the database.
    @discardableResult
    private func share(_ writer: DeskLog) throws -> Bool {
        try asAccount("writer") {
            let prepared = try XCTUnwrap(try writer.prepareSnapshot(now: Date()))
            defer { prepared.release() }
            try prepared.write()
            return try prepared.share()
        }
    }

    private func replayed(_ database: TestDatabase) throws -> Desk {
        try DeskLog(location: .postgres(url: database.url), writable: false, snapshots: false).desk
    }

    func testAnAccountWithoutASnapshotOpensFromTheSharedOneAndReplaysOnlyTheRecordsAfterIt() throws {
        let (database, writer) = try deskWithNotes(40)
        XCTAssertTrue(try share(writer), "none was shared yet")
        let shared = writer.desk.lastSeq
        XCTAssertEqual(sharedSeq(database), shared)
        try append(writer, 5)

        let opened = try asAccount("newcomer") { try DeskLog(location: .postgres(url: database.url), writable: false) }
        XCTAssertEqual(opened.snapshotCovers.seq, shared, "opened from the shared snapshot")
        XCTAssertEqual(opened.desk.lastSeq, shared + 5, "and the records after it")
        XCTAssertTrue(opened.desk == (try replayed(database)), "the desk the log alone builds")
        // Kept in the newcomer's cache: the next open reads nothing more from the database's snapshot.
        let cache = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/cache-newcomer/helpdesk"))
        XCTAssertEqual(cache.filter { $0.hasSuffix(".snapshot") }.count, 1, "\(cache)")
        XCTAssertEqual(cache.filter { $0.contains(".tmp-") }, [], "no temporary file left")
    }

    func testASnapshotReplacesTheSharedOneOnlyWhenNewerByTheSpacing() throws {
        let (database, writer) = try deskWithNotes(20)
        XCTAssertTrue(try share(writer))
        let first = writer.desk.lastSeq
        try append(writer, 3)
        XCTAssertFalse(try share(writer), "3 records newer: within the spacing (\(SharedSnapshot.spacing(forSeq: first + 3)))")
        XCTAssertEqual(sharedSeq(database), first)
        XCTAssertEqual(SharedSnapshot.spacing(forSeq: 50_000), 10_000)
        XCTAssertEqual(SharedSnapshot.spacing(forSeq: 2_000_000), 200_000)

        // With a spacing of 3, the same snapshot does; an older one never replaces a newer one.
        let path = try XCTUnwrap(asAccount("writer") { StoreOpening.cachedSnapshotPath(deskID: try deskID(database)) })
        let store = try PostgresStore(url: database.url)
        XCTAssertTrue(try store.offerSharedSnapshot(from: path, spacing: { _ in 3 }))
        XCTAssertEqual(sharedSeq(database), first + 3)
        let older = folder.path + "/older.snapshot"
        try append(writer, 4)
        XCTAssertFalse(try share(writer), "4 newer: within the spacing")
        try SnapshotFile.write(try replayedTo(database, seq: first), breaches: nil, offset: try offset(database, after: first),
                               log: store, to: older)
        XCTAssertFalse(try store.offerSharedSnapshot(from: older, spacing: { _ in 0 }), "older than the shared one")
        XCTAssertEqual(sharedSeq(database), first + 3)
    }

    func testADamagedSharedSnapshotIsSetAsideAndTheDeskReplayedInFull() throws {
        let (database, writer) = try deskWithNotes(30)
        XCTAssertTrue(try share(writer))
        // One byte of a ticket's record in the payload, past the header.
        _ = try server.psql("UPDATE helpdesk_snapshot_part SET data = overlay(data PLACING '\\xff'::bytea FROM 200 FOR 1)",
                        database: database.name)
        var notices: [String] = []
        let opened = try asAccount("newcomer") {
            let log = try DeskLog(location: .postgres(url: database.url), writable: false)
            log.onNotice = { notices.append($0) }
            return log
        }
        XCTAssertEqual(opened.snapshotCovers.seq, 0, "replayed in full")
        XCTAssertTrue(opened.desk == (try replayed(database)), "the desk the log alone builds")
        XCTAssertEqual(notices, ["the database's shared snapshot was damaged; it was set aside"])
        XCTAssertNil(sharedSeq(database), "set aside, so the next snapshot written replaces it at once")
        let cache = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/cache-newcomer/helpdesk")
        XCTAssertEqual(cache.filter { $0.hasSuffix(".snapshot") }, [], "the damaged copy is not kept")

        try append(writer, 1)
        XCTAssertTrue(try share(writer), "replaced at once, though hardly newer")
        let again = try asAccount("third") { try DeskLog(location: .postgres(url: database.url), writable: false) }
        XCTAssertEqual(again.snapshotCovers.seq, writer.desk.lastSeq)
        XCTAssertTrue(again.desk == (try replayed(database)))
    }

    /// A row that claims more than a snapshot of its records could hold is not fetched at all.
    func testASharedSnapshotClaimingMoreThanItCanHoldIsNotFetched() throws {
        let (database, writer) = try deskWithNotes(10)
        XCTAssertTrue(try share(writer))
        for change in ["size = size + 1", "parts = parts + 1", "size = 1099511627776, parts = 131072"] {
            _ = try server.psql("UPDATE helpdesk_snapshot SET \(change)", database: database.name)
            let name = "newcomer-\(change.count)"
            let opened = try asAccount(name) { try DeskLog(location: .postgres(url: database.url), writable: false) }
            XCTAssertEqual(opened.snapshotCovers.seq, 0, "\(change): replayed in full")
            XCTAssertTrue(opened.desk == (try replayed(database)), change)
            let cache = (try? FileManager.default.contentsOfDirectory(atPath: folder.path + "/cache-\(name)/helpdesk")) ?? []
            XCTAssertEqual(cache.filter { $0.hasSuffix(".snapshot") || $0.contains(".tmp-") }, [], "\(change): nothing fetched")
            try append(writer, 1)
            XCTAssertTrue(try share(writer), "\(change): replaced by the next snapshot, though hardly newer")
        }
        // What a row may claim, by itself: its header's size, in as many parts as that takes, and
        // no more than a desk of the records it covers (a little more for the smallest).
        func header(offset: Int64, payload: Int) -> SnapshotFile.Header {
            SnapshotFile.Header(schema: SnapshotFile.schema, offset: offset, lastSeq: 3, logHead: 0, logTail: 0,
                                payloadLength: payload, payloadHash: 0)
        }
        let small = header(offset: 1_000, payload: 5_000)
        XCTAssertTrue(SharedSnapshot.isPlausible(small, size: 5_064, parts: 1))
        XCTAssertFalse(SharedSnapshot.isPlausible(small, size: 5_065, parts: 1))
        XCTAssertFalse(SharedSnapshot.isPlausible(small, size: 5_064, parts: 2))
        XCTAssertFalse(SharedSnapshot.isPlausible(small, size: 5_064, parts: 0))
        XCTAssertFalse(SharedSnapshot.isPlausible(header(offset: 1_000, payload: 17 << 20), size: (17 << 20) + 64, parts: 3),
                       "17 MiB for 1,000 bytes of records")
        XCTAssertTrue(SharedSnapshot.isPlausible(header(offset: 100 << 20, payload: 20 << 20), size: (20 << 20) + 64, parts: 3))

        // A part longer than parts are: the fetch stops there.
        _ = try server.psql("UPDATE helpdesk_snapshot_part SET data = data || decode(repeat('00', 8388608), 'hex') WHERE part = 0",
                            database: database.name)
        let opened = try asAccount("last") { try DeskLog(location: .postgres(url: database.url), writable: false) }
        XCTAssertEqual(opened.snapshotCovers.seq, 0)
        XCTAssertTrue(opened.desk == (try replayed(database)))
    }

    func testASharedSnapshotOfAnotherDatabasesBytesIsNeverUsed() throws {
        let (database, writer) = try deskWithNotes(12)
        XCTAssertTrue(try share(writer))
        let (other, _) = try deskWithNotes(15)
        // The first database's snapshot, put in the other's tables (as a restore gone wrong might);
        // the store itself never offers a snapshot that does not fit its records.
        let path = try XCTUnwrap(asAccount("writer") { StoreOpening.cachedSnapshotPath(deskID: try deskID(database)) })
        let otherStore = try PostgresStore(url: other.url)
        XCTAssertFalse(try otherStore.offerSharedSnapshot(from: path, spacing: { _ in 0 }), "not of its records")
        for statement in SharedSnapshot.tables { try otherStore.run(statement) }
        let header = try server.psql("SELECT encode(header, 'hex'), parts, size FROM helpdesk_snapshot", database: database.name)
        let values = header.split(separator: "|")
        _ = try server.psql("INSERT INTO helpdesk_snapshot (header, parts, size) VALUES (decode('\(values[0])', 'hex'), \(values[1]), \(values[2]))",
                        database: other.name)
        for row in try server.psql("SELECT part, encode(data, 'hex') FROM helpdesk_snapshot_part", database: database.name)
            .split(separator: "\n") {
            let fields = row.split(separator: "|")
            _ = try server.psql("INSERT INTO helpdesk_snapshot_part VALUES (\(fields[0]), decode('\(fields[1])', 'hex'))", database: other.name)
        }
        XCTAssertEqual(sharedSeq(other), writer.desk.lastSeq)

        let opened = try asAccount("newcomer") { try DeskLog(location: .postgres(url: other.url), writable: false) }
        XCTAssertEqual(opened.snapshotCovers.seq, 0, "not of this database's bytes: replayed in full")
        XCTAssertTrue(opened.desk == (try replayed(other)), "the desk the log alone builds")
        // And a snapshot of its own replaces it, however few records it covers.
        let own = try asAccount("other-writer") { try DeskLog(location: .postgres(url: other.url), writable: true) }
        XCTAssertTrue(try asAccount("other-writer") {
            let prepared = try XCTUnwrap(try own.prepareSnapshot(now: Date()))
            defer { prepared.release() }
            try prepared.write()
            return try prepared.share()
        })
        XCTAssertEqual(sharedSeq(other), own.desk.lastSeq)
    }

    /// The whole road with real processes: a read that replayed answers, and its child writes the
    /// snapshot and shares it; another account's first command opens from it.
    func testANewAccountsFirstCommandOpensFromTheSnapshotAnotherAccountsCommandLeft() throws {
        let database = try newDatabase()
        let generated = folder.path + "/generated.log"
        let first = folder.path + "/first", second = folder.path + "/second"
        try run(["generate", "--tickets", "800", "--seed", "4", "--out", generated], store: database.url, home: first)
        try run(["migrate", "--from", generated, "--to", database.url], store: database.url, home: first)

        let replaying = try run(["status", "--json"], store: database.url, home: first)
        XCTAssertTrue(replaying.stderr.contains("opened by replaying"), replaying.stderr)
        XCTAssertTrue(Processes.waitUntil(timeout: 120) { self.sharedSeq(database) != nil },
                      "the child that wrote the first account's snapshot shared it")
        let shared = try XCTUnwrap(sharedSeq(database))

        let opening = try run(["status", "--json"], store: database.url, home: second)
        XCTAssertTrue(opening.stderr.contains("opened from the snapshot to record \(shared), then "), opening.stderr)
        let answers = try [replaying, opening].map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.stdout.utf8)) as? [String: Any])
        }
        for key in ["by_status", "by_priority", "by_assignee", "last_seq"] {
            XCTAssertEqual(answers[0][key] as? NSObject, answers[1][key] as? NSObject, "\(key): the same answer")
        }
    }

    private func deskID(_ database: TestDatabase) throws -> String {
        try server.psql("SELECT desk_id FROM helpdesk_head", database: database.name)
    }

    private func offset(_ database: TestDatabase, after seq: Int) throws -> Int64 {
        try XCTUnwrap(Int64(server.psql("SELECT pos + octet_length(line) + 1 FROM helpdesk_log WHERE seq = \(seq)",
                                        database: database.name)))
    }

    /// The desk the database's records up to `seq` build.
    private func replayedTo(_ database: TestDatabase, seq: Int) throws -> Desk {
        var desk = Desk()
        let store = try PostgresStore(url: database.url)
        _ = try LogScanner(file: store).scan(from: 0) { line, offset in
            let record = try RecordCodec.decode(line, bodies: .referenced(offset: offset))
            guard record.seq <= seq else { return }
            try desk.apply(record, at: offset, of: store.path)
        }
        return desk
    }
}
