import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Learns of appends to the log, so a follower sleeps until something is written (no polling
/// loop): from inotify for a file, from LISTEN for a database (see `PostgresListener`). Its
/// descriptor can join a console's poll() set; it never changes.
public final class LogFollower {
    public let fd: Int32
    private let listener: PostgresListener?

    public convenience init(path: String) throws {
        try self.init(location: .file(path: path))
    }

    public init(location: StoreLocation) throws {
        let path: String
        switch location {
        case .postgres(let url):
            let listener = try PostgresListener(url: url)
            self.listener = listener
            fd = listener.fd
            return
        case .file(let file):
            path = file
            listener = nil
        }
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw LogError.io(path: path, operation: "inotify_init1", errno: errno) }
        // Moved away or deleted too: a follower that reopens by path learns of it at once.
        let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF)
        guard inotify_add_watch(fd, path, mask) >= 0 else {
            let error = errno
            close(fd)
            throw LogError.io(path: path, operation: "inotify_add_watch", errno: error)
        }
    }

    deinit { if listener == nil { close(fd) } }

    /// Why the database cannot be reached just now (the follower keeps trying), nil when it can.
    public var connectionTrouble: String? { listener?.connectionTrouble }

    /// Empties the queue of notifications; call before catching up so none is missed.
    public func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// Sleeps until the log changes or `timeout` (milliseconds, -1 for ever) passes.
    /// Returns true when it changed.
    @discardableResult
    public func wait(timeout: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let n = poll(&entry, 1, timeout)
            if n < 0, errno == EINTR { continue }
            if n > 0 { drain() }
            return n > 0
        }
    }
}
