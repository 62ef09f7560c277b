import Foundation
import HelpdeskCore

extension ConsoleView {
    /// Where the queue and the conversation are scrolled to on a screen of this size, from the
    /// layout the panes will draw with: the queue's first row follows the selection, the
    /// conversation scrolls no further than its first line. The programs' update calls this after
    /// every change, so the panes only read the model.
    public mutating func settle(_ console: Console, rows: Int, columns: Int) {
        let layout = Layout.make(rows: rows, columns: columns, focus: console.state.focus)
        if let rect = layout.rect(.queue), rect.rows > 2, !console.queue.ids.isEmpty {
            console.state.queueTop = QueuePane.top(console, visible: rect.rows - 2)
        }
        if let rect = layout.rect(.ticket), let ticket = console.selectedTicket {
            let headerLines = TicketPane(console: console, now: console.now).header(ticket).count
            let space = TicketPane.conversationRows(paneRows: rect.rows, headerLines: headerLines)
            guard space > 0 else { return }
            let lines = conversation.lines(for: ticket, width: rect.columns - 2, history: console.state.showHistory,
                                           console: console)
            console.state.conversationScroll = TicketPane.scroll(console.state.conversationScroll, lines: lines.count,
                                                                 space: space)
        }
    }
}
