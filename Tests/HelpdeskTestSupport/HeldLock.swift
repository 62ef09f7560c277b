import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The log's flock, held through a descriptor of its own as another process would hold it.
public final class HeldLock {
    let fd: Int32

    public init(path: String) throws {
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0 else { throw POSIXError(.EBUSY) }
    }

    public func release() { close(fd) }
}
