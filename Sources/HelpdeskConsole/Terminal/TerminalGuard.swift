import CLoadOnFirstUse
import CNcurses
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

    // The one global state of the library modules, and it must be: a crash handler is a C
    // function pointer that can capture nothing, so the modes it restores have to live where it
    // can reach them. Written once, before any other thread starts; read only by the handler.
    nonisolated(unsafe) private static var savedModes = termios()
    nonisolated(unsafe) private static var haveSavedModes = false

    /// Call before any thread starts, so that every thread inherits the blocked signals.
    public init() throws {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGWINCH] { sigaddset(&blocked, signal) }
        guard sigprocmask(SIG_BLOCK, &blocked, nil) == 0 else { throw TerminalError.system("sigprocmask", errno) }
        signalFD = hd_signalfd(&blocked)
        guard signalFD >= 0 else { throw TerminalError.system("signalfd", errno) }
        if tcgetattr(STDIN_FILENO, &TerminalGuard.savedModes) == 0 { TerminalGuard.haveSavedModes = true }
        TerminalGuard.installCrashHandler()
        hd_before_giving_up { TerminalGuard.restoreAfterCrash() }
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

    private static func installCrashHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            TerminalGuard.restoreAfterCrash()
            raise(signal)  // SA_RESETHAND put the default action back: die as we would have
        }
        action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
        sigemptyset(&action.sa_mask)
        for signal in [SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE] { sigaction(signal, &action, nil) }
    }

    /// Async-signal-safe: termios back, alternate screen off, cursor on, attributes reset.
    private static func restoreAfterCrash() {
        if haveSavedModes { tcsetattr(STDIN_FILENO, TCSANOW, &savedModes) }
        let reset: StaticString = "\u{1B}[?1049l\u{1B}[?25h\u{1B}[0m\r\n"
        _ = write(STDOUT_FILENO, reset.utf8Start, reset.utf8CodeUnitCount)
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
