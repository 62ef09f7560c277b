import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The pipes a database thread wakes a poll() loop with, and is woken by.
enum WakePipe {
    /// Makes a pipe whose ends are non-blocking (a full one has rung enough) and closed on exec.
    static func make(_ ends: inout [Int32]) -> Bool {
        guard pipe(&ends) == 0 else { return false }
        for end in ends {
            _ = fcntl(end, F_SETFL, O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        return true
    }
}
