import Foundation
import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// A snapshot this process holds the writer's lock for (`desk.log.snapshot.lock`, never the
/// log's), with everything it needs read from the log already: writing it touches only the
/// snapshot's folder, so it may be done after the command has answered, in a child process
/// forked for it (which must not use the parent's database connection). The lock lasts while any
/// process holds its descriptor: a forked child keeps it after the parent lets go of its own.
public final class PreparedSnapshot {
    let desk: Desk
    let breaches: BreachSchedule?
    let offset: Int64
    let fingerprint: (head: UInt32, tail: UInt32)
    /// Where it goes.
    public let path: String
    /// The lock's descriptor, held (flock) until released.
    public let lockFD: Int32
    /// When the last record it covers was written, to keep it as a checkpoint (nil: not kept).
    let checkpointAt: Date?
    /// The database whose users share their newest snapshot (see `SharedSnapshot`), for a
    /// database desk.
    var sharedIn: String?
    private var released = false

    init(desk: Desk, breaches: BreachSchedule?, offset: Int64, fingerprint: (head: UInt32, tail: UInt32), path: String,
         lockFD: Int32, checkpointAt: Date?) {
        self.desk = desk
        self.breaches = breaches
        self.offset = offset
        self.fingerprint = fingerprint
        self.path = path
        self.lockFD = lockFD
        self.checkpointAt = checkpointAt
    }

    deinit { release() }

    /// Writes the snapshot (a temporary file created O_EXCL|O_NOFOLLOW, synced, renamed over the
    /// old one) and keeps it as a checkpoint when one is due.
    public func write() throws {
        try SnapshotFile.write(desk, breaches: breaches, offset: offset, fingerprint: fingerprint, to: path)
        if let checkpointAt { Checkpoints.keep(snapshotPath: path, seq: desk.lastSeq, at: checkpointAt) }
    }

    /// Offers the snapshot, once written, to the database desk's other users (see
    /// `SharedSnapshot`) on a connection of its own; returns whether it replaced the shared one.
    /// Sending one (about an eighth of the log's size) takes a while, so it is for a process that has
    /// answered already (a forked child), never for one a user waits on.
    @discardableResult
    public func share() throws -> Bool {
        guard let sharedIn else { return false }
        return try PostgresStore(url: sharedIn).offerSharedSnapshot(from: path)
    }

    /// Closes this process's descriptor of the lock. Not an unlock: a forked child that shares
    /// the lock keeps holding it until it exits.
    public func release() {
        guard !released else { return }
        released = true
        close(lockFD)
    }
}
