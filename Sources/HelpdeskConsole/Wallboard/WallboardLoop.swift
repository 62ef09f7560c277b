import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// `helpdesk watch`: starts the terminal and the log read-only, then runs `WallboardProgram` in
/// the shared `EventLoop`. A hang-up (the SSH connection gone) ends it cleanly; ncurses sends
/// only the cells that changed.
public enum WallboardLoop {
    public struct Options {
        public var logPath: String
        /// Where the desk is kept (its log file, `logPath`, unless a database).
        public var location: StoreLocation
        /// The account watching (the `via` of escalations it records).
        public var account: String?
        public var theme: Theme
        public var useColour: Bool
        /// The desk's time.
        public var clock: () -> Date
        /// The moment to show (`--at`): the desk as it was then, nothing followed or escalated.
        public var moment: DeskMoment?

        public init(logPath: String, location: StoreLocation? = nil, account: String?, theme: Theme, useColour: Bool,
                    clock: @escaping () -> Date) {
            self.logPath = logPath
            self.location = location ?? .file(path: logPath)
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
        // First: signals are blocked here, so every thread started after (a replay's, the follower's)
        // leaves SIGHUP and SIGTERM to the loop, which puts the terminal back.
        let guardian = try TerminalGuard()
        if let moment = options.moment {
            return try show(try Wallboard.lookingAt(moment, location: options.location), options, guardian: guardian, sources: [])
        }
        let follower = try LogFollower(location: options.location)
        let log = try DeskLog(location: options.location, writable: false)
        let board = Wallboard(following: log, watch: BreachWatch(location: options.location, via: options.account, lockTimeout: 0),
                              clock: options.clock)
        board.connectionTrouble = { follower.connectionTrouble }
        return try show(board, options, guardian: guardian,
                        sources: [EventLoop.Source(fd: follower.fd, drain: follower.drain, message: .logChanged)]
                            + (board.passFD.map { [EventLoop.Source(fd: $0, drain: {}, message: .scanFinished)] } ?? []))
    }

    private static func show(_ board: Wallboard, _ options: Options, guardian: TerminalGuard,
                             sources: [EventLoop.Source]) throws -> Int32 {
        let screen = try CursesScreen(theme: options.theme, useColour: options.useColour)
        defer { screen.stop() }
        board.refresh()
        let loop = EventLoop(screen: screen, guardian: guardian, sources: sources)
        return try loop.run(WallboardProgram(board: board))
    }
}

/// The wallboard as the loop runs it. No key changes the desk: the keys of the table's
/// wallboard scope act, every other one is counted so the board can say so.
public final class WallboardProgram: LoopProgram {
    public let board: Wallboard

    public init(board: Wallboard) { self.board = board }

    public func timeout() -> Int32 { board.timeout() }

    public func update(_ message: LoopMessage) -> LoopEffect {
        switch message {
        case .key(let key):
            switch KeyTable.wallboardKeys[key] {
            case .quit?: return .quit(0)
            case .redraw?: return .repaint
            default:
                board.ignoredKeys += 1
                return .redraw
            }
        case .resize: return .redraw
        case .logChanged, .tick, .scanFinished:
            // Figures are recomputed when the log or the clock moved, not for a key or a resize.
            board.refresh()
            return .redraw
        case .presenceChanged, .edited, .mailFinished: return .none
        case .signal(let signal): return .quit(128 + signal)
        case .hangUp: return .quit(128 + SIGHUP)
        }
    }

    public func draw(on grid: CellGrid) { board.draw(on: grid) }
}
