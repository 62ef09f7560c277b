import Foundation
import HelpdeskDesk
#if canImport(Glibc)
import Glibc
#endif

/// Sends the console's mail off its loop: each delivery runs on a thread of its own, through a
/// handle of its own on the log (the console's `DeskLog` stays on the loop's thread), so a slow
/// sendmail never freezes the screen. A finished delivery is kept for the loop and announced on
/// `fd`, a pipe the loop polls; the outcome itself is in the log, which every console follows.
final class MailCourierThread: @unchecked Sendable {
    /// Readable while finished deliveries wait to be taken; -1 when no pipe could be made
    /// (poll skips it, and the loop still learns of each outcome through the log).
    let fd: Int32
    private let writeFD: Int32
    private let lock = NSLock()
    private var finished: [(id: Int, outcome: MailSending?)] = []
    private let running = DispatchGroup()

    init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends {
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
        }
        (fd, writeFD) = (ends[0], ends[1])
    }

    deinit {
        if fd >= 0 { close(fd) }
        if writeFD >= 0 { close(writeFD) }
    }

    /// Starts sending `delivery`; `id` comes back with its outcome from `takeFinished`.
    func start(id: Int, _ delivery: QueuedMailDelivery, clock: @escaping @Sendable () -> Date) {
        running.enter()
        let thread = Thread { [self] in
            let outcome = delivery.sendOnOwnHandle(clock: clock)
            lock.withLock { finished.append((id, outcome)) }
            if writeFD >= 0 {
                var byte: UInt8 = 1
                _ = write(writeFD, &byte, 1)  // a full pipe already says the same
            }
            running.leave()
        }
        thread.name = "helpdesk mail #\(delivery.ticket)"
        thread.start()
    }

    /// Empties the pipe; call before `takeFinished`, so a delivery finishing in between
    /// wakes the loop again.
    func drain() {
        guard fd >= 0 else { return }
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(fd, &bytes, bytes.count) > 0 {}
    }

    /// The deliveries finished since the last call, with what became of their mail.
    func takeFinished() -> [(id: Int, outcome: MailSending?)] {
        lock.withLock {
            defer { finished = [] }
            return finished
        }
    }

    /// Waits until every delivery started has finished (each is bounded by the sendmail and
    /// delivery-lock timeouts), or `deadline` passes; true when they all finished.
    @discardableResult
    func waitForAll(until deadline: DispatchTime = .distantFuture) -> Bool {
        running.wait(timeout: deadline) == .success
    }
}
