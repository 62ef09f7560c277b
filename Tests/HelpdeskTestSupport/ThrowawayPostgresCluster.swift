import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL cluster of this test process's own, made as `.ci/run` makes one (and as a user
/// makes a throwaway one): initdb as the `postgres` account when root, a superuser role `helpdesk`
/// trusted without a password, the Unix socket in a short folder under /tmp, a free port on
/// 127.0.0.1, no fsync. Stopped, and its folder removed, when the process exits.
struct ThrowawayPostgresCluster {
    static let user = "helpdesk"
    let folder: String
    let bin: String
    let port: UInt16
    var data: String { folder + "/data" }
    var url: String { "postgresql://\(Self.user)@127.0.0.1:\(port)/" }

    static func start() throws -> ThrowawayPostgresCluster {
        guard let bin = PostgresPrograms.installedBin() else {
            throw XCTSkip("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): `apt-get install postgresql`, "
                + "or set HELPDESK_TEST_POSTGRES to a server's URL")
        }
        let account = geteuid() == 0 ? "postgres" : nil
        if let account, getpwnam(account) == nil {
            throw XCTSkip("PostgreSQL refuses root and there is no \(account) account to own a test cluster")
        }
        let folder = try TemporaryFolder("pg").path  // the socket's path must stay under 108 bytes
        let cluster = ThrowawayPostgresCluster(folder: folder, bin: bin, port: try Ports.free())
        do {
            try cluster.create(as: account)
        } catch {
            cluster.remove(as: account)
            throw error
        }
        ExitCleanup.add { cluster.remove(as: account) }
        return cluster
    }

    private func create(as account: String?) throws {
        chmod(folder, 0o755)  // the socket, for the throwaway accounts some suites run the desk as
        if let account, let owner = getpwnam(account) {
            chown(folder, owner.pointee.pw_uid, owner.pointee.pw_gid)
        }
        try PostgresPrograms.run(bin + "/initdb", ["-D", data, "-U", Self.user, "-A", "trust", "-E", "UTF8", "--locale=C", "-N"],
                                 as: account, in: folder)
        // In the configuration, not on pg_ctl's command line, so that a plain `pg_ctl start` after
        // a stop brings the same server back.
        let settings = """

            listen_addresses = '127.0.0.1'
            port = \(port)
            unix_socket_directories = '\(folder)'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            logging_collector = on

            """
        let configuration = try FileHandle(forWritingTo: URL(fileURLWithPath: data + "/postgresql.conf"))
        defer { try? configuration.close() }
        try configuration.seekToEnd()
        try configuration.write(contentsOf: Data(settings.utf8))
        try PostgresPrograms.run(bin + "/pg_ctl", ["-D", data, "-w", "-t", "60", "-s", "start"], as: account, in: folder)
    }

    private func remove(as account: String?) {
        if FileManager.default.fileExists(atPath: data + "/postmaster.pid") {
            _ = try? PostgresPrograms.run(bin + "/pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "60", "-s", "stop"],
                                          as: account, in: folder)
        }
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// Work left for the test process's exit (atexit): what outlives one test, such as a server.
enum ExitCleanup {
    private static let pending = Pending()

    static func add(_ work: @escaping @Sendable () -> Void) { pending.add(work) }

    private final class Pending: @unchecked Sendable {
        private let lock = NSLock()
        private var work: [@Sendable () -> Void] = []
        private var registered = false

        func add(_ item: @escaping @Sendable () -> Void) {
            lock.lock()
            defer { lock.unlock() }
            work.append(item)
            if !registered {
                registered = true
                atexit { ExitCleanup.pending.runAll() }
            }
        }

        func runAll() {
            lock.lock()
            let items = work
            work = []
            lock.unlock()
            items.reversed().forEach { $0() }
        }
    }
}
