import Foundation
import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// The newest snapshot a database desk's users have written, kept in the database beside the
/// log, so that an account (or a host) with no snapshot of its own starts from it and replays
/// only the records after it. Each account keeps its snapshots in its own cache folder; without
/// this, each one's first command replayed the whole log (2.5 s on the 1M desk, 25 s on 10M).
///
/// Two unlogged tables, since what they hold is derived (a crash empties them; the next snapshot
/// written fills them again): `helpdesk_snapshot`, one row with the snapshot's header (its first
/// 64 bytes) and how many parts it has, and `helpdesk_snapshot_part`, the file's bytes in parts
/// of 8 MiB (libpq reads a value whole into memory). A snapshot is replaced in one transaction,
/// and read in one REPEATABLE READ transaction, so a reader never mixes the parts of two. They
/// are made with the desk (so a role that may not create tables can still share), and for a desk
/// made before they existed, by the first process that shares a snapshot.
///
/// It is trusted as the log's rows are: the roles that can write these tables can write the
/// log too. It is checked as a file's snapshot is when it is opened (against the log's bytes,
/// then its own hashes), and one that fails is passed over: a full replay, never a wrong desk.
enum SharedSnapshot {
    static let tables = [
        """
        CREATE UNLOGGED TABLE IF NOT EXISTS helpdesk_snapshot (
            one boolean PRIMARY KEY DEFAULT true CHECK (one),
            header bytea NOT NULL,
            parts integer NOT NULL,
            size bigint NOT NULL,
            written timestamptz NOT NULL DEFAULT now(),
            written_by text NOT NULL DEFAULT current_user
        )
        """,
        """
        CREATE UNLOGGED TABLE IF NOT EXISTS helpdesk_snapshot_part (
            part integer PRIMARY KEY,
            data bytea NOT NULL
        )
        """,
    ]

    static let partSize = 8 << 20

    /// How much newer than the shared snapshot one must be to replace it: a tenth of the desk's
    /// records, at least 10,000 (replacing it sends the whole file; a newcomer replays at most
    /// that many records from the database after it).
    static func spacing(forSeq seq: Int) -> Int { max(10_000, seq / 10) }

    /// Whether a shared snapshot's row says what its header does, and no more than a snapshot of
    /// the records it covers can hold (a desk is smaller than its log, plus a little for the
    /// smallest desks): anything else is not fetched, however much the table holds.
    static func isPlausible(_ header: SnapshotFile.Header, size: Int64, parts: Int) -> Bool {
        size == Int64(header.payloadLength) + Int64(SnapshotFile.headerSize) && size <= header.offset + (16 << 20)
            && Int64(parts) == (size + Int64(partSize) - 1) / Int64(partSize)
    }

    /// The transaction-scoped advisory lock an uploader takes, so that two never send at once
    /// (the second gives up: the first's is as new).
    static let uploadLock = 0x6864_736E_6170  // "hdsnap"
}

extension PostgresStore {
    /// Writes the shared snapshot to `path` (a file of this account's, replaced whole) when the
    /// database has one taken of this log's bytes, and returns its header; nil for anything else
    /// (none yet, a database made before the tables, one of other bytes or another version, an
    /// error): the desk then opens as it would without it.
    func fetchSharedSnapshot(to path: String) -> [UInt8]? {
        try? transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { try fetchSharedSnapshot(into: path) }
    }

    private func fetchSharedSnapshot(into path: String) throws -> [UInt8]? {
        let head = try run("SELECT header, parts::text, size::text FROM helpdesk_snapshot", binaryResults: true)
        guard head.rows == 1, let parts = head.text(0, 1).flatMap(Int.init), let size = head.text(0, 2).flatMap(Int64.init),
              let header = SnapshotFile.decodeHeader(UnsafeRawBufferPointer(head.bytes(0, 0))),
              SharedSnapshot.isPlausible(header, size: size, parts: parts), SnapshotFile.fits(header, self)
        else { return nil }
        let fetched = try SharedSnapshot.writeFile(at: path, size: size) { write in
            for part in 0..<parts {
                let result = try run("SELECT data FROM helpdesk_snapshot_part WHERE part = $1 AND octet_length(data) <= $2",
                                     [.int(part), .int(SharedSnapshot.partSize)], binaryResults: true)
                guard result.rows == 1 else { return false }
                try write(result.bytes(0, 0))
            }
            return true
        }
        return fetched ? Array(head.bytes(0, 0)) : nil
    }

    /// Takes away the shared snapshot with `header` (one found damaged when it was opened), so
    /// that the next one written replaces it rather than waiting to be newer.
    func dropSharedSnapshot(header: [UInt8]) {
        _ = try? run("DELETE FROM helpdesk_snapshot WHERE header = $1", [.bytes(header)])
    }

    /// Offers the snapshot file at `path` (just written by this account, of this log) to the
    /// others: it replaces the shared one when there is none, when that one no longer fits the
    /// log, or when this one is newer by `SharedSnapshot.spacing` records. Returns whether it did.
    @discardableResult
    func offerSharedSnapshot(from path: String, spacing: ((Int) -> Int) = SharedSnapshot.spacing) throws -> Bool {
        let file = try LogFile.open(path, writable: false)
        let size = try file.size()
        guard let header = try file.read(count: SnapshotFile.headerSize, at: 0).withUnsafeBytes(SnapshotFile.decodeHeader),
              Int64(header.payloadLength) + Int64(SnapshotFile.headerSize) == size, SnapshotFile.fits(header, self)
        else { return false }
        for statement in SharedSnapshot.tables {
            // Another process may be making them at the same moment; the statements below say
            // whether they are there.
            _ = try? run(statement)
        }
        return try transaction {
            guard try run("SELECT pg_try_advisory_xact_lock($1)", [.int(SharedSnapshot.uploadLock)]).text(0, 0) == "t",
                  try sharedSnapshotIsStale(beside: header, spacing: spacing) else { return false }
            try run("DELETE FROM helpdesk_snapshot_part")
            var part = 0
            var offset: Int64 = 0
            while offset < size {
                let bytes = try file.read(count: Int(min(Int64(SharedSnapshot.partSize), size - offset)), at: offset)
                guard !bytes.isEmpty else { throw LogError.truncated(path: path, size: offset, expected: size) }
                try run("INSERT INTO helpdesk_snapshot_part (part, data) VALUES ($1, $2)", [.int(part), .bytes(bytes)])
                part += 1
                offset += Int64(bytes.count)
            }
            let headerBytes = try file.read(count: SnapshotFile.headerSize, at: 0)
            try run("""
                INSERT INTO helpdesk_snapshot (header, parts, size) VALUES ($1, $2, $3)
                ON CONFLICT (one) DO UPDATE SET header = EXCLUDED.header, parts = EXCLUDED.parts, size = EXCLUDED.size,
                    written = now(), written_by = current_user
                """, [.bytes(headerBytes), .int(part), .int(size)])
            return true
        }
    }

    /// Whether the shared snapshot should give way to one with `header`.
    private func sharedSnapshotIsStale(beside header: SnapshotFile.Header, spacing: (Int) -> Int) throws -> Bool {
        let current = try run("SELECT header, parts::text, size::text FROM helpdesk_snapshot", binaryResults: true)
        guard current.rows == 1, let parts = current.text(0, 1).flatMap(Int.init),
              let size = current.text(0, 2).flatMap(Int64.init),
              let shared = SnapshotFile.decodeHeader(UnsafeRawBufferPointer(current.bytes(0, 0))),
              SharedSnapshot.isPlausible(shared, size: size, parts: parts), shared.schema == SnapshotFile.schema,
              SnapshotFile.fits(shared, self) else { return true }
        return shared.lastSeq + spacing(header.lastSeq) <= header.lastSeq
    }
}

extension SharedSnapshot {
    /// Writes `path` whole with what `fill` gives (`size` bytes in all), unsynced (it is derived,
    /// and checked when opened); nothing is left behind when `fill` says no, fails, or falls short.
    static func writeFile(at path: String, size: Int64,
                          fill: ((UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Bool) throws -> Bool {
        try DeskFolder.containing(path).writeWhole(DeskFolder.name(of: path), mode: 0o600, sync: false) { output in
            try fill { bytes in try output.write(Array(bytes)) } && output.offset == size
        }
    }
}
