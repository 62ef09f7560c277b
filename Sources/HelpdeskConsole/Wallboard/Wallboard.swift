import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

/// The wallboard's state: the desk read from the log (read-only), the figures drawn from it,
/// and the one thing it may write, the desk's SLA escalations, through its own handle.
public final class Wallboard {
    public let log: DeskLog
    /// Records escalations that fall due while the board watches; nil: show breaches only.
    public let watch: BreachWatch?
    public let timeZone: TimeZone
    let clock: () -> Date
    public private(set) var figures: BoardFigures
    /// Escalations this board recorded since it started.
    public private(set) var escalated = 0
    /// Something to say on the status line (a failure to read the log).
    public var problem: String?
    /// Keys pressed that do nothing here (every key but q): counted, so the board can say so.
    public var ignoredKeys = 0
    /// Why the desk's database cannot be reached, as the log's follower knows it (nil: it can, or
    /// a file desk); meanwhile the board shows what it has and says "reconnecting…".
    public var connectionTrouble: () -> String? = { nil }
    /// Why the last refresh could not reach the database (nil: it could).
    public private(set) var reconnecting: String?
    /// The moment a board opened with `--at` shows (nil: the live desk): its status line says so
    /// in the warning colour.
    public private(set) var moment: DeskMoment?

    /// The tickets the figures are made from (nil: every ticket; a board at a moment).
    private let tickets: BoardTickets?

    public init(log: DeskLog, watch: BreachWatch?, timeZone: TimeZone = .current, clock: @escaping () -> Date) {
        self.log = log
        self.watch = watch
        self.timeZone = timeZone
        self.clock = clock
        figures = BoardFigures.make(desk: log.desk, now: clock(), timeZone: timeZone)
        tickets = nil
    }

    /// A board of the live desk that reads only the tickets that can count in its figures (see
    /// `BoardTickets`), so a large desk shows at once and is not read whole each minute.
    public init(following log: DeskLog, watch: BreachWatch?, timeZone: TimeZone = .current, clock: @escaping () -> Date) {
        self.log = log
        self.watch = watch
        self.timeZone = timeZone
        self.clock = clock
        log.notesTouchedTickets = true
        tickets = BoardTickets(desk: log.desk, now: clock())
        // Those of no ticket until the first `refresh`, which the loop makes before the first frame.
        figures = BoardFigures.make(desk: Desk(), now: clock(), timeZone: timeZone)
    }

    /// What the loop watches while a large desk's pass runs (nil: nothing).
    public var passFD: Int32? { tickets?.waitingFD }

    /// The board of the desk as it was at `moment` (`watch --at`): nothing followed, nothing escalated.
    public static func lookingAt(_ moment: DeskMoment, location: StoreLocation) throws -> Wallboard {
        let board = Wallboard(log: try DeskLog(location: location, asOf: moment.moment), watch: nil,
                              timeZone: moment.timeZone, clock: { moment.moment })
        board.moment = moment
        return board
    }

    public var now: Date { clock() }

    /// Reads what was appended, records escalations that are due (when this account may write
    /// the log), and recomputes the figures.
    public func refresh() {
        let now = self.now
        if let trouble = connectionTrouble() {
            reconnecting = trouble
        } else {
            do {
                try log.catchUp()
                // One scan for due breaches (inside `check`); another process's escalation arrives
                // through the follower like any other record.
                if let watch, watch.tick(log, now: now) {
                    escalated += 1
                    try log.catchUp()
                }
                problem = nil
                reconnecting = nil
            } catch let error as LogError where error.isUnreachable {
                reconnecting = "\(error)"
            } catch {
                problem = "\(error)"
            }
        }
        if let tickets {
            tickets.follow(touched: log.takeTouchedTickets())
            // The clocks of every active ticket are walked each time: their histories are not kept.
            figures = log.readingDetailsOnce {
                BoardFigures.make(desk: log.desk, now: now, timeZone: timeZone, readings: tickets.readings(of: log.desk, now: now))
            }
            tickets.startReading()  // after the first figures: on a large desk it must not slow them
        } else {
            figures = BoardFigures.make(desk: log.desk, now: now, timeZone: timeZone)
        }
    }

    public var status: String {
        if let reconnecting { return "reconnecting… " + reconnecting }
        if let problem { return problem }
        var parts = [moment.map { "looking at \($0.words): read-only" } ?? "live", "record #\(log.desk.lastSeq)"]
        if tickets?.isReading == true { parts.append("reading the last week's solved tickets…") }
        if ignoredKeys > 0 {
            parts.append("read-only: \(ignoredKeys) key\(ignoredKeys == 1 ? "" : "s") ignored, "
                         + KeyTable.standard.hints(KeyTable.wallboardScopes, separator: ", "))
        }
        if moment != nil {
            // Nothing is escalated in the past.
        } else if watch == nil {
            parts.append("breaches shown, not escalated")
        } else if let path = log.location.filePath, !PersonsGroup.programMayWrite(path) {
            parts.append("breaches shown, not escalated (the log is read-only for this account)")
        } else if watch?.isWaitingForLock == true {
            parts.append("an escalation is due; the log is busy, trying again")
        } else if let error = watch?.lastError {
            parts.append("could not record an escalation: \(error)")
        } else if escalated > 0 {
            parts.append("recorded \(escalated) escalation record\(escalated == 1 ? "" : "s")")
        }
        return parts.joined(separator: " · ")
    }

    public func draw(on grid: CellGrid) {
        WallboardView.draw(figures, desk: log.desk, now: now, title: (log.path as NSString).lastPathComponent,
                           status: status, statusRole: reconnecting == nil && moment == nil ? .statusLine : .warning, timeZone: timeZone, on: grid)
    }

    /// Milliseconds until the screen must be redrawn for the clocks alone: the next minute, or
    /// sooner when a clock falls due or comes at risk, or an escalation falls due (or waits for
    /// the lock).
    public func timeout() -> Int32 {
        let now = self.now
        let t = now.timeIntervalSince1970
        var wait = 60 - t.truncatingRemainder(dividingBy: 60)
        if let next = figures.nextChange { wait = min(wait, next.timeIntervalSince(now)) }
        if let look = watch?.secondsToNextLook(now: now) { wait = min(wait, look) }
        return Int32(max(wait, 0.05) * 1000) + 5
    }
}
