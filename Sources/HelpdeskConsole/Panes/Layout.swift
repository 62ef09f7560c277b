/// A rectangle of the screen, in cells.
public struct Rect: Equatable, Sendable {
    public var row: Int, column: Int, rows: Int, columns: Int

    public init(row: Int, column: Int, rows: Int, columns: Int) {
        self.row = row
        self.column = column
        self.rows = max(rows, 0)
        self.columns = max(columns, 0)
    }
}

/// Where each pane goes for a terminal size: three columns when wide, queue beside a stacked
/// ticket and customer when medium, one pane at a time (Tab switches) when narrow.
public struct Layout: Equatable, Sendable {
    public var panes: [(PaneID, Rect)]
    /// The column separators to draw: (column, first row, rows).
    public var separators: [(column: Int, row: Int, rows: Int)]
    public var status: Rect
    /// Narrow terminals show a bar naming the panes, the focused one marked.
    public var tabBar: Rect?
    public var tooSmall: Bool

    public static let minimumColumns = 40
    public static let minimumRows = 8

    public static func == (a: Layout, b: Layout) -> Bool {
        a.panes.elementsEqual(b.panes, by: { $0.0 == $1.0 && $0.1 == $1.1 }) && a.status == b.status
            && a.tabBar == b.tabBar && a.tooSmall == b.tooSmall
            && a.separators.elementsEqual(b.separators, by: { $0 == $1 })
    }

    public func rect(_ pane: PaneID) -> Rect? { panes.first { $0.0 == pane }?.1 }

    public static func make(rows: Int, columns: Int, focus: PaneID) -> Layout {
        let status = Rect(row: rows - 1, column: 0, rows: 1, columns: columns)
        guard rows >= minimumRows, columns >= minimumColumns else {
            return Layout(panes: [], separators: [], status: status, tabBar: nil, tooSmall: true)
        }
        let body = rows - 1
        if columns >= 160 {
            let queue = columns * 45 / 100, customer = columns * 22 / 100
            let ticket = columns - queue - customer - 2
            return Layout(panes: [(.queue, Rect(row: 0, column: 0, rows: body, columns: queue)),
                                  (.ticket, Rect(row: 0, column: queue + 1, rows: body, columns: ticket)),
                                  (.customer, Rect(row: 0, column: queue + ticket + 2, rows: body, columns: customer))],
                          separators: [(queue, 0, body), (queue + ticket + 1, 0, body)],
                          status: status, tabBar: nil, tooSmall: false)
        }
        if columns >= 110 {
            let queue = columns * 55 / 100, right = columns - queue - 1
            let ticketRows = body * 2 / 3
            return Layout(panes: [(.queue, Rect(row: 0, column: 0, rows: body, columns: queue)),
                                  (.ticket, Rect(row: 0, column: queue + 1, rows: ticketRows, columns: right)),
                                  (.customer, Rect(row: ticketRows, column: queue + 1, rows: body - ticketRows, columns: right))],
                          separators: [(queue, 0, body)], status: status, tabBar: nil, tooSmall: false)
        }
        return Layout(panes: [(focus, Rect(row: 1, column: 0, rows: body - 1, columns: columns))], separators: [],
                      status: status, tabBar: Rect(row: 0, column: 0, rows: 1, columns: columns), tooSmall: false)
    }
}
