import Foundation
import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// The log's file descriptor and the few system calls made on it, each turned into a `LogError`.
final class LogFile: LogStore {
    let path: String
    let fd: Int32

    init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    static func open(_ path: String, writable: Bool) throws -> LogFile {
        // Never through a symlink (one a group member planted would have us append to any file
        // we can write), never a pipe or a device.
        let flags = (writable ? O_RDWR | O_APPEND : O_RDONLY) | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC
        let fd = Glibc.open(path, flags)
        guard fd >= 0 else {
            if errno == ENOENT { throw LogError.notFound(path: path) }
            if errno == ELOOP { throw LogError.unsafe(path: path, reason: "is a symlink; name the file itself") }
            throw LogError.io(path: path, operation: "open", errno: errno)
        }
        let file = LogFile(path: path, fd: fd)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw file.failure("stat") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw LogError.unsafe(path: path, reason: "is not a regular file") }
        return file
    }

    /// Creates the file (mode 0660 whatever the umask, for a group-shared desk) and makes
    /// its directory entry durable.
    static func create(_ path: String) throws -> LogFile {
        let fd = Glibc.open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o660)
        guard fd >= 0 else {
            if errno == EEXIST { throw LogError.alreadyExists(path: path) }
            throw LogError.io(path: path, operation: "create", errno: errno)
        }
        let file = LogFile(path: path, fd: fd)
        guard fchmod(fd, 0o660) == 0 else { throw file.failure("chmod") }
        try syncDirectory(of: path)
        return file
    }

    static func syncDirectory(of path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = Glibc.open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw LogError.io(path: directory, operation: "open directory", errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw LogError.io(path: directory, operation: "fsync directory", errno: errno) }
    }

    func failure(_ operation: String) -> LogError {
        LogError.io(path: path, operation: operation, errno: errno)
    }

    func size() throws -> Int64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("stat") }
        return Int64(info.st_size)
    }

    func ownerUID() throws -> uid_t? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("stat") }
        return info.st_uid
    }

    /// Reads up to `count` bytes at `offset` into `buffer`; returns how many were read.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("read")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Appends `bytes` with one write() (O_APPEND), then makes them durable. A write that
    /// fails part-way is cut back off, so the file never keeps half a record of ours.
    func append(_ bytes: [UInt8], record: Record, expectedEnd: Int64, sync: Bool) throws {
        try append(bytes, expectedEnd: expectedEnd, sync: sync)
    }

    func append(_ bytes: [UInt8], expectedEnd: Int64, sync: Bool = true) throws {
        var written = 0
        var failed: LogError?
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failed = failure("write")
                    return
                }
                written += n
            }
        }
        if let failed {
            if written > 0 { _ = ftruncate(fd, off_t(expectedEnd)) }
            throw failed
        }
        if sync { try self.sync() }
    }

    func sync() throws {
        guard fdatasync(fd) == 0 else { throw failure("fdatasync") }
    }

    func truncate(to size: Int64) throws {
        guard ftruncate(fd, off_t(size)) == 0 else { throw failure("truncate") }
        try sync()
    }

    /// Takes the exclusive lock (flock: held by this open file description, so closing some other
    /// descriptor of the file cannot drop it, unlike fcntl locks), waiting up to `timeout`.
    func lock(timeout: TimeInterval) throws {
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        var pause: UInt32 = 100
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw failure("lock") }
            guard ContinuousClock.now < deadline else { throw LogError.lockTimeout(path: path, seconds: timeout) }
            usleep(pause)
            pause = min(pause * 2, 2_000)  // short waits: a waiter must not lose every race to a busy writer
        }
        // A writer that opened the file before `migrate` marked it moved, and waited for the lock
        // `migrate` held, finds the marker now: appending would leave its record out of the database.
        if fcntl(fd, F_GETFL) & O_ACCMODE != O_RDONLY, let target = MovedMarker.target(ofLog: path) {
            unlock()
            throw LogError.moved(path: path, to: target)
        }
    }

    /// A failed write is cut back off, and what was synced before it stays.
    var undoesFailedTurns: Bool { false }

    /// Every append was synced already (or is, by `sync`, before the batch reports).
    func commit() throws {}

    func unlock() {
        _ = flock(fd, LOCK_UN)
    }
}
