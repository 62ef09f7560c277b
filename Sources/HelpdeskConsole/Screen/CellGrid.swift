import Foundation
import HelpdeskCore

/// What a thing on screen is, not how it looks: the theme decides the looks.
public enum Role: String, CaseIterable, Sendable {
    case normal = "normal"
    case header = "header"
    case queueRow = "queue-row"
    case selectedRow = "selected-row"
    case urgent = "urgent"
    case high = "high"
    case low = "low"
    case breached = "breached"
    case atRisk = "at-risk"
    case followUpDue = "follow-up-due"
    case customerMessage = "customer-message"
    case reply = "reply"
    case note = "note"
    case history = "history"
    case border = "border"
    case paneTitle = "pane-title"
    case focusedPaneTitle = "focused-pane-title"
    case statusLine = "status-line"
    case prompt = "prompt"
    case error = "error"
    /// Something is wrong for now and being dealt with ("reconnecting…").
    case warning = "warning"
    case dim = "dim"
    case presence = "presence"
    case help = "help"
    /// A word the queue's filter found, marked in the conversation.
    case match = "match"
}

public struct Cell: Equatable, Sendable {
    /// One grapheme cluster; "" for the right half of a wide character.
    public var text: String
    public var role: Role

    public static let blank = Cell(text: " ", role: .normal)
}

/// The screen as a grid of cells. Panes draw here and never touch the terminal; the ncurses
/// screen copies it out, and tests read it (ratatui's TestBackend is the model).
///
/// Drawing is the one boundary where outside text meets the terminal, so every string is made
/// visible here (`VisibleText`): nothing drawn can move the cursor or change the terminal.
public final class CellGrid {
    public private(set) var rows: Int
    public private(set) var columns: Int
    public private(set) var cells: [Cell]

    public init(rows: Int, columns: Int) {
        self.rows = max(rows, 0)
        self.columns = max(columns, 0)
        cells = Array(repeating: .blank, count: self.rows * self.columns)
    }

    public func resize(rows: Int, columns: Int) {
        self.rows = max(rows, 0)
        self.columns = max(columns, 0)
        cells = Array(repeating: .blank, count: self.rows * self.columns)
    }

    public func clear() {
        for i in cells.indices { cells[i] = .blank }
    }

    public subscript(row: Int, column: Int) -> Cell {
        cells[row * columns + column]
    }

    /// Fills `width` cells from (row, column) with blanks of `role`.
    public func fill(row: Int, column: Int, width: Int, role: Role) {
        guard row >= 0, row < rows else { return }
        let start = max(column, 0), end = min(column + width, columns)
        guard start < end else { return }
        for c in start..<end { cells[row * columns + c] = Cell(text: " ", role: role) }
    }

    /// Draws `text` on one row, clipped to `width` columns (and the grid), ending in "…" when
    /// `ellipsis` is set and it did not fit. Returns the columns used.
    @discardableResult
    public func draw(_ text: String, row: Int, column: Int, width: Int, role: Role, ellipsis: Bool = false) -> Int {
        guard row >= 0, row < rows, column < columns, width > 0 else { return 0 }
        let limit = min(column + width, columns)
        var visible = VisibleText.sanitize(text)
        if ellipsis { visible = TextWidth.truncate(visible, to: limit - column) }
        var c = column
        for character in visible {
            let w = TextWidth.columns(of: character)
            if w == 0 {
                // A combining mark or other zero-width cluster joins the cell before it.
                if c > column, c - 1 < limit {
                    let index = row * columns + c - 1
                    if !cells[index].text.isEmpty { cells[index].text.append(character) }
                }
                continue
            }
            if c + w > limit { break }
            if c >= 0 {
                // Overwriting half of a wide character blanks its other half.
                if c + w < columns, cells[row * columns + c + w].text.isEmpty {
                    cells[row * columns + c + w] = Cell(text: " ", role: role)
                }
                if cells[row * columns + c].text.isEmpty, c > 0 {
                    cells[row * columns + c - 1] = Cell(text: " ", role: cells[row * columns + c - 1].role)
                }
                cells[row * columns + c] = Cell(text: String(character), role: role)
                if w == 2 { cells[row * columns + c + 1] = Cell(text: "", role: role) }
            }
            c += w
        }
        return c - column
    }

    /// The text of one row, wide characters once, trailing blanks kept.
    public func line(_ row: Int) -> String {
        (0..<columns).map { self[row, $0].text }.joined()
    }

    /// Every row, trailing blanks removed: what a test compares against.
    public var lines: [String] {
        (0..<rows).map { row in
            var text = line(row)
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
    }

    public func copy() -> CellGrid {
        let grid = CellGrid(rows: rows, columns: columns)
        grid.cells = cells
        return grid
    }
}
