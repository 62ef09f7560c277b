import Foundation
import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// `helpdesk migrate`: moves a file desk into a PostgreSQL database. Under the file's lock (no
/// file writer appends meanwhile), every record is checked (its CRC, its seq one more than the
/// last from 1, decodable) and copied byte for byte, at the offset its line has in the file, in
/// one transaction with the tables, the head row and the mail store (`mail`); then the file is
/// marked moved (`MovedMarker`), so file-mode writers refuse and point at the database.
///
/// Resumable: a database that already holds this desk (its rows the file's records from the
/// first, byte for byte) gets only the records after its head; one that holds the file's every
/// record and more (the desk was moved, and used since) needs only the marker; one that holds
/// anything else is refused, saying where the two differ.
public struct Migration {
    public let logPath: String
    public let url: String
    /// The file desk's mail store, copied into the database's mail tables inside the
    /// migration's transaction, after the records (again by a resumed migration, which keeps
    /// what an earlier run copied).
    public var mail: (any MailStoreContents)?

    public init(from logPath: String, to url: String) {
        self.logPath = logPath
        self.url = url
    }

    /// What a run did.
    public struct Outcome: Equatable, Sendable {
        /// The database, named without its password.
        public var store: String
        /// Records the database held before this run.
        public var alreadyThere: Int
        public var copiedRecords: Int
        public var copiedBytes: Int64
        /// The marker was written by this run (false: it was there already).
        public var markedMoved: Bool

        public var nothingToDo: Bool { copiedRecords == 0 && !markedMoved }
    }

    /// Why a migration was refused (before anything was written), or could not mark the file.
    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs the migration; `progress` is told the file's bytes checked so far and its size.
    public func run(progress: ((_ done: Int64, _ total: Int64) -> Void)? = nil) throws -> Outcome {
        let store = StoreLocation.redacted(url)
        if let target = MovedMarker.target(ofLog: logPath), target != store {
            throw Refused(description: "\(logPath) was already moved to \(target), not \(store)")
        }
        let file = try LogFile.open(logPath, writable: false)
        if let owner = try file.ownerUID(), owner != geteuid(), geteuid() != 0 {
            // The marker counts only when the log's owner (or root) wrote it.
            throw Refused(description: "only \(Account.name(of: owner)), who owns \(logPath), or root may move it")
        }
        try file.lock(timeout: 30)
        defer { file.unlock() }
        let connection = try PGConnection(url: url, displayName: store)
        var outcome = try copy(file, into: connection, progress: progress)
        if MovedMarker.target(ofLog: logPath) == nil {
            do {
                try MovedMarker.write(ofLog: logPath, url: url)
            } catch {
                throw Refused(description: "copied the desk to \(store), but could not mark \(logPath) moved, so the file "
                    + "still takes writes: \(error)")
            }
            outcome.markedMoved = true
        }
        return outcome
    }

    private func copy(_ file: LogFile, into connection: PGConnection,
                      progress: ((Int64, Int64) -> Void)?) throws -> Outcome {
        let store = connection.displayName
        var inTransaction = false
        defer { if inTransaction, connection.isOpen { _ = try? connection.execute("ROLLBACK") } }
        do {
            let encoding = try connection.execute("SHOW server_encoding").text(0, 0) ?? ""
            guard encoding == "UTF8" else {
                throw Refused(description: "\(store) stores text as \(encoding); the desk's records need a database "
                    + "created with ENCODING 'UTF8'")
            }
            // The lines' bytes as they are, whatever PGCLIENTENCODING says.
            try connection.execute("SET client_encoding = 'UTF8'")
            try connection.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
            inTransaction = true
            let head = try DatabaseHead.lock(connection, store: store)
            let fileSize = try file.size()
            var outcome = Outcome(store: store, alreadyThere: head.seq, copiedRecords: 0, copiedBytes: 0, markedMoved: false)
            let matchedEnd = try DeskComparison.matchedEnd(of: file, in: connection, head: head) { progress?($0, fileSize) }
            // Short of the head: every record of the file is there, and the desk went on without it.
            guard matchedEnd == head.size else { return outcome }
            if !head.existed {
                do {
                    try PostgresSchema.install(on: connection, deskID: PostgresSchema.newDeskID())
                } catch let error as PGError where error.sqlState == "42P07" {
                    throw Refused(description: "\(store) got the desk's tables from another migrate or init meanwhile; "
                        + "run migrate again to see what it holds")
                }
            }
            let copied = try RecordCopy.copy(file, after: head, into: connection) { progress?($0, fileSize) }
            guard copied.records > 0 else {
                if head.existed { return outcome }
                throw Refused(description: "\(logPath) holds no records to move")
            }
            try connection.execute("UPDATE helpdesk_head SET seq = $1, size = $2", [.int(copied.lastSeq), .int(copied.end)])
            if let mail { try MailStoreMigration.copy(mail, into: connection) }
            try connection.execute("COMMIT")
            inTransaction = false
            outcome.copiedRecords = copied.records
            outcome.copiedBytes = copied.end - head.size
            return outcome
        } catch let error as PGError {
            throw LogError.database(store: store, reason: error.message)
        }
    }
}

/// The database's head as a migration finds it, locked against its writers for the transaction.
struct DatabaseHead {
    /// Whether the desk's tables were there.
    var existed: Bool
    var seq: Int
    var size: Int64

    static func lock(_ connection: PGConnection, store: String) throws -> DatabaseHead {
        let tables = try connection.execute("SELECT to_regclass('helpdesk_head') IS NOT NULL, to_regclass('helpdesk_log') IS NOT NULL")
        switch (tables.text(0, 0), tables.text(0, 1)) {
        case ("f", "f"): return DatabaseHead(existed: false, seq: 0, size: 0)
        case ("t", "t"): break
        default: throw Migration.Refused(description: "\(store) holds some of the desk's tables but not all; it is not a desk")
        }
        let head = try connection.execute("SELECT seq, size FROM helpdesk_head FOR UPDATE")
        guard head.rows == 1, let seq = head.int(0, 0), let size = head.int(0, 1) else {
            throw Migration.Refused(description: "\(store) holds the desk's tables without their head row; it is not a desk")
        }
        return DatabaseHead(existed: true, seq: Int(seq), size: size)
    }
}
