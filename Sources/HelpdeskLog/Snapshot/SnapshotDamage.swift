import Foundation
import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// What a desk read lazily from a snapshot does when a record it reads later fails its hash (a
/// bit flipped on disk after the snapshot was loaded): the snapshot is removed, so no other
/// process loads it, and the record comes instead from the desk the snapshot stood for, the
/// log's first `offset` bytes replayed once. The answer is still whole and right, and the
/// process goes on; the log, the only source of truth, was fingerprinted against the snapshot
/// when it was loaded.
final class SnapshotDamage: @unchecked Sendable {
    let snapshotPath: String
    private let log: any LogStore
    private let offset: Int64
    private let notice: (String) -> Void
    private let lock = NSLock()
    private var replayed: Desk?

    init(snapshotPath: String, log: any LogStore, offset: Int64, notice: @escaping (String) -> Void) {
        self.snapshotPath = snapshotPath
        self.log = log
        self.offset = offset
        self.notice = notice
    }

    /// The desk the snapshot stood for, replayed from the log the first time `what` is found
    /// damaged.
    func desk(replacing what: String) -> Desk {
        lock.withLock {
            if let replayed { return replayed }
            unlink(snapshotPath)
            notice("\(what) in the snapshot \(snapshotPath) is damaged; the snapshot was removed and the answer "
                   + "comes from the log, the only source of truth, which is intact")
            let desk: Desk
            do {
                desk = try replay()
            } catch {
                // The bytes the snapshot was checked against at load no longer replay: the log
                // itself changed under the process, which no command can answer from.
                fatalError("the log \(log.path) changed under the snapshot taken of it: \(error)")
            }
            replayed = desk
            return desk
        }
    }

    private struct ReachedTheSnapshot: Error {}

    private func replay() throws -> Desk {
        var desk = Desk()
        do {
            _ = try LogScanner(file: log).scan(from: 0) { line, at in
                guard at < offset else { throw ReachedTheSnapshot() }
                let record = try RecordCodec.decode(line, bodies: .referenced(offset: at))
                try desk.apply(record, at: at, of: log.path)
            }
        } catch is ReachedTheSnapshot {}
        return desk
    }
}
