import CSQLite
import Foundation

/// Why the search index could not be used; `damaged` ones are rebuilt.
public struct SearchIndexError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    /// SQLite found the file is not a database, or a damaged one: rebuild it.
    public var damaged: Bool

    public var description: String { "search index \(path): \(reason)" }
}

/// One SQLite connection, opened never through a symlink (SQLITE_OPEN_NOFOLLOW; SQLite also
/// opens its journal with O_NOFOLLOW), with the few calls the index needs.
final class SQLiteDatabase {
    let path: String
    private var handle: OpaquePointer?

    /// `busyTimeout`: how long a statement waits for another connection's write (milliseconds).
    init(path: String, readOnly: Bool = false, create: Bool = false, busyTimeout: Int32 = 10_000) throws {
        self.path = path
        var flags = SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX | (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE)
        if create { flags |= SQLITE_OPEN_CREATE }
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK else {
            let error = failure(code, "open")
            sqlite3_close(handle)
            handle = nil
            throw error
        }
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeout)
    }

    deinit { sqlite3_close_v2(handle) }

    func execute(_ sql: String) throws {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw failure(code, sql) }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw failure(code, sql) }
        return SQLiteStatement(statement, database: self)
    }

    /// Runs `body` in one write transaction, taken at once (so two writers never both read the
    /// index's position and then both write): committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    func failure(_ code: Int32, _ what: String) -> SearchIndexError {
        let primary = code & 0xFF
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        let damaged = primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB || primary == SQLITE_FORMAT
            || (primary == SQLITE_ERROR && (message.contains("no such table") || message.contains("no such column")
                || message.contains("malformed")))
        let summary = what.count > 60 ? String(what.prefix(60)) + "…" : what
        return SearchIndexError(path: path, reason: "\(message) (\(summary))", damaged: damaged)
    }
}

/// A prepared statement: bind, step, read columns, reset.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private unowned let database: SQLiteDatabase

    init(_ statement: OpaquePointer, database: SQLiteDatabase) {
        self.statement = statement
        self.database = database
    }

    deinit { sqlite3_finalize(statement) }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ values: [SQLiteValue]) throws -> SQLiteStatement {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            let code: Int32 = switch value {
            case .null: sqlite3_bind_null(statement, position)
            case .integer(let number): sqlite3_bind_int64(statement, position, Int64(number))
            case .real(let number): sqlite3_bind_double(statement, position, number)
            case .text(let text): sqlite3_bind_text(statement, position, text, -1, SQLiteStatement.transient)
            }
            guard code == SQLITE_OK else { throw database.failure(code, "bind") }
        }
        return self
    }

    /// The next row: true while there is one.
    func step() throws -> Bool {
        let code = sqlite3_step(statement)
        if code == SQLITE_ROW { return true }
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else { throw database.failure(code, "step") }
        return false
    }

    /// Runs a statement that returns no rows.
    func run(_ values: [SQLiteValue] = []) throws {
        _ = try bind(values)
        while try step() {}
    }

    func integer(_ column: Int32) -> Int { Int(sqlite3_column_int64(statement, column)) }
    func real(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}

enum SQLiteValue {
    case null
    case integer(Int)
    case real(Double)
    case text(String)
}
