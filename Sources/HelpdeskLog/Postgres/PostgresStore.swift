import Foundation
import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// The log kept in PostgreSQL (see `PostgresSchema`), read and written as the file is: a writer
/// locks the head row (`SELECT … FOR UPDATE`, READ COMMITTED), catches up, appends each record
/// at the offset after the last line (sent many rows to an INSERT: `UnsentRecords`), moves the
/// head, and commits before it reports; a reader reads rows by offset. Nothing here holds a
/// transaction open between calls but a writer's turn.
final class PostgresStore: LogStore {
    let url: String
    let path: String
    let deskID: String
    /// The role this connection acts as (`current_user`).
    let role: String
    private var connection: PGConnection
    private var inTransaction = false
    /// Within a writer's turn: the head as locked, moved by each append.
    private var pendingSize: Int64?
    /// Within a writer's turn: the last seq appended, for the head at commit.
    private var pendingSeq: Int?
    private var unsent = UnsentRecords()
    /// The long read after the last one, asked for as that one's rows came: a scan reads on
    /// from where its last read ended, and the server finds the next rows while the scanner
    /// checks and decodes these (a full replay of the 1M desk waited on the server for most of
    /// its time). Any other statement lets it go first.
    private var readAhead: (offset: Int64, end: Int64)?
    private var clientIDs: [String] = []
    /// A statement failed within the writer's turn: PostgreSQL has aborted the transaction, and
    /// its COMMIT would only roll it back.
    private var aborted = false

    /// Connects and reads the head; `LogError.notFound` when the database holds no desk.
    init(url: String) throws {
        self.url = url
        path = StoreLocation.redacted(url)
        connection = try PGConnection(url: url, displayName: path)
        let head: PGResult
        do {
            head = try connection.execute("SELECT desk_id, format, current_user FROM helpdesk_head")
        } catch let error as PGError where error.sqlState == "42P01" {
            throw LogError.notFound(path: path)
        } catch let error as PGError {
            throw LogError.database(store: path, reason: error.message)
        }
        guard head.rows == 1, let id = head.text(0, 0) else { throw LogError.notFound(path: path) }
        deskID = id
        role = head.text(0, 2) ?? ""
    }

    /// Creates the desk's tables in an empty database, in one transaction; refuses a database
    /// that already holds a desk.
    static func create(url: String) throws -> PostgresStore {
        let name = StoreLocation.redacted(url)
        let connection = try PGConnection(url: url, displayName: name)
        do {
            try connection.execute("BEGIN")
            try PostgresSchema.install(on: connection, deskID: PostgresSchema.newDeskID())
            try connection.execute("COMMIT")
        } catch let error as PGError where error.sqlState == "42P07" || error.sqlState == "42723" {
            throw LogError.alreadyExists(path: name)
        } catch let error as PGError {
            throw LogError.database(store: name, reason: error.message)
        }
        return try PostgresStore(url: url)
    }

    /// The connection, opened again when the last one was lost (outside a writer's turn), with
    /// no read ahead in the way.
    private func ready() throws -> PGConnection {
        if readAhead != nil {
            readAhead = nil
            _ = try? connection.finish()
        }
        if !connection.isOpen, !inTransaction {
            connection = try PGConnection(url: url, displayName: path)
        }
        return connection
    }

    @discardableResult
    func run(_ sql: String, _ parameters: [PGValue?] = [], binaryResults: Bool = false) throws -> PGResult {
        do {
            do {
                return try ready().execute(sql, parameters, binaryResults: binaryResults)
            } catch LogError.unreachable where !inTransaction {
                // A server restarted since the last statement: one new connection, one more try.
                return try ready().execute(sql, parameters, binaryResults: binaryResults)
            }
        } catch let error as PGError {
            if inTransaction { aborted = true }
            throw LogError.database(store: path, reason: error.message)
        } catch {
            if inTransaction { aborted = true }
            throw error
        }
    }

    func size() throws -> Int64 {
        if let pendingSize { return pendingSize }
        guard let size = try run("SELECT size FROM helpdesk_head").int(0, 0) else {
            throw LogError.database(store: path, reason: "the desk's head row is missing")
        }
        return size
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        // A writer's own records not sent yet (the server has none of them: a read that runs
        // into them stops at the last row it has, and the next read starts here).
        let held = unsent.read(into: buffer, at: offset)
        if held > 0 { return held }
        let end = offset + Int64(buffer.count)
        var position = offset  // the next byte to fill
        try forEachRow(from: offset, to: end) { pos, length, partStart, part in
            // The row is its line and a newline at `pos`; `part` is the line's bytes from `partStart`.
            let lineEnd = pos + Int64(length)
            guard position < pos + Int64(length) + 1 else { return true }  // wholly before: next row
            guard partStart <= position, pos <= position else { return false }  // a gap: nothing after it is contiguous
            let from = Int(position - partStart)
            let count = Int(min(lineEnd, end) - position)
            guard count >= 0, from + count <= part.count else { return false }
            if count > 0 { memcpy(buffer.baseAddress! + Int(position - offset), part.baseAddress! + from, count) }
            position += Int64(count)
            if position == lineEnd, position < end {
                buffer[Int(position - offset)] = 10
                position += 1
            }
            return position < end
        }
        return Int(position - offset)
    }

    /// Reads of at most this many bytes (a snapshot's fingerprint, a message) have the server
    /// cut each line to what they need: a line of megabytes (one record escalating thousands of
    /// tickets) is not sent whole for the 4 KiB at its end.
    static let cutReadLimit = 64 << 10

    /// Visits the rows holding the bytes in [offset, end), in order: each row's offset, its
    /// line's length and the line's bytes from `partStart` (all of them, or for a short read
    /// only those within the range). The visitor returns whether to go on.
    private func forEachRow(from offset: Int64, to end: Int64,
                            _ visit: (Int64, Int, Int64, UnsafeBufferPointer<UInt8>) -> Bool) throws {
        // The row holding `offset`, and every row after it that starts before the end.
        let rows = "FROM helpdesk_log WHERE pos >= coalesce((SELECT max(pos) FROM helpdesk_log WHERE pos <= $1), 0) "
            + "AND pos < $2 ORDER BY pos"
        if end - offset <= Int64(Self.cutReadLimit) {
            let result = try run("""
                SELECT pos, octet_length(line),
                    substring(convert_to(line, 'UTF8') FROM (greatest($1 - pos, 0) + 1)::int FOR ($2 - greatest(pos, $1))::int)
                \(rows)
                """, [.int(offset), .int(end)], binaryResults: true)
            for row in 0..<result.rows {
                let pos = Int64(bigEndian: result.bytes(row, 0).withUnsafeBytes { $0.loadUnaligned(as: Int64.self) })
                let length = Int(Int32(bigEndian: result.bytes(row, 1).withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }))
                guard visit(pos, length, max(pos, offset), result.bytes(row, 2)) else { return }
            }
        } else {
            let query = "SELECT pos, line \(rows)"
            let result = try takeReadAhead(from: offset, to: end) ?? run(query, [.int(offset), .int(end)])
            if !inTransaction, result.rows > 0 {
                let next = (offset: end, end: end + (end - offset))
                if (try? connection.start(query, [.int(next.offset), .int(next.end)])) != nil { readAhead = next }
            }
            for row in 0..<result.rows {
                guard let pos = result.int(row, 0) else { return }
                let line = result.bytes(row, 1)
                guard visit(pos, line.count, pos, line) else { return }
            }
        }
    }

    /// The read ahead's rows when they hold all of [offset, end): it was asked for at `offset`,
    /// and rows written after it ran (a scan started later may reach them) do not fall short.
    /// Otherwise nil, and it is let go.
    private func takeReadAhead(from offset: Int64, to end: Int64) -> PGResult? {
        guard let ahead = readAhead else { return nil }
        readAhead = nil
        guard let result = try? connection.finish(), ahead.offset == offset, result.rows > 0,
              let first = result.int(0, 0), first <= offset,
              let last = result.int(result.rows - 1, 0), last + Int64(result.bytes(result.rows - 1, 1).count) + 1 >= end
        else { return nil }
        return result
    }

    var undoesFailedTurns: Bool { true }

    func lock(timeout: TimeInterval) throws {
        precondition(!inTransaction, "the log's lock taken twice")
        let connection = try ready()
        do {
            try connection.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
            inTransaction = true
            try connection.execute("SELECT set_config('lock_timeout', $1, true)", [.text("\(max(1, Int(timeout * 1000)))ms")])
            let head = try connection.execute("SELECT size FROM helpdesk_head FOR UPDATE")
            guard let size = head.int(0, 0) else { throw PGError(sqlState: "", message: "the desk's head row is missing") }
            pendingSize = size
            pendingSeq = nil
            unsent.removeAll()
            clientIDs = []
            aborted = false
        } catch let error as PGError {
            unlock()
            if error.isLockTimeout { throw LogError.lockTimeout(path: path, seconds: timeout) }
            throw LogError.database(store: path, reason: error.message)
        } catch {
            unlock()
            throw error
        }
    }

    func append(_ bytes: [UInt8], record: Record, expectedEnd: Int64, sync: Bool) throws {
        precondition(inTransaction, "an append without the log's lock")
        guard pendingSize == expectedEnd else {
            throw LogError.damaged(path: path, offset: expectedEnd, reason: "the head says \(pendingSize ?? -1) bytes")
        }
        let clientID = UUID().uuidString.lowercased()
        unsent.add(seq: record.seq, pos: expectedEnd, at: Timestamp.format(record.at), actor: record.actor,
                   clientID: clientID, line: bytes)
        pendingSize = expectedEnd + Int64(bytes.count)
        pendingSeq = record.seq
        clientIDs.append(clientID)
        if unsent.isFull { try sendUnsent() }
    }

    /// The records appended and not sent yet, in one INSERT, within the writer's transaction.
    private func sendUnsent() throws {
        guard !unsent.isEmpty else { return }
        let insert = unsent.insert
        _ = try run(insert.sql, insert.parameters)
        unsent.removeAll()
    }

    func sync() throws {}

    func commit() throws {
        guard inTransaction else { return }
        guard !aborted else { throw LogError.database(store: path, reason: "a statement failed; nothing was written") }
        // The rest of the turn's records, and the head moved past them.
        if let pendingSeq, let pendingSize {
            try sendUnsent()
            _ = try run("UPDATE helpdesk_head SET seq = $1, size = $2", [.int(pendingSeq), .int(pendingSize)])
        }
        defer { inTransaction = false; pendingSize = nil; pendingSeq = nil }
        if FaultInjection.losesCommitAnswer {
            _ = connection.send("COMMIT")
            connection.close()
        } else {
            do {
                try connection.execute("COMMIT")
                return
            } catch let error as PGError {
                throw LogError.database(store: path, reason: error.message)
            } catch {
                guard !connection.isOpen else { throw error }
            }
        }
        // The answer was lost with the connection: the last record's id says whether it committed.
        guard let last = clientIDs.last else { return }
        inTransaction = false
        let found = try run("SELECT 1 FROM helpdesk_log WHERE client_id = $1", [.text(last)])
        guard found.rows == 1 else {
            throw LogError.unreachable(store: path, reason: "the connection was lost before the record was committed")
        }
    }

    func unlock() {
        unsent.removeAll()
        pendingSeq = nil
        guard inTransaction else { return }
        inTransaction = false
        pendingSize = nil
        if connection.isOpen { _ = try? connection.execute("ROLLBACK") }
    }

    /// Runs `body` in a transaction of its own, begun by `begin`, outside any writer's turn:
    /// committed when it returns, rolled back when it throws. A connection lost meanwhile fails
    /// it (`run` starts no new connection within it, which would go on without the transaction).
    func transaction<T>(_ begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        precondition(!inTransaction, "a transaction within a writer's turn")
        try run(begin)
        inTransaction = true
        defer {
            inTransaction = false
            aborted = false
        }
        do {
            let value = try body()
            try run("COMMIT")
            return value
        } catch {
            if connection.isOpen { _ = try? connection.execute("ROLLBACK") }
            throw error
        }
    }

    func truncate(to size: Int64) throws {
        throw LogError.database(store: path, reason: "a record cannot be cut off a database")
    }

    func ownerUID() throws -> uid_t? { nil }
}

/// Faults a test asks for through the environment, to see the store survive them.
enum FaultInjection {
    /// Send COMMIT and drop the connection before its answer comes.
    static var losesCommitAnswer: Bool { ProcessInfo.processInfo.environment["HELPDESK_FAULT_LOSE_COMMIT_ANSWER"] == "1" }
}
