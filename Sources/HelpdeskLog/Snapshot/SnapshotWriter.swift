import Foundation
import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// One snapshot writer at a time, and never one that waits: the first process to take the
/// snapshot's own lock (not the log's) writes it, the others carry on without.
enum SnapshotWriter {
    static func refresh(_ desk: Desk, breaches: BreachSchedule?, offset: Int64, log: any LogStore, to path: String) throws -> Bool {
        // Shared by the team: opened in the snapshot's folder, never through a symlink or a hard link.
        let fd = try DeskFolder.containing(path).openShared(DeskFolder.name(of: path) + ".lock")
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return false }
        defer { flock(fd, LOCK_UN) }
        if let existing = SnapshotFile.header(at: path), existing.lastSeq >= desk.lastSeq, existing.offset <= offset {
            return false
        }
        try SnapshotFile.write(desk, breaches: breaches, offset: offset, log: log, to: path)
        return true
    }
}
