import CLibPQ
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One libpq connection, synchronous: statements with bound parameters (never text pasted into
/// SQL), one per call (the extended protocol refuses several), and LISTEN's notifications read
/// from its socket when a poll() loop says it is readable.
final class PGConnection {
    /// The store as people may see it (the password, if the URL had one, left out).
    let displayName: String
    /// libpq's connection (nil once closed), for extensions with more of its calls (COPY).
    private(set) var handle: OpaquePointer?

    /// Connects to `url` (a libpq URI or key=value string; credentials from it, ~/.pgpass or
    /// PGPASSWORD). A writer that waits for another's lock gives up after `lockTimeout`; a
    /// connection left inside a transaction is ended by the server after a minute.
    init(url: String, displayName: String, lockTimeout: TimeInterval? = nil) throws {
        self.displayName = displayName
        var options = "-c idle_in_transaction_session_timeout=60000 -c client_min_messages=warning"
        if let lockTimeout { options += " -c lock_timeout=\(max(1, Int(lockTimeout * 1000)))" }
        // The lines' bytes are UTF-8 whatever PGCLIENTENCODING says.
        let keys = ["dbname", "options", "application_name", "connect_timeout", "client_encoding"]
        let values = [url, options, "helpdesk", "10", "UTF8"]
        handle = withCStrings(keys) { keyPointers in
            withCStrings(values) { valuePointers in
                PQconnectdbParams(keyPointers, valuePointers, 1)  // 1: dbname may be a whole URI
            }
        }
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            let reason = handle.map { Self.message(PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(handle)
            self.handle = nil
            throw LogError.unreachable(store: displayName, reason: reason)
        }
        // libpq prints the server's notices (a connection terminated by a restart, say) to
        // stderr as they are; what matters comes back from the calls, in our words.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// The socket to poll for input (notifications, or the server closing it); -1 when closed.
    var socket: Int32 { handle.map { PQsocket($0) } ?? -1 }

    var isOpen: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// Runs one statement with `parameters` bound as text (nil: NULL) or, for `.bytes`, binary.
    /// Results come as text unless `binaryResults`.
    @discardableResult
    func execute(_ sql: String, _ parameters: [PGValue?] = [], binaryResults: Bool = false) throws -> PGResult {
        try start(sql, parameters, binaryResults: binaryResults)
        return try finish()
    }

    /// Sends one statement (as `execute` does) and returns at once; `finish()` takes its result.
    /// Nothing else may be sent on the connection in between.
    func start(_ sql: String, _ parameters: [PGValue?] = [], binaryResults: Bool = false) throws {
        guard let handle else { throw LogError.unreachable(store: displayName, reason: "the connection is closed") }
        let buffers: [[UInt8]?] = parameters.map { value in
            switch value {
            case nil: return nil
            case .text(let text)?: return Array(text.utf8) + [0]
            case .bytes(let bytes)?: return bytes
            }
        }
        let lengths = buffers.map { Int32($0?.count ?? 0) }
        let formats: [Int32] = parameters.map { if case .bytes? = $0 { 1 } else { 0 } }
        let sent = withBuffers(buffers) { pointers in
            PQsendQueryParams(handle, sql, Int32(parameters.count), nil, pointers, lengths, formats, binaryResults ? 1 : 0)
        }
        guard sent == 1 else { throw failure() }
    }

    /// Waits for the result of the statement `start` sent.
    func finish() throws -> PGResult {
        guard let handle else { throw LogError.unreachable(store: displayName, reason: "the connection is closed") }
        // The last of its results counts (as PQexec's does); the others are freed. A COPY's
        // result would come back for as long as the COPY is open: that is `copyIn`'s to run.
        var last: OpaquePointer?
        while let next = PQgetResult(handle) {
            if let last { PQclear(last) }
            last = next
            if [PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH].contains(PQresultStatus(next)) { break }
        }
        guard let result = last else { throw failure() }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            return PGResult(result)
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let message = Self.message(PQresultErrorMessage(result))
            PQclear(result)
            if !isOpen { throw LogError.unreachable(store: displayName, reason: message) }
            throw PGError(sqlState: state ?? "", message: message)
        }
    }

    /// Sends a statement without waiting for its result (a COMMIT whose answer a test loses).
    func send(_ sql: String) -> Bool {
        guard let handle else { return false }
        return PQsendQuery(handle, sql) == 1
    }

    /// Closes the connection at once (the server sees the client go).
    func close() {
        PQfinish(handle)
        handle = nil
    }

    /// Reads what the server sent (call when the socket is readable) and returns the channels
    /// notified since the last call. Throws when the connection is gone.
    func notifications() throws -> [String] {
        guard let handle, PQconsumeInput(handle) == 1 else { throw failure() }
        var channels: [String] = []
        while let notice = PQnotifies(handle) {
            channels.append(String(cString: notice.pointee.relname))
            PQfreemem(notice)
        }
        return channels
    }

    private func failure() -> LogError {
        .unreachable(store: displayName, reason: handle.map { Self.message(PQerrorMessage($0)) } ?? "the connection is closed")
    }

    /// libpq's words on one line (it ends them with newlines and puts DETAIL on lines of its own).
    private static func message(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "unknown error" }
        return String(cString: text).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "; ")
    }
}

/// A parameter's value: text (sent as text) or bytes (sent binary, for bytea).
enum PGValue {
    case text(String)
    case bytes([UInt8])

    static func int(_ value: some BinaryInteger) -> PGValue { .text(String(value)) }
}

/// An error the server reported for a statement; `sqlState` tells what (40001, 55P03, 23505…).
struct PGError: Error, CustomStringConvertible {
    var sqlState: String
    var message: String
    var description: String { message }

    var isLockTimeout: Bool { sqlState == "55P03" }
    var isUniqueViolation: Bool { sqlState == "23505" }
}

/// A statement's rows, freed when released.
final class PGResult {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) { self.result = result }
    deinit { PQclear(result) }

    var rows: Int { Int(PQntuples(result)) }
    var columns: Int { Int(PQnfields(result)) }

    func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(result, Int32(row), Int32(column)) == 1 }

    /// The value's bytes as the server sent them (text form, or binary with `binaryResults`).
    func bytes(_ row: Int, _ column: Int) -> UnsafeBufferPointer<UInt8> {
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        let start = PQgetvalue(result, Int32(row), Int32(column)).map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) }
        return UnsafeBufferPointer(start: start, count: length)
    }

    func text(_ row: Int, _ column: Int) -> String? {
        isNull(row, column) ? nil : String(decoding: bytes(row, column), as: UTF8.self)
    }

    func int(_ row: Int, _ column: Int) -> Int64? { text(row, column).flatMap { Int64($0) } }
}

private func withCStrings<T>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) } + [nil])
}

private func withBuffers<T>(_ buffers: [[UInt8]?], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
    let copies: [UnsafeMutablePointer<CChar>?] = buffers.map { buffer in
        guard let buffer else { return nil }
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: max(buffer.count, 1))
        buffer.withUnsafeBytes { bytes in if let base = bytes.baseAddress { memcpy(copy, base, bytes.count) } }
        return copy
    }
    defer { copies.forEach { $0?.deallocate() } }
    return body(copies.map { UnsafePointer($0) })
}
