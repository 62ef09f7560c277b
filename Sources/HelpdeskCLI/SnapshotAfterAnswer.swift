import Foundation
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// A read command that replayed much of the log (no snapshot it could use, or an old one) leaves
/// a new snapshot for the next command, written after it has answered: its output is flushed and
/// its exit status decided first, then a child forked with the desk already in memory writes the
/// snapshot while the command exits. The child holds the snapshot's lock (never the log's) until
/// it is done, and a command started meanwhile waits for it and opens from the new snapshot (see
/// `DeskLog.snapshotWriterWait`), so one command pays the full replay.
///
/// Held process-wide: the desk is opened deep inside a subcommand, and only `HelpdeskCommand.run`
/// knows when the answer is out and the process is about to end.
final class SnapshotAfterAnswer: @unchecked Sendable {
    static let process = SnapshotAfterAnswer()

    /// A test's FIFO the child reads one byte (or the end) from before it writes, so that a test
    /// can see the command answer and exit while the snapshot is still being written.
    static let testGateVariable = "HELPDESK_TEST_SNAPSHOT_GATE"

    private let lock = NSLock()
    private var log: DeskLog?

    /// `log` is the desk this command answers from: its snapshot is refreshed, if due, at the end.
    func note(_ log: DeskLog) {
        lock.withLock { self.log = log }
    }

    /// Called once the answer is written, just before the process exits.
    func finish() {
        fflush(nil)  // every output stream
        guard let log = lock.withLock({ () -> DeskLog? in defer { self.log = nil }; return self.log }),
              let prepared = log.prepareSnapshotIfDue(now: SystemClock.now()) else { return }
        defer { prepared.release() }
        let gate = ProcessInfo.processInfo.environment[Self.testGateVariable]
        // fork copies only the calling thread: with another running (holding a lock in malloc or
        // the Swift runtime), the child could deadlock, so then the snapshot is written here.
        if ProcessThreads.waitUntilAlone(timeout: .milliseconds(200)) {
            // Ignored from before the fork: the command may lead the terminal's session, and its
            // exit hangs up the terminal's foreground group, which the child is in until setsid.
            let hangUp = signal(SIGHUP, SIG_IGN)
            let interrupt = signal(SIGINT, SIG_IGN)
            let pid = fork()
            if pid == 0 { Self.writeInChild(prepared, gate: gate) }
            signal(SIGHUP, hangUp)
            signal(SIGINT, interrupt)
            if pid > 0 { return }
        }
        try? prepared.write()
    }

    /// In the forked child, the only thread: away from the terminal (its own session, so a ^C or
    /// hang-up for the command's process group does not stop it midway) and from the command's
    /// output (so whoever reads it through a pipe sees its end when the command exits), with no
    /// descriptor of the parent's but the snapshot's lock (not the database connection's
    /// socket: it is the parent's to close); ends by `_exit`, running none of the parent's
    /// clean-ups. A failed write leaves no temporary file (see `SnapshotFile.write`).
    private static func writeInChild(_ prepared: PreparedSnapshot, gate: String?) -> Never {
        _ = setsid()
        let null = open("/dev/null", O_RDWR)
        if null >= 0 {
            for fd in Int32(0)...2 { _ = dup2(null, fd) }
        }
        closeDescriptors(keeping: [0, 1, 2, prepared.lockFD])
        if let gate {
            let fd = open(gate, O_RDONLY | O_NOFOLLOW)
            var byte: UInt8 = 0
            if fd >= 0 {
                _ = read(fd, &byte, 1)
                close(fd)
            }
        }
        if (try? prepared.write()) != nil { _ = try? prepared.share() }
        _exit(0)
    }

    private static func closeDescriptors(keeping kept: Set<Int32>) {
        guard let directory = opendir("/proc/self/fd") else { return }
        var open: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if let fd = Int32(name) { open.append(fd) }
        }
        let own = dirfd(directory)
        closedir(directory)
        for fd in open where !kept.contains(fd) && fd != own { close(fd) }
    }
}

/// The threads of this process, as Linux lists them.
enum ProcessThreads {
    static func count() -> Int? {
        guard let directory = opendir("/proc/self/task") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            if entry.pointee.d_name.0 != UInt8(ascii: ".") { count += 1 }
        }
        return count
    }

    /// Whether this is the process's only thread, waiting up to `timeout` for others to end (a
    /// replay's reading thread, already joined, may take a moment to exit).
    static func waitUntilAlone(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            guard let count = count() else { return false }
            if count == 1 { return true }
            guard ContinuousClock.now < deadline else { return false }
            usleep(1_000)
        }
    }
}
