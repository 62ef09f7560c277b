import Foundation
import HelpdeskCore

/// What a file derived from the log (like the search index) needs to know it still fits the
/// log: the same fingerprint the snapshot keeps (CRC-32s of the log's first 4 KiB and of the
/// 4 KiB before the offset it covers), so a log replaced or cut underneath it no longer matches.
public struct LogFingerprint: Equatable, Sendable {
    public var head: UInt32
    public var tail: UInt32

    public init(head: UInt32, tail: UInt32) { (self.head, self.tail) = (head, tail) }
}

/// The store opened without replaying it: how far it goes and its fingerprint, so a search can
/// tell its index is current before loading the desk at all.
public final class StoreProbe {
    let store: any LogStore
    /// Where this process keeps the search index of the desk (nil: nowhere it may).
    public let searchIndexPath: String?

    public init(location: StoreLocation) throws {
        let opened = try StoreOpening.open(location, writable: false)
        store = opened.store
        searchIndexPath = opened.snapshotPath.map(StoreProbe.searchIndexPath(snapshot:))
    }

    /// The bytes of the records written so far.
    public func size() throws -> Int64 { try store.size() }

    public func fingerprint(upTo offset: Int64) throws -> LogFingerprint {
        try StoreProbe.fingerprint(store, upTo: offset)
    }

    /// The text of a message, read from the log when it is kept there.
    public func text(of body: MessageBody) throws -> String { try store.text(of: body) }

    /// `desk.log.search` beside `desk.log.snapshot` (for a database, DESK-ID.search in the cache folder).
    static func searchIndexPath(snapshot: String) -> String {
        (snapshot.hasSuffix(".snapshot") ? String(snapshot.dropLast(".snapshot".count)) : snapshot) + ".search"
    }

    static func fingerprint(_ store: any LogStore, upTo offset: Int64) throws -> LogFingerprint {
        let (head, tail) = try SnapshotFile.fingerprint(of: store, upTo: offset)
        return LogFingerprint(head: head, tail: tail)
    }
}

extension DeskLog {
    /// Where this process keeps the search index of the desk: beside its snapshot.
    public var searchIndexPath: String? { snapshotPath.map(StoreProbe.searchIndexPath(snapshot:)) }

    public func fingerprint(upTo offset: Int64) throws -> LogFingerprint {
        try StoreProbe.fingerprint(file, upTo: offset)
    }

    /// The records from `offset` up to what this process has read (`readOffset`), their message
    /// bodies referenced rather than read.
    public func records(from offset: Int64, _ visit: (Record) throws -> Void) throws {
        guard offset < readOffset else { return }
        _ = try LogScanner(file: file).scan(from: offset) { line, at in
            guard at < readOffset else { return }
            let record: Record
            do {
                record = try RecordCodec.decode(line, bodies: .referenced(offset: at))
            } catch {
                throw LogError.unreadable(path: path, offset: at, error)
            }
            try visit(record)
        }
    }
}
