import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

// STAND-INS until HelpdeskTestSupport's `TestPostgres` is merged: switch ConsoleDatabaseDeskTests
// to it (a fresh database per test, restart()) and delete this file.

/// A database of the test's own on the server `$HELPDESK_TEST_POSTGRES` names (a base URL such as
/// `postgresql://helpdesk@127.0.0.1:5432/`), made and dropped with psql; the test is skipped
/// when the variable is unset.
final class ScratchDatabase {
    let url: String
    private let name: String
    private let admin: String

    init(on base: String? = nil) throws {
        guard let base = base ?? ProcessInfo.processInfo.environment["HELPDESK_TEST_POSTGRES"], !base.isEmpty else {
            throw XCTSkip("HELPDESK_TEST_POSTGRES is not set (a PostgreSQL server's base URL): the database desk is not tested")
        }
        name = "hd_" + UUID().uuidString.prefix(8).lowercased()
        admin = base + "postgres"
        url = base + name
        try Self.psql(admin, "CREATE DATABASE \(name)")
    }

    func drop() { _ = try? Self.psql(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }

    /// Runs one statement; returns what it printed (unaligned, tuples only), or throws what psql said.
    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> String {
        guard let psql = Processes.which("psql") else { throw XCTSkip("psql is not installed (postgresql-client)") }
        let ran = try Processes.run(psql, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                                    environment: ProcessInfo.processInfo.environment, in: "/tmp")
        guard ran.status == 0 else { throw TestStop("psql \(sql): \(ran.stderr)") }
        return ran.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A PostgreSQL server of the test's own, to stop and restart under a console: made as a user
/// would (initdb as the `postgres` account, which refuses root; a socket in a temporary folder,
/// a free port on 127.0.0.1), stopped by its own pg_ctl.
final class ScratchCluster {
    let folder: TemporaryFolder
    let port: UInt16
    private let bin: String

    init() throws {
        guard getuid() == 0 else { throw XCTSkip("a private PostgreSQL server is started as the postgres account: run as root") }
        guard let bin = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?
            .sorted(by: { $0.compare($1, options: .numeric) == .orderedAscending }).last
            .map({ "/usr/lib/postgresql/\($0)/bin" }), FileManager.default.isExecutableFile(atPath: bin + "/initdb") else {
            throw XCTSkip("PostgreSQL's server is not installed (apt-get install postgresql)")
        }
        self.bin = bin
        folder = try TemporaryFolder("pg")  // short: a socket's path must stay under 108 bytes
        port = try Ports.free()
        guard chown(folder.path, try Self.postgresID(), gid_t(bitPattern: -1)) == 0, chmod(folder.path, 0o700) == 0 else {
            throw TestStop("cannot give \(folder.path) to postgres")
        }
        try pgAsPostgres("initdb", ["-D", folder.file("data"), "-U", "helpdesk", "-A", "trust", "-E", "UTF8", "--locale=C", "-N"])
        try start()
    }

    /// The URL of database `name` on it, over TCP.
    func url(_ name: String) -> String { "postgresql://helpdesk@127.0.0.1:\(port)/\(name)" }

    func start() throws {
        try pgAsPostgres("pg_ctl", ["-D", folder.file("data"), "-l", folder.file("server.log"), "-w", "-t", "30", "-o",
                                    "-k \(folder.path) -p \(port) -c listen_addresses=127.0.0.1 -c fsync=off", "start"])
    }

    func stop() throws { try pgAsPostgres("pg_ctl", ["-D", folder.file("data"), "-m", "fast", "-w", "stop"]) }

    func restart() throws { try pgAsPostgres("pg_ctl", ["-D", folder.file("data"), "-m", "fast", "-w", "-t", "30", "restart"]) }

    func remove() {
        try? stop()
        folder.remove()
    }

    private func pgAsPostgres(_ tool: String, _ arguments: [String]) throws {
        guard let runuser = Processes.which("runuser") else { throw XCTSkip("runuser is not installed (util-linux)") }
        let ran = try Processes.run(runuser, ["-u", "postgres", "--", bin + "/" + tool] + arguments,
                                    environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"], in: folder.path)
        guard ran.status == 0 else {
            let log = (try? String(contentsOfFile: folder.file("server.log"), encoding: .utf8)) ?? ""
            XCTFail("\(tool) \(arguments.last ?? ""): \(ran.stderr)\(ran.stdout)\n\(log)")
            throw TestStop("\(tool) failed")
        }
    }

    private static func postgresID() throws -> uid_t {
        guard let entry = getpwnam("postgres") else { throw XCTSkip("there is no postgres account (apt-get install postgresql)") }
        return entry.pointee.pw_uid
    }
}
