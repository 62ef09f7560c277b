import Foundation
import HelpdeskCore

/// Draws the wallboard (`helpdesk watch`) onto a grid: backlog, unassigned, escalations,
/// follow-ups, the backlog over the last day, tickets breached and at risk, agents' load and
/// satisfaction. Wide terminals get two columns; narrow ones one, cut at the bottom.
public enum WallboardView {
    public static let minimumColumns = 40
    public static let minimumRows = 8

    /// `title` goes on the top line (the log's name), `status` on the bottom one (in `statusRole`).
    public static func draw(_ figures: BoardFigures, desk: Desk, now: Date, title: String, status: String,
                            statusRole: Role = .statusLine, timeZone: TimeZone = .current, on grid: CellGrid) {
        grid.clear()
        guard grid.rows >= minimumRows, grid.columns >= minimumColumns else {
            let message = TextWidth.wrap("terminal too small: \(grid.columns)×\(grid.rows), need \(minimumColumns)×\(minimumRows)",
                                         width: grid.columns)
            for (row, line) in message.enumerated() where row < grid.rows {
                grid.draw(line, row: row, column: 0, width: grid.columns, role: .error)
            }
            return
        }
        let top = Rect(row: 0, column: 0, rows: 1, columns: grid.columns)
        grid.fill(row: 0, column: 0, width: grid.columns, role: .focusedPaneTitle)
        let clock = clockText(now, timeZone: desk.slaPolicy.hours?.timeZone ?? timeZone)
        grid.draw(" \(title) · wallboard · \(clock)", row: 0, column: 0, width: top.columns, role: .focusedPaneTitle)
        let right = "read-only · " + KeyTable.standard.hints(KeyTable.wallboardScopes, separator: " · ") + " "
        let rightWidth = TextWidth.columns(of: right)
        if grid.columns > rightWidth + 40 {
            grid.draw(right, row: 0, column: grid.columns - rightWidth, width: rightWidth, role: .focusedPaneTitle)
        }
        grid.fill(row: grid.rows - 1, column: 0, width: grid.columns, role: statusRole)
        grid.draw(" " + status, row: grid.rows - 1, column: 0, width: grid.columns, role: statusRole)

        let body = grid.rows - 2
        if grid.columns >= 120 {
            let left = grid.columns * 56 / 100
            for row in 1...body { grid.draw("│", row: row, column: left, width: 1, role: .border) }
            var main = Writer(grid: grid, rect: Rect(row: 1, column: 0, rows: body, columns: left))
            var side = Writer(grid: grid, rect: Rect(row: 1, column: left + 2, rows: body, columns: grid.columns - left - 2))
            overview(figures, desk: desk, now: now, &main)
            alerts(figures, &main, reserve: 0)
            groups(figures, &side)
            agents(figures, &side)
            satisfaction(figures, &side)
        } else {
            var only = Writer(grid: grid, rect: Rect(row: 1, column: 0, rows: body, columns: grid.columns))
            overview(figures, desk: desk, now: now, &only)
            let groupRows = figures.groups.isEmpty ? 0 : figures.groups.count + 2
            alerts(figures, &only, reserve: min(figures.agents.count + 3 + groupRows, 6 + min(groupRows, 4)))
            groups(figures, &only)
            agents(figures, &only)
            satisfaction(figures, &only)
        }
    }

    static func clockText(_ now: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: now)
        func pad(_ value: Int?) -> String { let v = value ?? 0; return (v < 10 ? "0" : "") + String(v) }
        let zone = timeZone.abbreviation(for: now) ?? timeZone.identifier
        return "\(pad(parts.hour)):\(pad(parts.minute)) \(zone)"
    }

    /// Lines written one after another into a rectangle, each made of styled pieces.
    struct Writer {
        let grid: CellGrid
        let rect: Rect
        var row = 0

        init(grid: CellGrid, rect: Rect) {
            self.grid = grid
            self.rect = rect
        }

        var left: Int { rect.rows - row }

        mutating func line(_ pieces: [(String, Role)]) {
            guard row < rect.rows else { return }
            var x = rect.column
            for (text, role) in pieces {
                let width = rect.column + rect.columns - x
                guard width > 0 else { break }
                x += grid.draw(text, row: rect.row + row, column: x, width: width, role: role, ellipsis: true)
            }
            row += 1
        }

        mutating func line(_ text: String, _ role: Role = .normal) { line([(text, role)]) }

        mutating func gap() { if row > 0, row < rect.rows { row += 1 } }
    }

    static func overview(_ figures: BoardFigures, desk: Desk, now: Date, _ out: inout Writer) {
        let summary = figures.summary
        let statuses = summary.byStatus.filter { $0.status.isActive }
        out.line([("BACKLOG ", .header), ("\(summary.active) active", .normal)]
                 + statuses.map { (" · \($0.status.rawValue) \($0.count)", Role.normal) })
        out.line([("  ", .normal)] + summary.byPriority.enumerated().map { index, entry in
            let text = (index > 0 ? " · " : "") + "\(entry.priority.rawValue) \(entry.count)"
            return (text, entry.count > 0 ? (QueuePane.role(of: entry.priority) ?? .normal) : .dim)
        })
        out.line([("  last 24h ", .dim), (sparkline(figures.backlogSeries), .normal),
                  (" now \(figures.backlogSeries.last ?? 0)", .dim)])
        var unassigned: [(String, Role)] = [("UNASSIGNED ", .header), ("\(figures.unassigned)", .normal)]
        if let oldest = figures.oldestUnassigned {
            unassigned.append((" · oldest #\(oldest.ticket) waiting \(DurationText.format(now.timeIntervalSince(oldest.since)))",
                               .normal))
        }
        out.line(unassigned)
        out.line([("ESCALATED ", .header)] + figures.escalatedByTier.enumerated().map { index, entry in
            ((index > 0 ? " · " : "") + "tier \(entry.tier): \(entry.count)", entry.count > 0 ? Role.high : .normal)
        })
        out.line([("FOLLOW-UPS DUE ", .header), ("\(figures.followUpsDue)", figures.followUpsDue > 0 ? .followUpDue : .normal)])
    }

    /// The breached and at-risk lists, sharing the rows left (less `reserve` kept for below).
    static func alerts(_ figures: BoardFigures, _ out: inout Writer, reserve: Int) {
        out.gap()
        // Lines for the items of both lists (each list also has its title line).
        let room = max(out.left - reserve, 4) - 2
        let riskWanted = max(figures.atRisk.count, 1), breachedWanted = max(figures.breached.count, 1)
        let breachedRows = min(breachedWanted, max(room - min(riskWanted, room / 2), 1))
        list("BREACHED", figures.breached, role: .breached, rows: breachedRows, &out)
        list("AT RISK", figures.atRisk, role: .atRisk, rows: max(room - breachedRows, 1), &out)
    }

    static func list(_ title: String, _ alerts: [BoardFigures.Alert], role: Role, rows: Int, _ out: inout Writer) {
        out.line([("\(title) (\(alerts.count))", .header)])
        if alerts.isEmpty {
            out.line("  none", .dim)
            return
        }
        let shown = alerts.count > rows ? max(rows - 1, 0) : alerts.count
        let idWidth = max(6, (alerts.prefix(shown).map { String($0.ticket).count }.max() ?? 0) + 2)
        for alert in alerts.prefix(shown) {
            let id = "#\(alert.ticket)".padding(toLength: idWidth, withPad: " ", startingAt: 0)
            let priority = alert.priority.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
            let target = (alert.target.name + (alert.paused ? " ‖" : "")).padding(toLength: 16, withPad: " ", startingAt: 0)
            let left = timeLeft(alert.timeLeft)
            let leftText = String(repeating: " ", count: max(0, 5 - left.count)) + left + "  "
            let who = (alert.assignee ?? "-").padding(toLength: 9, withPad: " ", startingAt: 0)
            out.line([(id, .normal), (priority, QueuePane.role(of: alert.priority) ?? .normal), (target, .normal),
                      (leftText, role), (who, .normal), ("t\(alert.tier) ", .dim), (alert.subject, .normal)])
        }
        if shown < alerts.count { out.line("  … and \(alerts.count - shown) more", .dim) }
    }

    /// Minutes at least: the board redraws each minute, not each second.
    static func timeLeft(_ seconds: TimeInterval) -> String {
        if seconds < 0, seconds > -60 { return "-1m" }
        if seconds >= 0, seconds < 60 { return "<1m" }
        return DurationText.short(seconds)
    }

    /// Per group: active tickets, unassigned ones, and those waiting for an available agent.
    static func groups(_ figures: BoardFigures, _ out: inout Writer) {
        guard !figures.groups.isEmpty else { return }
        out.gap()
        out.line("GROUP        BACKLOG  UNASSIGNED  WAITING", .header)
        for group in figures.groups {
            out.line([(pad(group.name, 13), .normal), (pad(String(group.backlog), 9), .normal),
                      (pad(String(group.unassigned), 12), .normal),
                      (String(group.waiting), group.waiting > 0 ? .atRisk : .normal)])
        }
    }

    static func agents(_ figures: BoardFigures, _ out: inout Writer) {
        out.gap()
        // Today: solved, and the median of the first replies they gave; on a desk that assigns by
        // availability, whether each agent is available or away (the last header shortened to fit).
        let availability = figures.showsAvailability
        out.line(availability ? "AGENT        NOW    OPEN  SOLVED TODAY  1ST REPLY" : "AGENT        OPEN  SOLVED TODAY  1ST REPLY TODAY",
                 .header)
        if figures.agents.isEmpty { out.line("  none", .dim) }
        for agent in figures.agents {
            let median = agent.medianFirstResponseToday.map { DurationText.format($0) } ?? "-"
            var pieces: [(String, Role)] = [(pad(agent.account, 13), .normal)]
            if availability { pieces.append(agent.available ? ("avail  ", .presence) : ("away   ", .dim)) }
            out.line(pieces + [(pad(String(agent.assignedOpen), 6), .normal), (pad(String(agent.solvedToday), 14), .normal),
                               (median, .normal)])
        }
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.padding(toLength: width, withPad: " ", startingAt: 0)
    }

    static func satisfaction(_ figures: BoardFigures, _ out: inout Writer) {
        out.gap()
        let average = figures.averageRating.map { String(format: "%.1f", $0) + "/5" } ?? "-"
        out.line([("SATISFACTION ", .header), ("\(average)", .normal),
                  (" from \(figures.ratingCount) rating\(figures.ratingCount == 1 ? "" : "s") (7 days)", .dim)])
        for comment in figures.lastComments {
            out.line([("  \(comment.score)/5 #\(comment.ticket) ", .dim), (comment.comment, .customerMessage)])
        }
        let nps = figures.nps
        guard let score = nps.netPromoterScore else { return }
        out.line([("NPS ", .header), (String(format: "%+.0f", score), .normal),
                  (" from \(nps.answered) answer\(nps.answered == 1 ? "" : "s") (30 days)", .dim)])
        out.line([("  promoters \(nps.promoters) · passives \(nps.passives) · detractors \(nps.detractors)", .dim)])
    }

    static let blocks = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One block character per value, scaled from the smallest to the largest.
    public static func sparkline(_ values: [Int]) -> String {
        guard let low = values.min(), let high = values.max() else { return "" }
        return values.map { value in
            high == low ? (high == 0 ? blocks[0] : blocks[3])
                : blocks[(value - low) * (blocks.count - 1) / (high - low)]
        }.joined()
    }
}
