import CLoadOnFirstUse
import CNcurses
import CTerminalGuard
import Foundation
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// Gives the terminal back whatever happens: SIGINT, SIGTERM and SIGHUP are blocked and read
/// from a signalfd by the loop (so they end it cleanly, never mid-append), a crash handler
/// restores the saved terminal modes before the process dies, and so does a library that cannot
/// be loaded on its first use (CLoadOnFirstUse) before it names itself. SIGWINCH goes through the same
/// signalfd, so a resize wakes the loop's poll() whenever it happens (see EventLoop).
public final class TerminalGuard {
    public let signalFD: Int32

    /// Call before any thread starts, so that every thread inherits the blocked signals.
    public init() throws {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGWINCH] { sigaddset(&blocked, signal) }
        guard sigprocmask(SIG_BLOCK, &blocked, nil) == 0 else { throw TerminalError.system("sigprocmask", errno) }
        signalFD = hd_signalfd(&blocked)
        guard signalFD >= 0 else { throw TerminalError.system("signalfd", errno) }
        // The modes to give back are saved, and the crash handler installed, in C (CTerminalGuard).
        guard hd_guard_terminal_against_crashes() == 0 else { throw TerminalError.system("sigaction", errno) }
        hd_before_giving_up(hd_give_terminal_back)
    }

    deinit { close(signalFD) }

    /// The signal waiting on the signalfd, if any.
    public func pendingSignal() -> Int32? {
        let signal = hd_read_signal(signalFD)
        return signal > 0 ? signal : nil
    }

    /// The signals a child (the editor) must get back: none blocked, default handlers.
    public static func childSignalMask() -> sigset_t {
        var empty = sigset_t()
        sigemptyset(&empty)
        return empty
    }
}

public enum TerminalError: Error, CustomStringConvertible {
    case system(String, Int32)
    public var description: String {
        switch self {
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        }
    }
}
