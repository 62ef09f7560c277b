import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// Starts the console: the terminal, the log (with a loading bar for a long replay), the
/// presence board; then runs `ConsoleProgram` in the shared `EventLoop`.
public enum ConsoleLoop {
    public struct Options {
        public var logPath: String
        /// Where the desk is kept (its log file, `logPath`, unless a database).
        public var location: StoreLocation
        public var me: String
        public var theme: Theme
        public var useColour: Bool
        /// The account behind `me` when it acts as someone else (`--as`).
        public var via: String?
        /// The desk's time.
        public var clock: () -> Date
        /// How notices reach the agent, and the terminal's desktop notifications (nil: none).
        public var notify = NotifyStyle.bell
        public var desktopNotification: DesktopNotification?
        /// The moment to look at (`--at`): the desk as it was then, read-only, nothing followed,
        /// no presence, no escalations, no notices (nil: the live desk).
        public var moment: DeskMoment?

        public init(logPath: String, location: StoreLocation? = nil, me: String, via: String? = nil, theme: Theme,
                    useColour: Bool, clock: @escaping () -> Date) {
            self.logPath = logPath
            self.location = location ?? .file(path: logPath)
            self.me = me
            self.via = via
            self.theme = theme
            self.useColour = useColour
            self.clock = clock
        }
    }

    /// Runs the console until the agent quits or a signal ends it; returns the exit status.
    public static func run(_ options: Options) throws -> Int32 {
        let guardian = try TerminalGuard()
        guard let moment = options.moment else { return try runLive(options, guardian: guardian) }
        let (screen, grid, log) = try openDesk(options) { try DeskLog(location: options.location, asOf: moment.moment, progress: $0) }
        defer { screen.stop() }
        // A file desk's roster was asked before (ConsoleCommand); a database's is read with the desk, as `--at` does.
        if case .file = options.location {} else { try DeskAdmission.check(log.desk, logPath: options.logPath) }
        // No follower, presence, escalations or notices: the past does not change.
        let console = Console(past: log, at: moment, me: options.me)
        return try EventLoop(screen: screen, guardian: guardian, sources: scans(of: console), grid: grid)
            .run(ConsoleProgram(console: console, presence: nil, editor: nil))
    }

    /// What wakes the loop when the customer pane's tickets of a large desk are read.
    private static func scans(of console: Console) -> [EventLoop.Source] {
        console.customerIndexFD.map { [EventLoop.Source(fd: $0, drain: {}, message: .scanFinished)] } ?? []
    }

    /// The screen, and the desk `open` reads while a long replay shows a bar (the main thread
    /// waits in the replay meanwhile).
    private static func openDesk(_ options: Options, _ open: (@escaping (Int64, Int64) -> Void) throws -> DeskLog) throws
        -> (CursesScreen, CellGrid, DeskLog) {
        let screen = try CursesScreen(theme: options.theme, useColour: options.useColour)
        let grid = CellGrid(rows: screen.size.rows, columns: screen.size.columns)
        do {
            let log = try open { done, total in
                LoadingBar.draw(done: done, total: total, path: options.location.description, on: grid)
                screen.present(grid)
            }
            return (screen, grid, log)
        } catch {
            screen.stop()
            throw error
        }
    }

    private static func runLive(_ options: Options, guardian: TerminalGuard) throws -> Int32 {
        let follower = try LogFollower(location: options.location)
        let (screen, grid, log) = try openDesk(options) {
            // Tickets are read from the snapshot as the views ask for them: the active ones at open.
            try DeskLog(location: options.location, writable: true, progress: $0)
        }
        guard log.desk.agents[options.me]?.active == true else {
            screen.stop()
            throw Refusal(.notAllowed, "account '\(options.me)' is not an active agent on the desk's roster; "
                          + "a supervisor can add it with: helpdesk agent add \(options.me)")
        }
        let editor = EditorRunner.editorCommand()
        let service = DeskService(log: log, identity: Identity(actor: options.me, via: options.via), clock: options.clock,
                                  mail: .beside(logPath: options.logPath, location: options.location))
        let console = Console(service: service, externalEditor: editor != nil)
        let indexing = ConversationIndexThread(location: options.location)
        console.conversationIndexReady = { indexing.isReady }
        console.breachWatch = BreachWatch(writer: log, via: options.via ?? options.me)
        console.recordDueBreaches()  // and learns when the next one can fall due
        // What the follower knows of the database: an unreachable one shows "reconnecting…".
        console.connectionTrouble = { follower.connectionTrouble }
        let presence: any PresenceBoard
        do {
            presence = try PresenceBoards.open(location: options.location, logPath: options.logPath, me: options.me)
        } catch {
            screen.stop()
            throw error
        }
        defer {
            // The agent's last console closing (a hang-up included) makes them away.
            console.consoleClosing(othersOpen: presence.hasOtherConsole(of: options.me))
            presence.leave()
            screen.stop()
        }
        let loop = EventLoop(screen: screen, guardian: guardian, sources: [
            EventLoop.Source(fd: follower.fd, drain: follower.drain, message: .logChanged),
            EventLoop.Source(fd: presence.fd, drain: presence.drain, message: .presenceChanged),
            // collectFinishedMail empties it.
            EventLoop.Source(fd: console.mailFinishedFD, drain: {}, message: .mailFinished),
        ] + scans(of: console), grid: grid)
        let program = ConsoleProgram(console: console, presence: presence, editor: editor)
        program.notify = options.notify
        screen.desktopNotification = options.desktopNotification
        let status = try loop.run(program)
        if console.hasMailInFlight {
            console.state.message = StatusMessage(text: "waiting for the reply's mail to reach sendmail…", isError: false)
            program.draw(on: grid)
            screen.present(grid)
            console.waitForMailInFlight()
        }
        return status
    }
}
