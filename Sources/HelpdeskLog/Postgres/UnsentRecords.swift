import Foundation

/// The records a writer appended within its turn and has not sent yet: sent together, one
/// INSERT for many rows, when they grow large and at commit, and read back from here meanwhile
/// (a writer reads each record it wrote back to apply it). Sending each at once took two round
/// trips per record, and reading it back a third: `ingest` managed under a thousand lines a
/// second on a database desk. Nothing of a turn is seen by others before its COMMIT either way.
struct UnsentRecords {
    private struct Row {
        var seq: Int
        var pos: Int64
        var at: String
        var actor: String
        var clientID: String
        var line: String
    }

    private var rows: [Row] = []
    /// Their lines, each with its newline, the first at `start`.
    private var bytes: [UInt8] = []
    private var start: Int64 = 0

    /// Sent once they reach this many rows or bytes (an INSERT takes at most 65,535 parameters).
    static let rowLimit = 512
    static let byteLimit = 4 << 20

    var isEmpty: Bool { rows.isEmpty }
    var isFull: Bool { rows.count >= Self.rowLimit || bytes.count >= Self.byteLimit }

    /// `line` is the record's bytes with their newline, at `pos`, right after the last one held.
    mutating func add(seq: Int, pos: Int64, at: String, actor: String, clientID: String, line: [UInt8]) {
        if rows.isEmpty { start = pos }
        precondition(pos == start + Int64(bytes.count), "an unsent record out of place")
        rows.append(Row(seq: seq, pos: pos, at: at, actor: actor, clientID: clientID,
                        line: String(decoding: line.dropLast(), as: UTF8.self)))
        bytes += line
    }

    /// Copies what is held from `offset` on into `buffer`; returns how many bytes (0 when
    /// `offset` is not among them).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int {
        guard offset >= start, offset < start + Int64(bytes.count) else { return 0 }
        let from = Int(offset - start)
        let count = min(buffer.count, bytes.count - from)
        bytes.withUnsafeBytes { held in
            buffer.baseAddress!.copyMemory(from: held.baseAddress! + from, byteCount: count)
        }
        return count
    }

    /// The one INSERT of every row held, and its parameters.
    var insert: (sql: String, parameters: [PGValue?]) {
        var sql = "INSERT INTO helpdesk_log (seq, pos, at, actor, client_id, line) VALUES "
        var parameters: [PGValue?] = []
        parameters.reserveCapacity(rows.count * 6)
        for (index, row) in rows.enumerated() {
            let first = index * 6 + 1
            sql += (index == 0 ? "" : ", ") + "(" + (first..<first + 6).map { "$\($0)" }.joined(separator: ", ") + ")"
            parameters += [.int(row.seq), .int(row.pos), .text(row.at), .text(row.actor), .text(row.clientID), .text(row.line)]
        }
        return (sql, parameters)
    }

    mutating func removeAll() {
        rows.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
    }
}
