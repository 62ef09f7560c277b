import Foundation

/// The desk's writers' lock, held as another writer holds it: the log's flock (`HeldLock`), or
/// for a database desk a psql session that has locked the head row (`SELECT … FOR UPDATE`) and
/// keeps its transaction open until `release` ends the session.
public final class HeldWritersLock {
    private var letGo: (() -> Void)?

    public init(_ desk: TemporaryDesk) throws {
        guard let postgres = desk.postgres, let database = desk.database else {
            let lock = try HeldLock(path: desk.logPath)
            letGo = lock.release
            return
        }
        let name = "held_lock_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let session = try postgres.startPsql("BEGIN;\nSELECT seq FROM helpdesk_head FOR UPDATE;\nSELECT pg_sleep(600);\n",
                                             url: database.url + "?application_name=" + name)
        let sessions = "FROM pg_stat_activity WHERE application_name = '\(name)'"
        // Asleep: past the row lock, which it holds until its session ends.
        try waitFor("the psql session to lock the head row") {
            try postgres.psql("SELECT count(*) \(sessions) AND state = 'active' AND query LIKE 'SELECT pg_sleep%'",
                              database: database.name) == "1"
        }
        letGo = {
            _ = try? postgres.psql("SELECT pg_terminate_backend(pid, 10000) \(sessions)", database: database.name)
            _ = session.wait()
        }
    }

    /// Lets go: once this returns, a writer can take the lock.
    public func release() {
        letGo?()
        letGo = nil
    }

    deinit { release() }
}
