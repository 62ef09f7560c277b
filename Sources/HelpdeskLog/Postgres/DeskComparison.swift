import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether a database already holds a file desk's records, for a migration resumed: its rows, in
/// seq order from 1, must be the file's records, byte for byte and at the same offsets, for as
/// far as both go.
enum DeskComparison {
    /// The offset in the file up to which its records are the database's rows: the database's
    /// head when the file goes on after it (or ends there), less when the file ends first. A row
    /// that differs from the file's record is refused, naming where.
    static func matchedEnd(of file: LogFile, in connection: PGConnection, head: DatabaseHead,
                           progress: (Int64) -> Void) throws -> Int64 {
        guard head.size > 0 else { return 0 }
        let store = connection.displayName
        var rows = StoredRows(connection: connection)
        var matched: Int64 = 0
        var seq = 0
        do {
            return try LogScanner(file: file).scan(from: 0) { line, offset in
                guard offset < head.size else { throw ReachedHead() }
                seq += 1
                guard try rows.next(matches: line, seq: seq, offset: offset) else {
                    throw Migration.Refused(description: seq == 1
                        ? "\(store) holds another desk: its first record is not the one \(file.path) starts with"
                        : "\(store) holds this desk up to seq \(seq - 1); its next record differs from the one at byte "
                          + "\(offset) of \(file.path) (the two took writes apart), so they cannot be joined")
                }
                matched = offset + Int64(line.count) + 1
                progress(matched)
            }.validEnd
        } catch is ReachedHead {
            return matched
        }
    }

    private struct ReachedHead: Error {}
}

/// The database's rows in seq order, fetched a batch at a time.
private struct StoredRows {
    let connection: PGConnection
    private var batch: PGResult?
    private var index = 0
    private let batchSize = 10_000

    init(connection: PGConnection) { self.connection = connection }

    /// Whether the next row is `line` with `seq` at `offset`.
    mutating func next(matches line: UnsafeBufferPointer<UInt8>, seq: Int, offset: Int64) throws -> Bool {
        if batch == nil || index == batch!.rows {
            batch = try connection.execute("SELECT seq, pos, line FROM helpdesk_log WHERE seq >= $1 ORDER BY seq LIMIT \(batchSize)",
                                           [.int(seq)])
            index = 0
        }
        guard let batch, index < batch.rows else { return false }
        defer { index += 1 }
        let stored = batch.bytes(index, 2)
        return batch.int(index, 0) == Int64(seq) && batch.int(index, 1) == offset && stored.count == line.count
            && (line.isEmpty || memcmp(stored.baseAddress!, line.baseAddress!, line.count) == 0)
    }
}
