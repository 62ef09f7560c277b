import Foundation
import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// One snapshot writer at a time, and never one that waits: the first process to take the
/// snapshot's own lock (not the log's) writes it, the others carry on without. A process that
/// opens the desk and finds no snapshot it can use waits a while for a writer holding that lock
/// (see `waitForWriter`), so that a command started while one is written opens from it.
enum SnapshotWriter {
    /// The writer's lock and what the snapshot would cover, when this process may write one:
    /// nil when another holds the lock or a snapshot as new is already there.
    static func prepare(_ desk: Desk, breaches: @autoclosure () -> BreachSchedule?, offset: Int64, log: any LogStore,
                        to path: String, checkpointAt: Date?) throws -> PreparedSnapshot? {
        // Shared by the team: opened in the snapshot's folder, never through a symlink or a hard link.
        let fd = try DeskFolder.containing(path).openShared(lockName(of: path))
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        do {
            if let existing = SnapshotFile.header(at: path), existing.lastSeq >= desk.lastSeq, existing.offset <= offset {
                close(fd)
                return nil
            }
            // The only part that reads the log (a database's over its connection): done here, so
            // that writing needs nothing but the snapshot's folder.
            let fingerprint = try SnapshotFile.fingerprint(of: log, upTo: offset)
            return PreparedSnapshot(desk: desk, breaches: breaches(), offset: offset, fingerprint: fingerprint,
                                    path: path, lockFD: fd, checkpointAt: checkpointAt)
        } catch {
            close(fd)
            throw error
        }
    }

    static func lockName(of path: String) -> String { DeskFolder.name(of: path) + ".lock" }

    /// When a writer holds the snapshot's lock, waits up to `timeout` for it to let go; returns
    /// whether one was waited for (its snapshot is then worth loading). Opens the lock only if it
    /// exists, never through a symlink: a reader creates nothing.
    static func waitForWriter(of path: String, timeout: TimeInterval) -> Bool {
        guard timeout > 0, let folder = try? DeskFolder.containing(path),
              let fd = try? folder.openFile(lockName(of: path), flags: O_RDONLY) else {
            return false
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        // flock has no timeout: polled, every few milliseconds, until the deadline.
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        while ContinuousClock.now < deadline {
            usleep(2_000)
            if flock(fd, LOCK_SH | LOCK_NB) == 0 {
                flock(fd, LOCK_UN)
                return true
            }
        }
        return false
    }
}
