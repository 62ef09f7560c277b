import Foundation
import HelpdeskCore

/// Draws the whole console onto a grid: the one entry point for both ncurses and tests.
public struct ConsoleView {
    var conversation = ConversationCache()

    public init() {}

    public mutating func draw(_ console: Console, on grid: CellGrid, live: Bool) {
        grid.clear()
        let now = console.now
        let layout = Layout.make(rows: grid.rows, columns: grid.columns, focus: console.state.focus)
        if layout.tooSmall {
            let message = TextWidth.wrap("terminal too small: \(grid.columns)×\(grid.rows), need \(Layout.minimumColumns)×\(Layout.minimumRows)",
                                         width: grid.columns)
            for (row, line) in message.enumerated() where row < grid.rows {
                grid.draw(line, row: row, column: 0, width: grid.columns, role: .error)
            }
            return
        }
        if let bar = layout.tabBar {
            var x = bar.column
            for pane in PaneID.allCases {
                let label = " \(pane.rawValue) "
                let role: Role = pane == console.state.focus ? .focusedPaneTitle : .paneTitle
                x += grid.draw(label, row: bar.row, column: x, width: bar.column + bar.columns - x, role: role) + 1
            }
            grid.draw("Tab switches", row: bar.row, column: x + 1, width: bar.column + bar.columns - x - 1, role: .dim)
        }
        for separator in layout.separators {
            for row in separator.row..<separator.row + separator.rows {
                grid.draw("│", row: row, column: separator.column, width: 1, role: .border)
            }
        }
        for (pane, rect) in layout.panes {
            let focused = pane == console.state.focus
            switch pane {
            case .queue: QueuePane(console: console, now: now).draw(in: rect, grid: grid, focused: focused)
            case .ticket:
                TicketPane(console: console, now: now).draw(in: rect, grid: grid, focused: focused, lines: &conversation)
            case .customer: CustomerPane(console: console).draw(in: rect, grid: grid, focused: focused)
            }
        }
        StatusLine(console: console, live: live).draw(in: layout.status, grid: grid)
        switch console.state.mode {
        case .help: Overlays.help(grid: grid, scroll: console.state.helpScroll, focus: console.state.focus)
        case .compose(let draft): Overlays.compose(draft, grid: grid)
        case .pickMacro(let picker): Overlays.macroPicker(picker, target: console.targetWords(picker.ticket),
                                                                 matches: console.macros(matching: picker.filter), grid: grid)
        case .question(.collision(_, let arrived)): Overlays.collision(arrived: arrived, grid: grid)
        default: break
        }
    }
}
