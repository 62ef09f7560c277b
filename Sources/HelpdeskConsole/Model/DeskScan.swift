import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Work over every ticket of a large desk, done off the loop so the first frame need not wait
/// for it: `work` reads a copy of the desk (a value; the saved records underneath may be read
/// from any thread) on a thread of its own, and `fd` becomes readable when the result is in,
/// which wakes the loop.
final class DeskScan<Result: Sendable>: @unchecked Sendable {
    /// Readable once the result is in; the loop watches it.
    let fd: Int32
    private let signal: Int32
    private let lock = NSLock()
    private var finished: Result?

    init(name: String, _ work: @escaping @Sendable () -> Result) {
        // Without a pipe (out of descriptors) nothing wakes the loop: the result is taken at the
        // next key or tick instead.
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) != 0 { ends = [-1, -1] }
        for end in ends where end >= 0 {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        (fd, signal) = (ends[0], ends[1])
        let thread = Thread { [self] in
            let result = work()
            lock.withLock { finished = result }
            var byte: UInt8 = 1
            if signal >= 0 { _ = write(signal, &byte, 1) }
        }
        thread.name = name
        thread.start()
    }

    /// The result, once the thread is done.
    var result: Result? { lock.withLock { finished } }

    /// Empties the pipe (the loop's drain).
    func drain() {
        var bytes = [UInt8](repeating: 0, count: 16)
        while fd >= 0, read(fd, &bytes, bytes.count) > 0 {}
    }

    deinit {
        if fd >= 0 { close(fd) }
        if signal >= 0 { close(signal) }
    }
}
