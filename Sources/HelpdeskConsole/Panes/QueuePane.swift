import Foundation
import HelpdeskCore

/// The queue: one row per ticket of the current view, most urgent first.
struct QueuePane {
    struct Column: Sendable {
        var title: String
        var width: Int
        /// Columns with a higher number are dropped first when the pane is narrow.
        var dropOrder: Int
        var cell: @Sendable (Ticket, QueuePane) -> (String, Role?)
    }

    let console: Console
    let now: Date

    static let columns: [Column] = [
        Column(title: "ID", width: 6, dropOrder: 0) { ticket, _ in ("#\(ticket.id)", nil) },
        Column(title: "PRI", width: 6, dropOrder: 1) { ticket, _ in
            (ticket.priority.rawValue, role(of: ticket.priority))
        },
        Column(title: "STATUS", width: 7, dropOrder: 2) { ticket, _ in (ticket.status.rawValue, nil) },
        Column(title: "T", width: 1, dropOrder: 8) { ticket, _ in ("\(ticket.tier)", ticket.tier > 1 ? .high : nil) },
        Column(title: "WHO", width: 8, dropOrder: 3) { ticket, _ in (ticket.assignee ?? "-", nil) },
        Column(title: "AGE", width: 5, dropOrder: 7) { ticket, pane in (DurationText.short(pane.now.timeIntervalSince(ticket.createdAt)), nil) },
        Column(title: "HEARD", width: 5, dropOrder: 6) { ticket, pane in
            // How long since the customer last heard from us.
            let since = ticket.lastReplyAt ?? ticket.createdAt
            return (DurationText.short(pane.now.timeIntervalSince(since)), nil)
        },
        Column(title: "DUE/SLA", width: 7, dropOrder: 5) { ticket, pane in
            // The SLA clock due soonest: time left, or how long ago it breached ("-20m").
            if ticket.status.isActive,
               let clock = SLACalculator(policy: pane.console.desk.slaPolicy).evaluate(ticket, now: pane.now).pressing,
               let left = clock.timeLeft(now: pane.now) {
                return (DurationText.short(left), clock.isBreached ? .breached : clock.isAtRisk ? .atRisk : nil)
            }
            guard let followUp = ticket.followUp else { return ("", nil) }
            if ticket.isFollowUpDue(now: pane.now) { return ("due", .followUpDue) }
            return ("in " + DurationText.short(followUp.due.timeIntervalSince(pane.now)), nil)
        },
        Column(title: "CUSTOMER", width: 12, dropOrder: 4) { ticket, pane in
            (pane.console.desk.customer(ticket.customerID)?.name ?? "?", nil)
        },
    ]

    static func role(of priority: Priority) -> Role? {
        switch priority {
        case .urgent: .urgent
        case .high: .high
        case .low: .low
        case .normal: nil
        }
    }

    /// The columns that fit, leaving at least 12 columns for the subject.
    static func fitting(_ width: Int) -> [Column] {
        var chosen = columns
        while !chosen.isEmpty, chosen.reduce(0, { $0 + $1.width + 1 }) + 12 > width {
            let drop = chosen.indices.max { chosen[$0].dropOrder < chosen[$1].dropOrder }!
            chosen.remove(at: drop)
        }
        return chosen
    }

    /// The first row shown: where it was, moved just enough to show the selection.
    static func top(_ console: Console, visible: Int) -> Int {
        let count = console.queue.ids.count
        var top = min(console.state.queueTop, max(count - visible, 0))
        if let selectedIndex = console.state.selected.flatMap(console.queueIndex) {
            if selectedIndex < top { top = selectedIndex }
            if selectedIndex >= top + visible { top = selectedIndex - visible + 1 }
        }
        return max(top, 0)
    }

    func draw(in rect: Rect, grid: CellGrid, focused: Bool) {
        let state = console.state
        let ids = console.queue.ids
        var title = " Queue · \(state.savedView ?? state.view.rawValue) · \(ids.count) · by \(state.sort.rawValue)"
        if !state.filter.isEmpty { title += " · /\(state.filter)" }
        Chrome.title(title, in: rect, grid: grid, focused: focused)
        let columns = QueuePane.fitting(rect.columns)
        var x = rect.column
        grid.fill(row: rect.row + 1, column: rect.column, width: rect.columns, role: .header)
        for column in columns {
            grid.draw(column.title, row: rect.row + 1, column: x, width: column.width, role: .header)
            x += column.width + 1
        }
        grid.draw("SUBJECT", row: rect.row + 1, column: x, width: rect.column + rect.columns - x, role: .header)

        let visible = rect.rows - 2
        guard visible > 0 else { return }
        if ids.isEmpty {
            let empty = state.filter.isEmpty ? "nothing in this view" : "no ticket matches /\(state.filter)"
            grid.draw(empty, row: rect.row + 2, column: rect.column + 1, width: rect.columns - 1, role: .dim)
            return
        }
        let top = QueuePane.top(console, visible: visible)
        for (offset, id) in ids[top..<min(top + visible, ids.count)].enumerated() {
            guard let ticket = console.desk.ticket(id) else { continue }
            let row = rect.row + 2 + offset
            let selected = id == state.selected
            let rowRole: Role = selected ? .selectedRow : .queueRow
            grid.fill(row: row, column: rect.column, width: rect.columns, role: rowRole)
            var x = rect.column
            for column in columns {
                let (text, role) = column.cell(ticket, self)
                grid.draw(text, row: row, column: x, width: column.width, role: selected ? rowRole : role ?? rowRole,
                          ellipsis: true)
                x += column.width + 1
            }
            let subjectWidth = rect.column + rect.columns - x
            grid.draw(ticket.subject, row: row, column: x, width: subjectWidth, role: rowRole, ellipsis: true)
        }
    }
}

extension DurationText {
    /// At most five columns: "45s", "12m", "3h", "2d", "-20m".
    static func short(_ interval: TimeInterval) -> String {
        let sign = interval < 0 ? "-" : ""
        let seconds = Int(abs(interval))
        switch seconds {
        case ..<60: return "\(sign)\(seconds)s"
        case ..<3600: return "\(sign)\(seconds / 60)m"
        case ..<86_400: return "\(sign)\(seconds / 3600)h"
        case ..<(86_400 * 365): return "\(sign)\(seconds / 86_400)d"
        default: return "\(sign)\(seconds / (86_400 * 365))y"
        }
    }
}

/// Pane titles and separators.
enum Chrome {
    static func title(_ text: String, in rect: Rect, grid: CellGrid, focused: Bool) {
        let role: Role = focused ? .focusedPaneTitle : .paneTitle
        grid.fill(row: rect.row, column: rect.column, width: rect.columns, role: role)
        grid.draw(text, row: rect.row, column: rect.column, width: rect.columns, role: role)
    }
}
