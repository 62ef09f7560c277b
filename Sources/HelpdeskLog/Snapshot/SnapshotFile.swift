import Foundation
import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// `desk.log.snapshot`: the desk as the log's first `offset` bytes build it, so that opening
/// the desk replays only the records after them. A header says what it covers and how to tell
/// it still fits the log; anything that does not fit makes `load` return nil (a full replay).
///
/// Header (64 bytes, little-endian): magic, version, schema checksum, the log offset and last
/// seq covered, CRC-32s of the log's first and of its last 4 KiB before the offset (a log
/// replaced or cut underneath no longer matches), the payload's length and XXH64, and the
/// header's own CRC-32. The hash covers the payload's checked part: everything but the ticket
/// and customer records, which carry hashes of their own (see `SnapshotLayout`).
enum SnapshotFile {
    static let magic = Array("HDSNAPSH".utf8)
    /// The layout's own version: bump it when the payload's sections (`SnapshotLayout`,
    /// `SnapshotCodec`) or a field kind's binary form change; events are covered by `schema`.
    // 3: the SLA policy; 4: the breach schedule; 5: ticket details apart; 6: their history counts;
    // 7: records read one at a time, and the indexes beside them; 8: a ticket's header and
    // history in frames of their own, and the active tickets' facts; 9: the acting roles; 10: the macros;
    // 11: the saved views; 12: a history entry's via; 13: the blocked senders and the survey state;
    // 14: merges and links of tickets, withdrawn messages; 15: groups, routing rules, availability, each ticket's group;
    // 16: a saved view's full-text search; 17: each ticket's keys for listing
    static let version: UInt32 = 17
    static let headerSize = 64
    static let window: Int64 = 4096

    struct Header: Equatable {
        var schema: UInt32
        var offset: Int64
        var lastSeq: Int
        var logHead: UInt32
        var logTail: UInt32
        var payloadLength: Int
        var payloadHash: UInt64
    }

    static func path(forLog log: String) -> String { log + ".snapshot" }

    /// The rest of the snapshot's version, derived from what it stores: the log format, the
    /// enumerations it numbers, and every event type's declaration (name, fields, their kinds and
    /// whether they may be absent, and the types' order, which numbers them). Any change to a
    /// stored shape changes it, and older snapshots are then ignored (a full replay).
    static let schema: UInt32 = schema(events: EventType.schemaText)

    static func schema(events: String) -> UInt32 {
        CRC32.checksum(Array("\(Rules.logFormat);\(SnapshotCases.schema);\(events)".utf8))
    }

    /// CRC-32s of the log's first bytes and of the bytes just before `offset`.
    static func fingerprint(of log: any LogStore, upTo offset: Int64) throws -> (head: UInt32, tail: UInt32) {
        let head = try log.read(count: Int(min(offset, window)), at: 0)
        let tailStart = max(0, offset - window)
        let tail = try log.read(count: Int(offset - tailStart), at: tailStart)
        guard Int64(head.count) == min(offset, window), Int64(tail.count) == offset - tailStart else {
            throw LogError.truncated(path: log.path, size: try log.size(), expected: offset)
        }
        return (CRC32.checksum(head), CRC32.checksum(tail))
    }

    static func encode(_ header: Header) -> [UInt8] {
        var bytes = magic
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        append(version); append(header.schema)
        append(UInt64(header.offset)); append(UInt64(header.lastSeq))
        append(header.logHead); append(header.logTail)
        append(UInt64(header.payloadLength)); append(header.payloadHash)
        append(CRC32.checksum(bytes))
        append(UInt32(0))
        return bytes
    }

    static func decodeHeader(_ bytes: UnsafeRawBufferPointer) -> Header? {
        guard bytes.count >= headerSize, bytes.prefix(8).elementsEqual(magic) else { return nil }
        func value<T: FixedWidthInteger>(_ at: Int, _: T.Type) -> T { T(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: T.self)) }
        let checked = UnsafeBufferPointer(start: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: 56)
        guard value(8, UInt32.self) == version, value(56, UInt32.self) == CRC32.checksum(checked),
              value(16, UInt64.self) <= UInt64(Int64.max), value(24, UInt64.self) <= UInt64(Int.max),
              value(40, UInt64.self) <= UInt64(Int.max) else { return nil }
        return Header(schema: value(12, UInt32.self), offset: Int64(value(16, UInt64.self)),
                      lastSeq: Int(value(24, UInt64.self)), logHead: value(32, UInt32.self),
                      logTail: value(36, UInt32.self), payloadLength: Int(value(40, UInt64.self)),
                      payloadHash: value(48, UInt64.self))
    }

    /// Writes the snapshot of `desk`, which the log's first `offset` bytes build: to a temporary
    /// file, synced, renamed over the old one, and the directory synced, so a crash leaves the
    /// old snapshot or the new one, never half of one.
    static func write(_ desk: Desk, breaches: BreachSchedule?, offset: Int64, log: any LogStore, to path: String) throws {
        try write(desk, breaches: breaches, offset: offset, fingerprint: try fingerprint(of: log, upTo: offset), to: path)
    }

    /// `write` with the log's fingerprint read beforehand: touches nothing but the snapshot's folder.
    static func write(_ desk: Desk, breaches: BreachSchedule?, offset: Int64, fingerprint: (head: UInt32, tail: UInt32),
                      to path: String) throws {
        let payload = SnapshotCodec.encode(desk, breaches: breaches)
        let checked = payload.withUnsafeBufferPointer { SnapshotLayout($0)!.checkedLength }
        let header = Header(schema: schema, offset: offset, lastSeq: desk.lastSeq, logHead: fingerprint.head,
                            logTail: fingerprint.tail, payloadLength: payload.count,
                            payloadHash: payload.withUnsafeBufferPointer { XXHash64.hash(UnsafeBufferPointer(rebasing: $0[..<checked])) })
        let folder = try DeskFolder.containing(path)
        _ = try folder.writeWhole(DeskFolder.name(of: path), mode: 0o660, sync: true) { output in
            try output.write(encode(header))
            try output.write(payload)
            return true
        }
        try folder.sync()
    }

    /// The header of the snapshot at `path`, if it has a readable one.
    static func header(at path: String) -> Header? {
        guard let file = try? LogFile.open(path, writable: false),
              let bytes = try? file.read(count: headerSize, at: 0) else { return nil }
        return bytes.withUnsafeBytes(decodeHeader)
    }

    /// Where in `log` the snapshot at `path` ends, when its header says it was taken of `log`'s
    /// bytes (its fingerprint, a record's end there): a place to read records from, its desk unread.
    static func offsetFitting(_ path: String, log: any LogStore) -> Int64? {
        guard let header = header(at: path), fits(header, log) else { return nil }
        return header.offset
    }

    /// Whether a snapshot with `header` is of this format and was taken of `log`'s bytes as they
    /// still are, up to a record's end.
    static func fits(_ header: Header, _ log: any LogStore) -> Bool {
        guard header.schema == schema, header.offset > 0, let logSize = try? log.size(), logSize >= header.offset,
              let fingerprint = try? fingerprint(of: log, upTo: header.offset) else { return false }
        return fingerprint.head == header.logHead && fingerprint.tail == header.logTail
            && (try? log.read(count: 1, at: header.offset - 1)) == [10]
    }

    /// The desk, its breach schedule and the log offset it covers, or nil when there is no
    /// snapshot that fits `log` exactly: missing, another version, damaged, or taken of bytes the
    /// log no longer has. Records are checked as they are read, all of them now with
    /// `holdEveryTicket` (see `SnapshotCodec.decode`).
    /// `notice` is told when a record read later is found damaged (see `SnapshotDamage`).
    static func load(from path: String, for log: any LogStore, holdEveryTicket: Bool = false,
                     notice: @escaping (String) -> Void = { _ in })
        -> (desk: Desk, breaches: BreachSchedule?, offset: Int64)? {
        guard let file = try? LogFile.open(path, writable: false), let size = try? file.size(),
              size >= Int64(headerSize) else { return nil }
        guard let mapping = MappedFile(fd: file.fd, size: Int(size)) else { return nil }
        guard let header = decodeHeader(UnsafeRawBufferPointer(mapping.bytes)),
              Int64(header.payloadLength) == size - Int64(headerSize), fits(header, log) else { return nil }
        let payload = UnsafeBufferPointer(rebasing: mapping.bytes[headerSize...])
        guard let layout = SnapshotLayout(payload),
              XXHash64.hash(UnsafeBufferPointer(rebasing: payload[..<layout.checkedLength])) == header.payloadHash,
              let saved = try? SnapshotCodec.decode(payload, owner: mapping,
                                                    damage: SnapshotDamage(snapshotPath: path, log: log, offset: header.offset,
                                                                           notice: notice),
                                                    holdEveryTicket: holdEveryTicket),
              saved.desk.lastSeq == header.lastSeq
        else { return nil }
        return (saved.desk, saved.breaches, header.offset)
    }
}

/// A read-only memory mapping of a whole file, unmapped when released.
final class MappedFile {
    let bytes: UnsafeBufferPointer<UInt8>

    init?(fd: Int32, size: Int) {
        guard size > 0, let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            return nil
        }
        bytes = UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: size)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count) }
}
