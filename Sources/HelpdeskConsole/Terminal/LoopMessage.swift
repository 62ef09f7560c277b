import Foundation

/// Everything that wakes a program's loop, as one value: the programs' update takes these.
public enum LoopMessage: Sendable {
    case key(Key)
    /// The terminal has a new size (and on start, its first).
    case resize(rows: Int, columns: Int)
    /// Something was appended to the log.
    case logChanged
    /// Another console came, went, or looks at another ticket.
    case presenceChanged
    /// Mail the console handed to sendmail off the loop is done (sent, failed or left waiting).
    case mailFinished
    /// Work over a large desk's tickets done off the loop is in (see `DeskScan`).
    case scanFinished
    /// The time the program asked to be woken at has come (the clocks moved, a retry is due).
    case tick
    /// SIGINT or SIGTERM.
    case signal(Int32)
    /// The terminal went away: SIGHUP, a hang-up or error on it, or a read of nothing.
    case hangUp
    /// The external editor returned with this text (nil: it failed).
    case edited(Draft, text: String?)
}

/// What the loop does after an update.
public enum LoopEffect {
    /// Nothing changed on screen.
    case none
    /// Draw the model again (ncurses sends only the cells that changed).
    case redraw
    /// The terminal may show something else than was sent (Ctrl-L): clear it and send every cell.
    case repaint
    /// End the program with this status.
    case quit(Int32)
    /// Give the terminal to something else (an editor), then update with what it returns.
    case suspend(() -> LoopMessage)
}

/// A program the loop runs: one update for every message, one draw of the model, and when it
/// wants to be woken if nothing else happens. Draw only reads the model.
public protocol LoopProgram: AnyObject {
    /// Milliseconds until the next `.tick` is due (counted from now).
    func timeout() -> Int32
    func update(_ message: LoopMessage) -> LoopEffect
    func draw(on grid: CellGrid)
    /// What to ring or show once the frame is on the terminal.
    func takeAlerts() -> [TerminalAlert]
}

extension LoopProgram {
    public func takeAlerts() -> [TerminalAlert] { [] }
}
