import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one loop of the console and the wallboard: a single poll() on the terminal, the signalfd
/// and the program's descriptors (the log's inotify, the presence board), with a timeout only
/// for the program's next tick, so an idle program sleeps in poll. Whatever woke it becomes
/// messages, in this order: signals, the descriptors, keys, then the tick (so keys typed while
/// an append waits are handled before its retry); after them the model is drawn once.
public final class EventLoop {
    /// A descriptor to wait on besides the terminal: `drain` empties it, then `message` is sent.
    public struct Source {
        public var fd: Int32
        public var drain: () -> Void
        public var message: LoopMessage

        public init(fd: Int32, drain: @escaping () -> Void, message: LoopMessage) {
            self.fd = fd
            self.drain = drain
            self.message = message
        }
    }

    let screen: CursesScreen
    let guardian: TerminalGuard
    let sources: [Source]
    let grid: CellGrid

    public init(screen: CursesScreen, guardian: TerminalGuard, sources: [Source], grid: CellGrid? = nil) {
        self.screen = screen
        self.guardian = guardian
        self.sources = sources
        self.grid = grid ?? CellGrid(rows: screen.size.rows, columns: screen.size.columns)
    }

    /// Runs `program` until an update quits; returns its exit status.
    public func run(_ program: LoopProgram) throws -> Int32 {
        var dirty = false
        if let status = apply(program.update(.resize(rows: screen.size.rows, columns: screen.size.columns)),
                              to: program, dirty: &dirty) { return status }
        dirty = true
        while true {
            if dirty {
                let size = screen.size
                if size.rows != grid.rows || size.columns != grid.columns { grid.resize(rows: size.rows, columns: size.columns) }
                program.draw(on: grid)
                screen.present(grid)
                dirty = false
                for alert in program.takeAlerts() { screen.alert(alert) }
            }
            let timeout = max(program.timeout(), 0)
            let deadline = Self.milliseconds() + Int64(timeout)
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: guardian.signalFD, events: Int16(POLLIN), revents: 0)]
                + sources.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready < 0 {
                if errno == EINTR {
                    dirty = true
                    continue
                }
                throw TerminalError.system("poll", errno)
            }
            for message in messages(fds, deadline: deadline) {
                if let status = apply(program.update(message), to: program, dirty: &dirty) { return status }
            }
        }
    }

    /// What woke poll, as messages in the order they are handled.
    private func messages(_ fds: [pollfd], deadline: Int64) -> [LoopMessage] {
        var messages: [LoopMessage] = []
        if fds[1].revents != 0, let signal = guardian.pendingSignal() {
            switch signal {
            case SIGWINCH:
                // Here rather than ncurses' own SIGWINCH handling, which acts only on the next key read.
                screen.resizeToTerminal()
                messages.append(.resize(rows: screen.size.rows, columns: screen.size.columns))
            case SIGHUP: return messages + [.hangUp]
            default: return messages + [.signal(signal)]
            }
        }
        for (index, source) in sources.enumerated() where fds[index + 2].revents != 0 {
            source.drain()
            messages.append(source.message)
        }
        let terminal = fds[0].revents
        if terminal & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return messages + [.hangUp] }
        if terminal & Int16(POLLIN) != 0 {
            let keys = screen.readKeys()
            // Readable but no key: a tty that hung up reads as nothing (or the input is no tty now).
            if keys.isEmpty, isatty(STDIN_FILENO) != 1 || !Self.terminalAlive() { return messages + [.hangUp] }
            for key in keys {
                messages.append(key == .resize ? .resize(rows: screen.size.rows, columns: screen.size.columns) : .key(key))
            }
        }
        if Self.milliseconds() >= deadline { messages.append(.tick) }
        return messages
    }

    /// Carries out an update's effect; returns the exit status when the program ends.
    private func apply(_ effect: LoopEffect, to program: LoopProgram, dirty: inout Bool) -> Int32? {
        switch effect {
        case .none: return nil
        case .redraw: dirty = true
        case .repaint:
            screen.invalidate()
            dirty = true
        case .quit(let status): return status
        case .suspend(let outside):
            screen.suspend()
            let message = outside()
            screen.resume()
            dirty = true
            return apply(program.update(message), to: program, dirty: &dirty)
        }
        return nil
    }

    /// Whether the terminal is still there (a read of 0 bytes on a tty means it hung up).
    private static func terminalAlive() -> Bool {
        var entry = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, 0) > 0 else { return true }
        return entry.revents & Int16(POLLHUP | POLLERR | POLLNVAL) == 0
    }

    /// A monotonic clock in milliseconds: the tick's deadline does not move with the wall clock.
    private static func milliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
