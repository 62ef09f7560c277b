import Foundation
import HelpdeskCore

/// The desk as one process sees it: the log file and the state of every record read from it.
///
/// Reading never takes the lock: intact records are applied, an incomplete tail is left for
/// later. Appending takes the lock, catches up, lets the caller decide against that fresh
/// state, writes one record with one write(), syncs it, and reads it back like any other.
public final class DeskLog {
    public let path: String
    public let writable: Bool
    public private(set) var desk = Desk()
    /// Offset just past the last record applied.
    public private(set) var readOffset: Int64 = 0
    /// Called with each record as it is applied, for followers that print or redraw.
    public var onRecord: ((Record) -> Void)?
    /// Told about repairs made on the way (a torn tail cut off), in words for people.
    public var onNotice: ((String) -> Void)?
    /// How long an append waits for another process's lock before giving up.
    public var lockTimeout: TimeInterval = 10

    let file: LogFile

    private init(file: LogFile, writable: Bool) {
        self.path = file.path
        self.file = file
        self.writable = writable
    }

    /// Opens an existing log and replays it, telling `onRecord` of each record applied,
    /// during the replay and every catch-up after it.
    public convenience init(path: String, writable: Bool, onRecord: ((Record) -> Void)? = nil) throws {
        self.init(file: try LogFile.open(path, writable: writable), writable: writable)
        self.onRecord = onRecord
        try catchUp()
    }

    /// Creates a new log whose first record creates the desk, with `actor` as its supervisor.
    public static func create(path: String, actor: String, displayName: String?, now: Date = Date()) throws -> DeskLog {
        let log = DeskLog(file: try LogFile.create(path), writable: true)
        _ = try log.append(actor: actor, now: now) { desk, now throws(Refusal) in
            try Rules.decide(.createDesk(displayName: displayName), by: actor, at: now, on: desk)
        }
        return log
    }

    /// The account that owns the log file (who may act as any agent, since they can write it anyway).
    public func ownerUID() throws -> UInt32 { try file.ownerUID() }

    /// Applies every intact record written since the last call. Returns how many were applied.
    @discardableResult
    public func catchUp() throws -> Int {
        try catchUp(underLock: false)
    }

    private func catchUp(underLock: Bool) throws -> Int {
        var applied = 0
        let end = try LogScanner(file: file).scan(from: readOffset) { line, offset in
            let record: Record
            do {
                record = try RecordCodec.decode(line, bodies: .referenced(offset: offset))
            } catch {
                throw LogError.damaged(path: path, offset: offset, reason: "\(error)")
            }
            try apply(record, at: offset)
            readOffset = offset + Int64(line.count) + 1  // so a later call resumes after it, even if this one throws
            applied += 1
        }
        readOffset = end.validEnd
        // Only a writer holding the lock knows no one is still writing the tail: cut it off.
        if underLock, end.hasTail {
            try file.truncate(to: end.validEnd)
            onNotice?("cut off \(end.size - end.validEnd) bytes at the end of \(path) left by an interrupted write (\(end.tailReason ?? "incomplete"))")
        }
        return applied
    }

    private func apply(_ record: Record, at offset: Int64) throws {
        guard record.seq == desk.lastSeq + 1 else {
            throw LogError.damaged(path: path, offset: offset,
                                   reason: "record \(record.seq) follows record \(desk.lastSeq)")
        }
        do {
            for event in record.events { try desk.apply(event, context: record.context) }
        } catch {
            throw LogError.damaged(path: path, offset: offset, reason: "\(error)")
        }
        desk.recordApplied(seq: record.seq)
        onRecord?(record)
    }

    /// What an append did.
    public struct Appended: Sendable {
        /// The new record, or nil when the decision was that nothing needs to change.
        public var record: Record?
        /// The desk right after the record was applied.
        public var desk: Desk
    }

    /// Under the lock: catches up, asks `decide` for events against that fresh state, and
    /// writes them as one durable record. Returns once the record is on disk and applied.
    public func append(actor: String, via: String? = nil, now clock: @autoclosure () -> Date = Date(),
                       _ decide: (Desk, Date) throws(Refusal) -> [Event]) throws -> Appended {
        precondition(writable, "append on a read-only log")
        try file.lock(timeout: lockTimeout)
        defer { file.unlock() }
        _ = try catchUp(underLock: true)
        let now = Timestamp.truncated(clock())
        let events = try decide(desk, now)
        guard !events.isEmpty else { return Appended(record: nil, desk: desk) }
        let record = Record(seq: desk.lastSeq + 1, at: now, actor: actor, via: via, events: events)
        try file.append(RecordCodec.encode(record), expectedEnd: readOffset)
        _ = try catchUp(underLock: true)
        return Appended(record: record, desk: desk)
    }

    /// The text of a message, read from the log when it is kept there.
    public func text(of body: MessageBody) throws -> String {
        switch body {
        case .text(let text): return text
        case .logged(let offset, let length, let index):
            let bytes = try file.read(count: length, at: offset)
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
    }
}
