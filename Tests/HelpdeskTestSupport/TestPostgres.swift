import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// One database made for one test, by URL: over TCP (`postgresql://USER@127.0.0.1:PORT/NAME`)
/// and, when the server's socket folder is known, over its Unix socket
/// (`postgresql://USER@/NAME?host=/SOCKET/FOLDER&port=PORT`).
public struct TestDatabase: Sendable, Equatable {
    public let name: String
    public let url: String
    public let socketURL: String?
}

/// The real PostgreSQL server the tests run against, as tests see it.
///
/// `HELPDESK_TEST_POSTGRES` names a running server (`.ci/run` starts one): a libpq URL without a
/// database, `postgresql://USER@HOST:PORT/`, whose role may create databases. With it,
/// `HELPDESK_TEST_POSTGRES_DATA` (the cluster's data folder) and `HELPDESK_TEST_POSTGRES_BIN`
/// (the folder of its pg_ctl) let tests restart it and reach its socket. Without it, the first
/// test that asks starts a throwaway cluster of the process's own (stopped at exit); without
/// PostgreSQL installed, the test is skipped.
public final class TestPostgres: @unchecked Sendable {
    /// The server's URL without a database, ending in `/`.
    public let url: String
    public let user: String?
    public let port: Int
    public let socketFolder: String?
    public let dataFolder: String?
    public let binFolder: String?
    /// Where psql's and pg_ctl's output waits to be read.
    private let scratch: TemporaryFolder

    /// The shared server: the one `HELPDESK_TEST_POSTGRES` names, else this process's own.
    public static func server() throws -> TestPostgres { try shared.get() }

    private static let shared = Result<TestPostgres, Error> {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["HELPDESK_TEST_POSTGRES"], !url.isEmpty {
            return try TestPostgres(url: url, data: environment["HELPDESK_TEST_POSTGRES_DATA"].flatMap { $0.isEmpty ? nil : $0 },
                                    bin: environment["HELPDESK_TEST_POSTGRES_BIN"].flatMap { $0.isEmpty ? nil : $0 })
        }
        let cluster = try ThrowawayPostgresCluster.start()
        return try TestPostgres(url: cluster.url, data: cluster.data, bin: cluster.bin)
    }

    init(url: String, data: String?, bin: String?) throws {
        guard let parts = URLComponents(string: url), ["postgres", "postgresql"].contains(parts.scheme ?? ""),
              let host = parts.host, !host.isEmpty, parts.path.isEmpty || parts.path == "/", parts.query == nil else {
            throw PostgresFailure("HELPDESK_TEST_POSTGRES is \(url): it must be a server's URL without a database or "
                + "parameters, postgresql://USER@HOST:PORT/")
        }
        self.url = url.hasSuffix("/") ? url : url + "/"
        user = parts.user
        port = parts.port ?? 5432
        dataFolder = data
        binFolder = bin
        // postmaster.pid's fifth line is the server's first socket folder.
        socketFolder = data.flatMap { try? String(contentsOfFile: $0 + "/postmaster.pid", encoding: .utf8) }
            .flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(4).first }
            .map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        scratch = try TemporaryFolder("pgt")
        chmod(scratch.path, 0o711)  // pg_ctl runs in it as the cluster's owner
        let folder = scratch
        ExitCleanup.add { folder.remove() }
    }

    // MARK: Databases

    /// A new, empty database with a name no other test uses.
    public func createDatabase() throws -> TestDatabase {
        let name = "hd_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try psql("CREATE DATABASE \(name)", database: "postgres")
        return database(named: name)
    }

    /// A database's URLs (whether or not it exists).
    public func database(named name: String) -> TestDatabase {
        TestDatabase(name: name, url: url + name,
                     socketURL: socketFolder.map { "postgresql://\(user.map { $0 + "@" } ?? "")/\(name)?host=\($0)&port=\(port)" })
    }

    /// Drops the database, ending the sessions still connected to it; a database already gone is fine.
    public func dropDatabase(_ database: TestDatabase) throws {
        guard database.name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw PostgresFailure("not a test database's name: \(database.name)")
        }
        try psql("DROP DATABASE IF EXISTS \(database.name) WITH (FORCE)", database: "postgres")
    }

    // MARK: SQL

    /// Runs `sql` (one or more statements) with psql in `database`, stopping at the first error;
    /// returns the rows unaligned, fields split by `|`, without the last newline.
    @discardableResult
    public func psql(_ sql: String, database: String) throws -> String {
        try psql(sql, url: url + database)
    }

    /// Runs `sql` with psql connected to `url`.
    @discardableResult
    public func psql(_ sql: String, url: String) throws -> String {
        let ran = try startPsql(sql, url: url).wait()
        guard ran.status == 0 else { throw PostgresFailure("psql \(url): \(ran.stderr)") }
        return ran.output
    }

    /// Starts psql running `sql` against `url` without waiting for it (a session that holds a
    /// connection while a test does something else).
    public func startPsql(_ sql: String, url: String) throws -> Started {
        try PostgresPrograms.start(try program("psql"), ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url],
                                   as: nil, in: scratch.path, input: sql)
    }

    /// psql's command line against `url`, quoted for sh (for a shell, a tmux pane, to run).
    public func psqlShellCommand(url: String) throws -> String {
        ([try program("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url]).map(shellQuoted).joined(separator: " ")
    }

    /// Whether the server accepts a connection and answers a query now.
    public func accepting() -> Bool {
        (try? psql("SELECT 1", database: "postgres")) == "1"
    }

    // MARK: The server

    /// `pg_ctl restart -m fast`: sessions end, committed data stays; returns once it accepts
    /// connections again.
    public func restart() throws {
        try pgCtl(["-m", "fast", "restart"])
        try waitUntilAccepting()
    }

    /// `pg_ctl stop -m fast`.
    public func stop() throws {
        try pgCtl(["-m", "fast", "stop"])
    }

    /// `pg_ctl start`, with the settings the cluster was made with; returns once it accepts connections.
    public func start() throws {
        try pgCtl(["start"])
        try waitUntilAccepting()
    }

    private func pgCtl(_ arguments: [String]) throws {
        guard let data = dataFolder else {
            throw XCTSkip("set HELPDESK_TEST_POSTGRES_DATA (and HELPDESK_TEST_POSTGRES_BIN) to let the tests restart the server")
        }
        try PostgresPrograms.run(try program("pg_ctl"), ["-D", data, "-w", "-t", "60", "-s"] + arguments,
                                 as: PostgresPrograms.owner(of: data), in: scratch.path)
    }

    private func waitUntilAccepting(timeout: TimeInterval = 30) throws {
        guard Processes.waitUntil(timeout: timeout, every: 50_000, accepting) else {
            throw PostgresFailure("the server at \(url) did not accept connections within \(Int(timeout)) s")
        }
    }

    /// A PostgreSQL program: from HELPDESK_TEST_POSTGRES_BIN, else the newest installed server's, else PATH's.
    private func program(_ name: String) throws -> String {
        let candidates = [binFolder, PostgresPrograms.installedBin()].compactMap { $0.map { $0 + "/" + name } }
        if let found = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) ?? Processes.which(name) {
            return found
        }
        throw XCTSkip("\(name) is not installed (postgresql-client): .ci/run installs PostgreSQL")
    }
}
