import CLibPQ
import Foundation

extension PGConnection {
    /// Runs `COPY … FROM STDIN` (`sql`), sending what `produce` hands its writer as the data, in
    /// chunks. When `produce` throws, the COPY is
    /// cancelled (the server fails the statement, and with it the transaction) and the error is
    /// rethrown. Use CSV format for text that may hold backslashes: COPY's text format reads them
    /// as escapes.
    func copyIn(_ sql: String, _ produce: (CopyWriter) throws -> Void) throws {
        guard let handle else { throw LogError.unreachable(store: displayName, reason: "the connection is closed") }
        guard let started = PQexec(handle, sql) else { throw copyFailure(handle) }
        let status = PQresultStatus(started)
        PQclear(started)
        guard status == PGRES_COPY_IN else { throw copyFailure(handle) }
        let writer = CopyWriter(handle: handle, displayName: displayName)
        var produced: (any Error)?
        do {
            try produce(writer)
            try writer.flush()
        } catch {
            produced = error
        }
        // A failed send leaves the connection in COPY state; ending it with a reason fails the COPY.
        let ended = PQputCopyEnd(handle, produced == nil ? nil : "cancelled by the client")
        var serverError: (state: String, message: String)?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) != PGRES_COMMAND_OK, serverError == nil {
                serverError = (PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? "",
                               String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines))
            }
            PQclear(result)
        }
        if let produced { throw produced }
        guard ended == 1, PQstatus(handle) == CONNECTION_OK else { throw copyFailure(handle) }
        if let serverError { throw PGError(sqlState: serverError.state, message: serverError.message) }
    }

    private func copyFailure(_ handle: OpaquePointer) -> LogError {
        let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        return PQstatus(handle) == CONNECTION_OK ? .database(store: displayName, reason: message)
            : .unreachable(store: displayName, reason: message)
    }
}

/// Collects a COPY's data and sends it to the server a megabyte at a time.
final class CopyWriter {
    private let handle: OpaquePointer
    private let displayName: String
    private var buffer: [UInt8] = []
    private let chunk = 1 << 20

    fileprivate init(handle: OpaquePointer, displayName: String) {
        self.handle = handle
        self.displayName = displayName
        buffer.reserveCapacity(chunk + (64 << 10))
    }

    func append(_ byte: UInt8) { buffer.append(byte) }

    func append(_ bytes: some Sequence<UInt8>) { buffer.append(contentsOf: bytes) }

    /// A CSV field in double quotes, its quotes doubled: it may then hold commas, newlines and
    /// backslashes as they are.
    func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(UInt8(ascii: "\""))
        var start = 0
        for index in 0..<bytes.count where bytes[index] == UInt8(ascii: "\"") {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...index]))
            buffer.append(UInt8(ascii: "\""))
            start = index + 1
        }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        buffer.append(UInt8(ascii: "\""))
    }

    func appendQuoted(_ text: String) {
        var text = text
        text.withUTF8 { appendQuoted($0) }
    }

    /// Ends a row; sends the data once a chunk has gathered.
    func endRow() throws {
        buffer.append(10)
        if buffer.count >= chunk { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBytes { raw in
            PQputCopyData(handle, raw.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(raw.count))
        }
        guard sent == 1 else {
            throw LogError.unreachable(store: displayName,
                                       reason: String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
