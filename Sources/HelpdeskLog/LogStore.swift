import Foundation
import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// Where the log's records are kept, as the rest of the log module sees it: a file of lines, each
/// a record, read at byte offsets. The file store is the file itself; the PostgreSQL store keeps
/// one row per record with the offset its line would have in the file, so offsets, message
/// references and snapshot fingerprints mean the same in both, and `events`, `export` and
/// `fsck` read the same bytes from either.
protocol LogStore: AnyObject {
    /// How messages name the store: a file's path, or a database URL without its password.
    var path: String { get }
    /// The bytes of the records written so far (what a writer has not yet committed included,
    /// for that writer).
    func size() throws -> Int64
    /// Reads up to `buffer.count` bytes at `offset`; returns how many were read.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int
    /// Whether a writer's turn that fails is undone whole (a database transaction), so the desk
    /// read under it must forget its records too, and a turn cut short by a lost connection can
    /// be tried again.
    var undoesFailedTurns: Bool { get }
    /// The one writer at a time: waits up to `timeout` for the others.
    func lock(timeout: TimeInterval) throws
    /// Appends one record's line (newline included), which must start at `expectedEnd`.
    func append(_ bytes: [UInt8], record: Record, expectedEnd: Int64, sync: Bool) throws
    /// Makes what was appended durable.
    func sync() throws
    /// Ends the writer's turn, its appends durable and visible to every reader. Throws when that
    /// cannot be known (the connection dropped before the answer came and the record is not
    /// found afterwards): then nothing was written.
    func commit() throws
    /// Ends the writer's turn, undoing what was appended and not committed where the store can.
    func unlock()
    /// Cuts an interrupted write's bytes off the end (a store that cannot have them never calls it).
    func truncate(to size: Int64) throws
    /// The account that owns the log, who may act as any agent (nil for a database).
    func ownerUID() throws -> uid_t?
    /// The texts of several messages, in the order given (one read each, or, where each read
    /// is a round trip to a server, a few reads for them all).
    func texts(of bodies: [MessageBody]) throws -> [String]
}

extension LogStore {
    /// The text of a message, read from the log when it is kept there.
    func text(of body: MessageBody) throws -> String {
        switch body {
        case .text(let text): return text
        case .logged(let offset, let length, let index):
            return try Self.messageText(in: read(count: length, at: offset), offset: offset, length: length, event: index,
                                        path: path)
        }
    }

    /// The texts of several messages, in order: one read each (a file's reads are cheap).
    func texts(of bodies: [MessageBody]) throws -> [String] {
        try bodies.map(text(of:))
    }

    /// The message text in the `event`-th event of a record's line (`bytes`, newline included,
    /// read at `offset`), checked as a replay checks the record.
    static func messageText(in bytes: [UInt8], offset: Int64, length: Int, event index: Int, path: String) throws -> String {
        guard bytes.count == length, bytes.last == 10 else {
            throw LogError.damaged(path: path, offset: offset, reason: "a message's record is missing")
        }
        let line = Array(bytes.dropLast())
        let intact = line.withUnsafeBufferPointer(RecordCodec.isIntact)
        guard intact, let record = try? RecordCodec.decode(line, bodies: .inline),
              record.events.indices.contains(index),
              case .messageAdded(_, _, .text(let text)) = record.events[index] else {
            throw LogError.damaged(path: path, offset: offset, reason: "a message's record does not hold it")
        }
        return text
    }

    func read(count: Int, at offset: Int64) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let n = try bytes.withUnsafeMutableBytes { buffer throws in try read(into: buffer, at: offset) }
        bytes.removeSubrange(n...)
        return bytes
    }
}
