import Foundation
import HelpdeskTestSupport
import XCTest

/// The PostgreSQL server the store's tests stand on: databases of their own, both kinds of URL,
/// a restart that loses nothing committed, a drop that leaves nothing.
final class ClusterTests: XCTestCase {
    private var postgres: TestPostgres!

    override func setUpWithError() throws {
        try super.setUpWithError()
        postgres = try TestPostgres.server()
    }

    private func makeDatabase() throws -> TestDatabase {
        let database = try postgres.createDatabase()
        let server = postgres!
        addTeardownBlock { try? server.dropDatabase(database) }
        return database
    }

    private func exists(_ database: TestDatabase) throws -> Bool {
        try postgres.psql("SELECT count(*) FROM pg_database WHERE datname = '\(database.name)'", database: "postgres") == "1"
    }

    func testTwoDatabasesAreIndependent() throws {
        let first = try makeDatabase(), second = try makeDatabase()
        XCTAssertNotEqual(first.name, second.name)
        XCTAssertNotEqual(first.url, second.url)
        try postgres.psql("CREATE TABLE records (seq bigint PRIMARY KEY, line text NOT NULL); INSERT INTO records VALUES (1, 'first')",
                          database: first.name)
        XCTAssertEqual(try postgres.psql("SELECT seq, line FROM records", database: first.name), "1|first")
        XCTAssertEqual(try postgres.psql("SELECT to_regclass('records') IS NULL", database: second.name), "t")
        XCTAssertThrowsError(try postgres.psql("SELECT * FROM records", database: second.name)) { error in
            XCTAssertTrue("\(error)".contains("relation \"records\" does not exist"), "\(error)")
        }
    }

    func testANewDatabaseIsEmpty() throws {
        let database = try makeDatabase()
        XCTAssertEqual(try postgres.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", database: database.name), "0")
    }

    func testTheTCPAndSocketURLsReachTheSameDatabase() throws {
        let database = try makeDatabase()
        let socketURL = try XCTUnwrap(database.socketURL, "the server's socket folder is unknown")
        XCTAssertTrue(database.url.hasPrefix("postgresql://") && database.url.hasSuffix("/" + database.name), database.url)
        XCTAssertTrue(socketURL.contains("/\(database.name)?host=/") && socketURL.hasSuffix("&port=\(postgres.port)"), socketURL)

        try postgres.psql("CREATE TABLE t (v text); INSERT INTO t VALUES ('written over tcp')", url: database.url)
        XCTAssertEqual(try postgres.psql("SELECT v FROM t", url: socketURL), "written over tcp")
        // Each connection went the way its URL says: no server address on a Unix socket.
        XCTAssertEqual(try postgres.psql("SELECT host(inet_server_addr())", url: database.url), "127.0.0.1")
        XCTAssertEqual(try postgres.psql("SELECT inet_server_addr() IS NULL", url: socketURL), "t")
        XCTAssertEqual(try postgres.psql("SELECT current_database()", url: socketURL), database.name)
    }

    func testRestartBringsTheServerBackWithCommittedData() throws {
        let database = try makeDatabase()
        try postgres.psql("CREATE TABLE t (v text); INSERT INTO t VALUES ('before the restart')", database: database.name)
        let startedBefore = try postgres.psql("SELECT pg_postmaster_start_time()", database: "postgres")
        let session = try postgres.startPsql("SELECT pg_sleep(120)", url: database.url)
        try waitFor("the session to be connected") {
            try postgres.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database.name)'", database: "postgres") == "1"
        }

        try postgres.restart()

        XCTAssertNotEqual(try postgres.psql("SELECT pg_postmaster_start_time()", database: "postgres"), startedBefore)
        XCTAssertEqual(try postgres.psql("SELECT v FROM t", database: database.name), "before the restart")
        let ended = session.wait()
        XCTAssertNotEqual(ended.status, 0, "a session open across the restart must have been cut off")
        XCTAssertTrue(ended.stderr.contains("terminat") || ended.stderr.contains("connection"), ended.stderr)
    }

    func testStopRefusesConnectionsAndStartServesAgain() throws {
        let database = try makeDatabase()
        try postgres.psql("CREATE TABLE t (v text); INSERT INTO t VALUES ('kept')", database: database.name)
        try postgres.stop()
        defer { if !postgres.accepting() { try? postgres.start() } }
        XCTAssertFalse(postgres.accepting())
        XCTAssertThrowsError(try postgres.psql("SELECT 1", url: database.url))

        try postgres.start()

        XCTAssertEqual(try postgres.psql("SELECT v FROM t", database: database.name), "kept")
    }

    func testADroppedDatabaseIsGoneEvenWithASessionOpen() throws {
        let database = try postgres.createDatabase()
        try postgres.psql("CREATE TABLE t (v text)", database: database.name)
        XCTAssertTrue(try exists(database))
        let session = try postgres.startPsql("SELECT pg_sleep(120)", url: database.url)
        try waitFor("the session to be connected") {
            try postgres.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database.name)'", database: "postgres") == "1"
        }

        try postgres.dropDatabase(database)

        XCTAssertFalse(try exists(database))
        XCTAssertNotEqual(session.wait().status, 0)
        XCTAssertThrowsError(try postgres.psql("SELECT 1", url: database.url)) { error in
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
        XCTAssertNoThrow(try postgres.dropDatabase(database), "dropping twice is harmless")
    }

    func testATemporaryDeskGetsItsOwnDatabaseOnlyWhenAsked() throws {
        let desk = try TemporaryDesk("hd-pg")
        defer { desk.remove() }
        guard ProcessInfo.processInfo.environment["HELPDESK_TEST_STORE"] == "postgres" else {
            XCTAssertNil(desk.store)
            XCTAssertNil(desk.environment()["HELPDESK_STORE"])
            XCTAssertEqual(desk.environment()["HELPDESK_LOG"], desk.logPath)
            return
        }
        let database = try XCTUnwrap(desk.database)
        XCTAssertEqual(desk.environment()["HELPDESK_STORE"], desk.store)
        XCTAssertEqual(desk.store, database.url)
        XCTAssertNil(desk.environment(logInEnvironment: false)["HELPDESK_STORE"])
        XCTAssertTrue(try exists(database))
        desk.remove()
        XCTAssertFalse(try exists(database))
    }
}
