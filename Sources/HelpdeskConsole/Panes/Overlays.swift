import Foundation
import HelpdeskCore

/// Boxes drawn over the panes: help, the built-in editor, the collision question.
enum Overlays {
    /// A framed box in the middle of the screen; returns the inner rectangle.
    static func box(rows: Int, columns: Int, title: String, grid: CellGrid) -> Rect {
        let height = min(rows, grid.rows - 2), width = min(columns, grid.columns - 2)
        let top = max((grid.rows - 1 - height) / 2, 0), left = max((grid.columns - width) / 2, 0)
        for row in top..<top + height {
            grid.fill(row: row, column: left, width: width, role: .help)
            grid.draw("│", row: row, column: left, width: 1, role: .border)
            grid.draw("│", row: row, column: left + width - 1, width: 1, role: .border)
        }
        grid.draw("┌" + String(repeating: "─", count: max(width - 2, 0)) + "┐", row: top, column: left, width: width, role: .border)
        grid.draw("└" + String(repeating: "─", count: max(width - 2, 0)) + "┘", row: top + height - 1, column: left,
                  width: width, role: .border)
        grid.draw(" \(title) ", row: top, column: left + 2, width: width - 4, role: .paneTitle)
        return Rect(row: top + 1, column: left + 2, rows: height - 2, columns: width - 4)
    }

    /// Generated from the key table: every key in effect where the help was asked for (the
    /// focused pane's own, then the queue's and the console's) and what it does, by group. One
    /// column, scrolled with j/k when the terminal is too short to show it whole.
    static func helpLines(focus: PaneID, table: KeyTable = .standard) -> [(String, Role)] {
        let rows = table.effectiveRows(KeyTable.scopes(focus: focus))
        var lines: [(String, Role)] = []
        for group in KeyGroup.allCases {
            let inGroup = rows.filter { $0.group == group }
            guard !inGroup.isEmpty else { continue }
            lines.append((group.rawValue, .header))
            for row in inGroup {
                let keys = row.keys.map(\.label).joined(separator: " ")
                lines.append(("  " + keys.padding(toLength: 11, withPad: " ", startingAt: 0) + row.help, .help))
            }
        }
        // What the queue's columns show, from the same rows the queue draws.
        lines.append(("Queue columns", .header))
        for (title, help) in QueuePane.columns.map({ ($0.title, $0.help) }) + [("SUBJECT", QueuePane.subjectHelp)] {
            lines.append(("  " + title.padding(toLength: 11, withPad: " ", startingAt: 0) + help, .help))
        }
        return lines
    }

    static func help(grid: CellGrid, scroll: Int, focus: PaneID) {
        let lines = helpLines(focus: focus)
        let fits = lines.count + 3 <= grid.rows - 1
        let footer = fits ? "any key closes this help" : "j/k ↓/↑ scroll · any other key closes this help"
        let inner = box(rows: min(lines.count + 3, grid.rows - 1), columns: min(grid.columns - 2, 90), title: "Keys", grid: grid)
        let visible = max(inner.rows - 1, 0)
        let top = min(max(scroll, 0), max(lines.count - visible, 0))
        for (index, line) in lines.dropFirst(top).prefix(visible).enumerated() {
            grid.draw(line.0, row: inner.row + index, column: inner.column, width: inner.columns, role: line.1, ellipsis: true)
        }
        grid.draw(footer, row: inner.row + inner.rows - 1, column: inner.column, width: inner.columns, role: .dim)
    }

    static func compose(_ draft: Draft, grid: CellGrid) {
        let inner = box(rows: max(grid.rows / 2, 6), columns: min(grid.columns - 2, 100),
                        title: "\(draft.kind.rawValue) on #\(draft.ticket)"
                            + (draft.attachments.isEmpty ? "" : " with " + Console.fileWords(draft.attachments.count)), grid: grid)
        let lines = TextWidth.wrap(draft.text + "▏", width: inner.columns)
        for (index, line) in lines.suffix(inner.rows).enumerated() {
            grid.draw(line, row: inner.row + index, column: inner.column, width: inner.columns, role: .help)
        }
    }

    /// The filter as typed, then a line per matching macro: its name, what it does and the first
    /// line of its text; the chosen one highlighted, the list scrolled to keep it in sight.
    static func macroPicker(_ picker: MacroPicker, target: String, matches: [Macro], grid: CellGrid) {
        let inner = box(rows: min(matches.count + 4, max(grid.rows - 2, 6)), columns: min(grid.columns - 2, 100),
                        title: "Macros for \(target)", grid: grid)
        grid.draw("filter: " + picker.filter + "▏", row: inner.row, column: inner.column, width: inner.columns, role: .prompt)
        let visible = max(inner.rows - 2, 0)
        guard !matches.isEmpty else {
            grid.draw("no macro matches", row: inner.row + 2, column: inner.column, width: inner.columns, role: .dim)
            return
        }
        let top = max(picker.selection - visible + 1, 0)
        let nameWidth = min(max(matches.map { TextWidth.columns(of: $0.name) }.max() ?? 0, 8), 24)
        for (offset, macro) in matches.dropFirst(top).prefix(visible).enumerated() {
            let chosen = top + offset == picker.selection
            let name = TextWidth.truncate(macro.name, to: nameWidth)
            let firstLine = macro.text.map { String($0.template.split(separator: "\n").first ?? "") }
            let line = name + String(repeating: " ", count: max(nameWidth - TextWidth.columns(of: name), 0)) + "  "
                + macro.actionWords.joined(separator: ", ") + (firstLine.map { " · " + $0 } ?? "")
            let row = inner.row + 2 + offset
            if chosen { grid.fill(row: row, column: inner.column, width: inner.columns, role: .selectedRow) }
            grid.draw(line, row: row, column: inner.column, width: inner.columns, role: chosen ? .selectedRow : .help,
                      ellipsis: true)
        }
    }

    static func collision(arrived: [String], grid: CellGrid) {
        var lines = ["While you wrote, this arrived:"]
        for text in arrived { lines += TextWidth.wrap(text, width: min(grid.columns - 8, 90)) }
        lines.append("")
        lines.append("[s] send anyway   [e] edit again   [d] discard")
        let inner = box(rows: min(lines.count + 2, grid.rows - 2), columns: min(grid.columns - 2, 96),
                        title: "The conversation moved on", grid: grid)
        for (index, line) in lines.enumerated() where index < inner.rows {
            grid.draw(line, row: inner.row + index, column: inner.column, width: inner.columns, role: .help)
        }
    }
}
