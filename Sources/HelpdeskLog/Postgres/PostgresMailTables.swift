import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The mail a database desk keeps beside its log, in its tables (see `PostgresSchema.mail`):
/// blobs, the quarantine, and delivery's lock and hand-over rows. One connection, made when
/// first needed; every statement commits on its own (no transaction is held), so what a call
/// stored is durable when it returns. The delivery lock is an advisory lock of that connection's
/// session: a process that dies lets go of it as it would of a file's flock.
public final class PostgresMailTables {
    /// The most one blob may hold: bytea holds up to 1 GB, but libpq reads a value whole into
    /// memory, so a database desk keeps messages and attachments of up to 100 MiB.
    public static let blobLimit = 100 << 20
    /// How a process's claims on outgoing mail are told from another's.
    static let processToken: String = {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count - 1) == 0 ? String(cString: name) : "?"
        return "\(host)/\(getpid())/\(UUID().uuidString.lowercased())"
    }()

    let url: String
    /// The database as messages name it (without a password).
    public let path: String
    private var connection: PGConnection?
    /// The connection whose session holds the delivery lock, while it is held.
    var lockHolder: PGConnection?

    public init(url: String) {
        self.url = url
        path = StoreLocation.redacted(url)
    }

    /// The connection, made again when the last one was lost, unless `holdingLock` (the lock was
    /// that session's: a new one does not hold it).
    func ready(holdingLock: Bool = false) throws -> PGConnection {
        if holdingLock {
            guard let lockHolder, lockHolder === connection, lockHolder.isOpen else {
                throw LogError.unreachable(store: path, reason: "the connection holding the delivery lock was lost")
            }
            return lockHolder
        }
        if let connection, connection.isOpen { return connection }
        let fresh = try PGConnection(url: url, displayName: path)
        connection = fresh
        return fresh
    }

    /// Runs one statement; a database made before the mail's tables existed gets them first, and
    /// a connection lost since the last statement is made again once (unless `holdingLock`).
    @discardableResult
    func run(_ sql: String, _ parameters: [PGValue?] = [], binaryResults: Bool = false,
             holdingLock: Bool = false) throws -> PGResult {
        do {
            do {
                return try ready(holdingLock: holdingLock).execute(sql, parameters, binaryResults: binaryResults)
            } catch let error as PGError where error.sqlState == "42P01" {
                try createTables()
                return try ready(holdingLock: holdingLock).execute(sql, parameters, binaryResults: binaryResults)
            } catch LogError.unreachable where !holdingLock {
                return try ready().execute(sql, parameters, binaryResults: binaryResults)
            }
        } catch let error as PGError {
            throw LogError.database(store: path, reason: error.message)
        }
    }

    /// Creates the tables that are missing. Two processes doing it at once may collide on the
    /// catalog (42P07, or 23505 on its type): the other one made it, which is all that is needed.
    private func createTables() throws {
        for statement in PostgresSchema.mail {
            do {
                try ready().execute(statement)
            } catch let error as PGError where error.sqlState == "42P07" || error.isUniqueViolation {
                continue
            }
        }
    }

    // MARK: - Blobs

    /// Keeps `bytes` under `sha256` (their SHA-256, hex, which the server checks), committed when
    /// this returns; bytes kept before stay as they are.
    public func putBlob(_ bytes: [UInt8], sha256: String) throws {
        guard bytes.count <= Self.blobLimit else {
            throw LogError.database(store: path, reason: "\(bytes.count) bytes is more than a database desk keeps in one "
                                    + "message or attachment (\(Self.blobLimit >> 20) MiB)")
        }
        try run("INSERT INTO helpdesk_blobs (sha256, size, data) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING",
                [.text(sha256), .int(bytes.count), .bytes(bytes)])
    }

    /// The bytes kept under `sha256`, nil when there are none.
    public func blob(_ sha256: String) throws -> [UInt8]? {
        let result = try run("SELECT data FROM helpdesk_blobs WHERE sha256 = $1", [.text(sha256)], binaryResults: true)
        guard result.rows == 1 else { return nil }
        return Array(result.bytes(0, 0))
    }

    public func blobExists(_ sha256: String) throws -> Bool {
        try run("SELECT 1 FROM helpdesk_blobs WHERE sha256 = $1", [.text(sha256)]).rows == 1
    }

    // MARK: - Quarantine

    /// Keeps a quarantine entry (the file store's bytes of it); an entry kept before stays.
    public func putQuarantine(sha256: String, entry: [UInt8]) throws {
        try run("INSERT INTO helpdesk_quarantine (sha256, entry) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING",
                [.text(sha256), .text(String(decoding: entry, as: UTF8.self))])
    }

    /// The entries released from the quarantine, or those not released.
    public func quarantineEntries(released: Bool) throws -> [(sha256: String, entry: [UInt8])] {
        let result = try run("SELECT sha256, entry FROM helpdesk_quarantine WHERE released = $1", [.text(released ? "t" : "f")])
        return (0..<result.rows).map { (result.text($0, 0) ?? "", Array(result.bytes($0, 1))) }
    }

    /// Marks an entry released; false when there is none.
    public func markReleased(_ sha256: String) throws -> Bool {
        try run("UPDATE helpdesk_quarantine SET released = true WHERE sha256 = $1 RETURNING 1", [.text(sha256)]).rows == 1
    }
}
