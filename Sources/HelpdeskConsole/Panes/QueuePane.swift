import Foundation
import HelpdeskCore

/// The queue: one row per ticket of the current view, most urgent first.
struct QueuePane {
    struct Column: Sendable {
        var title: String
        /// The most it takes; it takes less when neither its title nor the rows shown need it.
        var width: Int
        /// Columns with a higher number are dropped first when the pane is narrow.
        var dropOrder: Int
        /// What the `?` help says it shows.
        var help: String
        var cell: @Sendable (Ticket, QueuePane) -> (String, Role?)
    }

    let console: Console
    let now: Date

    static let columns: [Column] = [
        Column(title: "ID", width: 6, dropOrder: 0, help: "the ticket's number") { ticket, _ in ("#\(ticket.id)", nil) },
        Column(title: "*", width: 1, dropOrder: 0, help: "* marks a marked ticket (Space, *)") { ticket, pane in
            (pane.console.state.marks.contains(ticket.id) ? "*" : "", .presence)
        },
        Column(title: "PRI", width: 6, dropOrder: 1, help: "priority: low, normal, high, urgent") { ticket, _ in
            (ticket.priority.rawValue, role(of: ticket.priority))
        },
        Column(title: "STATUS", width: 7, dropOrder: 2, help: "new, open, pending (waits for its follow-up), on-hold, solved") {
            ticket, _ in (ticket.status.rawValue, nil)
        },
        Column(title: "T", width: 1, dropOrder: 9, help: "tier: 1 to 3, raised by escalating") { ticket, _ in
            ("\(ticket.tier)", ticket.tier > 1 ? .high : nil)
        },
        Column(title: "WHO", width: 8, dropOrder: 3, help: "the assignee; - when unassigned") { ticket, _ in (ticket.assignee ?? "-", nil) },
        Column(title: "FU", width: 3, dropOrder: 4, help: "due: its follow-up is due") { ticket, pane in
            ticket.isFollowUpDue(now: pane.now) ? ("due", .followUpDue) : ("", nil)
        },
        Column(title: "AGE", width: 5, dropOrder: 8, help: "how long since the ticket was opened") { ticket, pane in
            (DurationText.short(pane.now.timeIntervalSince(ticket.createdAt)), nil)
        },
        Column(title: "HEARD", width: 5, dropOrder: 7, help: "how long since the customer last heard from us (our last reply, else since it was opened)") {
            ticket, pane in
            let since = ticket.lastReplyAt ?? ticket.createdAt
            return (DurationText.short(pane.now.timeIntervalSince(since)), nil)
        },
        Column(title: "DUE/SLA", width: 7, dropOrder: 5, help: "time left on the SLA clock due soonest (-20m: breached 20 minutes ago); without one, the follow-up") {
            ticket, pane in
            if ticket.status.isActive,
               let clock = SLACalculator(policy: pane.console.desk.slaPolicy).evaluate(ticket, now: pane.now).pressing,
               let left = clock.timeLeft(now: pane.now) {
                return (DurationText.short(left), clock.isBreached ? .breached : clock.isAtRisk ? .atRisk : nil)
            }
            guard let followUp = ticket.followUp else { return ("", nil) }
            if ticket.isFollowUpDue(now: pane.now) { return ("due", .followUpDue) }
            return ("in " + DurationText.short(followUp.due.timeIntervalSince(pane.now)), nil)
        },
        Column(title: "CUSTOMER", width: 12, dropOrder: 6, help: "the customer's name") { ticket, pane in
            (pane.console.desk.customer(ticket.customerID)?.name ?? "?", nil)
        },
    ]

    /// What the help says of the subject, the last column.
    static let subjectHelp = "the subject: every column the others leave"

    static func role(of priority: Priority) -> Role? {
        switch priority {
        case .urgent: .urgent
        case .high: .high
        case .low: .low
        case .normal: nil
        }
    }

    /// The least the subject keeps of a pane `width` wide: a quarter of it, at least 12 columns.
    static func subjectMinimum(_ width: Int) -> Int { max(12, width / 4) }

    /// The columns that fit, each as wide as its title and `cells` need (up to its width), leaving
    /// the subject at least `subjectMinimum` and then all the rest. `cells[c]` are column c's texts.
    static func fitting(_ width: Int, cells: [[String]]? = nil) -> [(column: Column, index: Int, width: Int)] {
        var chosen = columns.enumerated().map { index, column in
            let widest = cells.map { $0[index].map(TextWidth.columns(of:)).max() ?? 0 } ?? column.width
            return (column: column, index: index, width: min(max(TextWidth.columns(of: column.title), widest), column.width))
        }
        while !chosen.isEmpty, chosen.reduce(0, { $0 + $1.width + 1 }) + subjectMinimum(width) > width {
            let drop = chosen.indices.max { chosen[$0].column.dropOrder < chosen[$1].column.dropOrder }!
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

    /// " Queue · all open · 3 · by urgency · /printer (Esc clears)".
    static func title(_ console: Console) -> String {
        let state = console.state
        return " Queue · \(state.savedView ?? state.view.rawValue) · \(console.queue.ids.count) · by \(state.sort.rawValue)"
            + (state.filter.isEmpty ? "" : " · /\(state.filter) (Esc clears)")
    }

    func draw(in rect: Rect, grid: CellGrid, focused: Bool) {
        let state = console.state
        let ids = console.queue.ids
        Chrome.title(QueuePane.title(console), in: rect, grid: grid, focused: focused)
        let visible = rect.rows - 2
        let top = QueuePane.top(console, visible: max(visible, 0))
        let tickets = visible > 0 ? ids[top..<min(top + visible, ids.count)].compactMap { console.desk.ticket($0) } : []
        let cells = tickets.map { ticket in QueuePane.columns.map { $0.cell(ticket, self) } }
        let columns = QueuePane.fitting(rect.columns, cells: QueuePane.columns.indices.map { index in cells.map { $0[index].0 } })
        var x = rect.column
        grid.fill(row: rect.row + 1, column: rect.column, width: rect.columns, role: .header)
        for column in columns {
            grid.draw(column.column.title, row: rect.row + 1, column: x, width: column.width, role: .header)
            x += column.width + 1
        }
        grid.draw("SUBJECT", row: rect.row + 1, column: x, width: rect.column + rect.columns - x, role: .header)

        guard visible > 0 else { return }
        if ids.isEmpty {
            let empty = state.filter.isEmpty ? "nothing in this view" : "no ticket matches /\(state.filter)"
            grid.draw(empty, row: rect.row + 2, column: rect.column + 1, width: rect.columns - 1, role: .dim)
            return
        }
        for (offset, ticket) in tickets.enumerated() {
            let row = rect.row + 2 + offset
            let selected = ticket.id == state.selected
            let rowRole: Role = selected ? .selectedRow : .queueRow
            grid.fill(row: row, column: rect.column, width: rect.columns, role: rowRole)
            var x = rect.column
            for column in columns {
                let (text, role) = cells[offset][column.index]
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
