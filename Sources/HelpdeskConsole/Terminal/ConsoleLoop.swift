import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// The console's one loop: waits in a single poll() on the terminal, the log's inotify
/// descriptor, the presence board and the signalfd, with a timeout only for the clocks.
/// An idle console sleeps in poll and uses no CPU.
public final class ConsoleLoop {
    public struct Options {
        public var logPath: String
        public var me: String
        public var theme: Theme
        public var useColour: Bool
        /// The account behind `me` when it acts as someone else (`--as`).
        public var via: String?
        /// The desk's time.
        public var clock: () -> Date

        public init(logPath: String, me: String, via: String? = nil, theme: Theme, useColour: Bool,
                    clock: @escaping () -> Date) {
            self.logPath = logPath
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
        let follower = try LogFollower(path: options.logPath)
        let screen = try CursesScreen(theme: options.theme, useColour: options.useColour)
        let grid = CellGrid(rows: screen.size.rows, columns: screen.size.columns)
        let log: DeskLog
        do {
            // A long replay shows a bar; the main thread waits in the replay meanwhile.
            log = try DeskLog(path: options.logPath, writable: true, holdEveryTicket: true, progress: { done, total in
                LoadingBar.draw(done: done, total: total, path: options.logPath, on: grid)
                screen.present(grid)
            })
        } catch {
            screen.stop()
            throw error
        }
        guard log.desk.agents[options.me]?.active == true else {
            screen.stop()
            throw Refusal(.notAllowed, "account '\(options.me)' is not an active agent on the desk's roster; "
                          + "a supervisor can add it with: helpdesk agent add \(options.me)")
        }
        let editor = EditorRunner.editorCommand()
        let service = DeskService(log: log, identity: Identity(actor: options.me, via: options.via), clock: options.clock,
                                  mail: .beside(logPath: options.logPath))
        let console = Console(service: service, externalEditor: editor != nil)
        let presence: PresenceBoard
        do {
            presence = try PresenceBoard(logPath: options.logPath, me: options.me)
        } catch {
            screen.stop()
            throw error
        }
        defer {
            presence.leave()
            screen.stop()
        }
        console.viewers = presence.read()
        var view = ConsoleView()
        var dirty = true
        var waitShown: Int?
        while true {
            if dirty {
                console.refresh()
                presence.show(console.state.selected)
                let size = screen.size
                if size.rows != grid.rows || size.columns != grid.columns { grid.resize(rows: size.rows, columns: size.columns) }
                view.draw(console, on: grid, live: true)
                screen.present(grid)
                dirty = false
            }
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: follower.fd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: presence.fd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: guardian.signalFD, events: Int16(POLLIN), revents: 0)]
            let waiting = console.isWaitingForLog
            let ready = poll(&fds, nfds_t(fds.count),
                             waiting ? Console.lockRetryInterval
                                     : timeout(othersPresent: presence.othersPresent, now: options.clock()))
            if ready < 0 {
                if errno == EINTR { dirty = true; continue }
                throw TerminalError.system("poll", errno)
            }
            if fds[3].revents != 0, let signal = guardian.pendingSignal() {
                // A resize comes here too: ncurses' own SIGWINCH handling only acts on the next
                // key read, so the new size would wait for a key press.
                guard signal == SIGWINCH else { return 128 + signal }
                screen.resizeToTerminal()
                dirty = true
            }
            if fds[1].revents != 0 {
                follower.drain()
                if console.catchUp() { dirty = true }
            }
            if fds[2].revents != 0 {
                presence.drain()
                console.viewers = presence.read()
                dirty = true
            }
            if fds[0].revents & Int16(POLLHUP | POLLERR) != 0 { return 129 }  // the terminal went away
            if fds[0].revents != 0 {
                for key in screen.readKeys() {
                    dirty = true
                    if key == .resize { continue }
                    switch console.handle(key) {
                    case .none: break
                    case .quit: return 0
                    case .edit(let draft):
                        screen.suspend()
                        let text = EditorRunner.edit(draft.text, command: editor ?? "vi")
                        screen.resume()
                        if let text {
                            console.finishEditing(draft, text: text)
                        } else {
                            console.state.message = StatusMessage(
                                text: "the editor failed; the \(draft.kind.rawValue) is kept as a draft", isError: true)
                        }
                    }
                }
            }
            // After the keys, so none typed while waiting reaches what the append's outcome opens.
            if console.isWaitingForLog {
                if console.retryPendingAppend() {
                    dirty = true
                    waitShown = nil
                } else if console.secondsWaitedForLog != waitShown {
                    waitShown = console.secondsWaitedForLog
                    dirty = true
                }
            }
            if ready == 0 && !waiting {
                // The clocks moved (ages, due follow-ups) or a console may have died.
                console.viewers = presence.read()
                dirty = true
            }
        }
    }

    /// Until the next minute (ages and due follow-ups change then); every 2 s while other
    /// consoles are around, to notice one that died without saying so.
    static func timeout(othersPresent: Bool, now moment: Date) -> Int32 {
        let now = moment.timeIntervalSince1970
        let toMinute = Int32((60 - now.truncatingRemainder(dividingBy: 60)) * 1000) + 5
        return othersPresent ? min(toMinute, 2000) : toMinute
    }
}
