import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// `helpdesk watch`: one poll() on the terminal, the log's inotify descriptor and the signalfd,
/// with a timeout for the clocks. No key changes the desk; q quits. A hang-up (the SSH
/// connection gone) ends it cleanly; ncurses sends only the cells that changed.
public enum WallboardLoop {
    public struct Options {
        public var logPath: String
        /// The account watching (the `via` of escalations it records).
        public var account: String?
        public var theme: Theme
        public var useColour: Bool
        /// The desk's time.
        public var clock: () -> Date

        public init(logPath: String, account: String?, theme: Theme, useColour: Bool, clock: @escaping () -> Date) {
            self.logPath = logPath
            self.account = account
            self.theme = theme
            self.useColour = useColour
            self.clock = clock
        }
    }

    /// Runs until q or a signal; returns the exit status (128 + the signal for a signal).
    public static func run(_ options: Options) throws -> Int32 {
        // Box and block characters need a UTF-8 locale even where none is set (a bare SSH session).
        setlocale(LC_ALL, "")
        if let ctype = setlocale(LC_CTYPE, nil).map({ String(cString: $0) }), ctype == "C" || ctype == "POSIX" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        let guardian = try TerminalGuard()
        let follower = try LogFollower(path: options.logPath)
        let log = try DeskLog(path: options.logPath, writable: false, holdEveryTicket: true)
        let board = Wallboard(log: log, watch: BreachWatch(path: options.logPath, via: options.account, lockTimeout: 2),
                              clock: options.clock)
        let screen = try CursesScreen(theme: options.theme, useColour: options.useColour)
        defer { screen.stop() }
        let grid = CellGrid(rows: screen.size.rows, columns: screen.size.columns)
        var dirty = true
        // Figures are recomputed when the log or the clock moved, not for a key or a resize.
        var stale = true
        while true {
            if dirty {
                if stale { board.refresh() }
                stale = false
                let size = screen.size
                if size.rows != grid.rows || size.columns != grid.columns { grid.resize(rows: size.rows, columns: size.columns) }
                board.draw(on: grid)
                screen.present(grid)
                dirty = false
            }
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: follower.fd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: guardian.signalFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(fds.count), board.timeout())
            if ready < 0 {
                if errno == EINTR {
                    dirty = true
                    continue
                }
                throw TerminalError.system("poll", errno)
            }
            if fds[2].revents != 0, let signal = guardian.pendingSignal() {
                guard signal == SIGWINCH else { return 128 + signal }
                screen.resizeToTerminal()
                dirty = true
            }
            if fds[1].revents != 0 {
                follower.drain()
                dirty = true
                stale = true
            }
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return 129 }  // the terminal went away
            if fds[0].revents != 0 {
                let keys = screen.readKeys()
                if keys.isEmpty, fds[0].revents & Int16(POLLIN) != 0, isatty(STDIN_FILENO) != 1 || !terminalAlive() {
                    return 129
                }
                for key in keys {
                    switch key {
                    case .character("q"), .character("Q"), .control("c"): return 0
                    case .control("l"):
                        screen.invalidate()
                        dirty = true
                    case .resize: dirty = true
                    default:
                        // Nothing else: the wallboard changes nothing, and says so.
                        board.ignoredKeys += 1
                        dirty = true
                    }
                }
            }
            if ready == 0 {
                dirty = true
                stale = true
            }
        }
    }

    /// Whether the terminal is still there (a read of 0 bytes on a tty means it hung up).
    private static func terminalAlive() -> Bool {
        var entry = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, 0) > 0 else { return true }
        return entry.revents & Int16(POLLHUP | POLLERR | POLLNVAL) == 0
    }
}
