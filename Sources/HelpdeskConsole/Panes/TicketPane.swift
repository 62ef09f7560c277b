import Foundation
import HelpdeskCore

/// The selected ticket: its header, then the conversation (or the history), newest at the
/// bottom, wrapped at word boundaries, scrollable.
struct TicketPane {
    /// Bodies longer than this are cut on screen (`helpdesk show` prints them whole), so a
    /// 10 MB message cannot slow the console down.
    static let bodyLimit = 64 * 1024

    let console: Console
    let now: Date

    func draw(in rect: Rect, grid: CellGrid, focused: Bool, lines cache: inout ConversationCache) {
        guard let ticket = console.selectedTicket else {
            Chrome.title(" Ticket", in: rect, grid: grid, focused: focused)
            grid.draw("no ticket selected", row: rect.row + 2, column: rect.column + 1, width: rect.columns - 1, role: .dim)
            return
        }
        Chrome.title(" #\(ticket.id) \(ticket.subject)", in: rect, grid: grid, focused: focused)
        let header = self.header(ticket)
        var row = rect.row + 1
        for (text, role) in header where row < rect.row + rect.rows {
            grid.draw(text, row: row, column: rect.column + 1, width: rect.columns - 1, role: role)
            row += 1
        }
        let width = rect.columns - 2
        let lines = cache.lines(for: ticket, width: width, history: console.state.showHistory, console: console)
        let space = rect.row + rect.rows - row
        guard space > 0 else { return }
        let scroll = TicketPane.scroll(console.state.conversationScroll, lines: lines.count, space: space)
        let end = lines.count - scroll
        let start = max(end - space, 0)
        let highlighted = TicketPane.highlightedWords(console.state.filter)
        for line in lines[start..<end] {
            grid.draw(line.text, row: row, column: rect.column + 1, width: width, role: line.role)
            if line.isBody { TicketPane.highlight(highlighted, in: line.text, row: row, column: rect.column + 1, width: width, grid: grid) }
            row += 1
        }
    }

    /// The words of the queue's filter that the conversation shows marked: those `/` looks for
    /// in conversations (see `ConversationMatches`).
    static func highlightedWords(_ filter: String) -> [String] {
        SearchQuery.words(of: filter).filter { $0.count >= ConversationMatches.shortestWord }
    }

    /// Draws again, in the `match` role, the words of `line` that start with one of `words`.
    static func highlight(_ words: [String], in line: String, row: Int, column: Int, width: Int, grid: CellGrid) {
        guard !words.isEmpty else { return }
        let visible = VisibleText.sanitize(line)
        for range in SearchText.ranges(in: visible, startingWith: words) {
            let offset = TextWidth.columns(of: String(visible[..<range.lowerBound]))
            guard offset < width else { break }
            grid.draw(String(visible[range]), row: row, column: column + offset, width: width - offset, role: .match)
        }
    }

    /// Scrolled no further than the first line.
    static func scroll(_ wanted: Int, lines: Int, space: Int) -> Int {
        min(wanted, max(lines - space, 0))
    }

    /// Rows left for the conversation under the header in a pane of `rows` rows.
    static func conversationRows(paneRows rows: Int, headerLines: Int) -> Int {
        rows - 1 - min(headerLines, max(rows - 1, 0))
    }

    /// The lines above the conversation: state, tags, follow-up, who else looks, an unsent draft.
    func header(_ ticket: Ticket) -> [(String, Role)] {
        var header: [(String, Role)] = [
            ("\(ticket.status.rawValue) · \(ticket.priority.rawValue) · tier \(ticket.tier) · \(ticket.assignee.map { "assigned to \($0)" } ?? "unassigned") · \(ticket.channel.rawValue)", .normal),
        ]
        if !ticket.tags.isEmpty { header.append(("tags: " + ticket.tags.joined(separator: " "), .dim)) }
        if let rating = ticket.rating {
            header.append(("rated \(rating.score)/5 by the customer" + (rating.comment.map { ": \($0)" } ?? ""), .normal))
        }
        if let followUp = ticket.followUp {
            let due = ticket.isFollowUpDue(now: now) ? "due since \(DurationText.short(now.timeIntervalSince(followUp.due)))"
                : "in \(DurationText.short(followUp.due.timeIntervalSince(now)))"
            header.append(("follow-up \(due)" + (followUp.note.map { ": \($0)" } ?? ""),
                           ticket.isFollowUpDue(now: now) ? .followUpDue : .normal))
        }
        if let viewers = console.viewers[ticket.id], !viewers.isEmpty {
            header.append(("also here: " + viewers.joined(separator: ", "), .presence))
        }
        if let draft = console.state.drafts[ticket.id] {
            let files = draft.attachments.isEmpty ? "" : ", with " + draft.attachments.map(\.name).joined(separator: ", ")
            header.append(("unsent \(draft.kind.rawValue) draft (\(draft.text.count) characters\(files))", .error))
        }
        // Merges and links, one a line: `l` selects one (highlighted while the pane has focus), Enter opens it.
        let chosen = console.state.focus == .ticket ? console.state.linkSelection : nil
        for (index, link) in console.links.enumerated() {
            let other = console.desk.ticket(link.ticket)
            header.append(("→ \(link.relation) #\(link.ticket)" + (other.map { " \($0.status.rawValue) · \($0.subject)" } ?? ""),
                           index == chosen ? .selectedRow : .dim))
        }
        return header
    }
}

/// The wrapped lines of the ticket last shown, kept until the ticket, its history or the
/// width changes, so scrolling and redraws read no body from the log.
struct ConversationCache {
    struct Line: Equatable {
        var text: String
        var role: Role
        /// A line of a message's text (not a header or a note about it): the filter's words are marked in it.
        var isBody = false
    }

    private var key: (ticket: Int, version: Int, width: Int, history: Bool)?
    private var cached: [Line] = []
    /// A body could not be read (the desk's database was unreachable): read again once it is back.
    private var unread = false

    mutating func lines(for ticket: Ticket, width: Int, history: Bool, console: Console) -> [Line] {
        // The tickets merged into this one change what it shows too.
        let version = ([ticket.id] + console.desk.mergedTickets(into: ticket.id)).reduce(0) {
            $0 + (console.desk.ticket($1)?.historyCount ?? 0)
        }
        if let key, key.ticket == ticket.id, key.version == version, key.width == width, key.history == history,
           !unread || console.state.reconnecting != nil {
            return cached
        }
        unread = false
        cached = history ? historyLines(ticket, width: width) : conversationLines(ticket, width: width, console: console)
        key = (ticket.id, version, width, history)
        return cached
    }

    private mutating func conversationLines(_ ticket: Ticket, width: Int, console: Console) -> [Line] {
        var lines: [Line] = []
        let customerEmail = console.desk.customer(ticket.customerID)?.email.lowercased()
        // Each ticket's mail and attachments, looked up once: this one's, and those merged into it.
        var holders: [Int: (outbound: [OutboundMail], received: [ReceivedMessage], attachments: [Attachment])] = [:]
        let conversation = console.desk.conversation(of: ticket.id)
        // Read together (from a database, a query for them all rather than one per message);
        // should one fail, each is read on its own below.
        let texts = console.state.reconnecting == nil ? try? console.log.texts(of: conversation.map(\.message.body)) : nil
        for (position, entry) in conversation.enumerated() {
            let number = entry.number, message = entry.message
            if holders[entry.ticket] == nil, let holder = console.desk.ticket(entry.ticket) {
                holders[entry.ticket] = (holder.outbound, holder.received, holder.attachments)
            }
            let (outbound, received, attachments) = holders[entry.ticket] ?? ([], [], [])
            let (label, role): (String, Role) = switch message.kind {
            case .customer: ("customer", .customerMessage)
            case .reply: ("reply", .reply)
            case .note: ("internal note", .note)
            }
            var header = "── \(label) · \(message.author) · \(Timestamp.format(message.at).prefix(16).replacingOccurrences(of: "T", with: " "))"
                + (entry.ticket == ticket.id ? "" : " · from #\(entry.ticket)")
            var headerRole = role
            if let came = received.last(where: { $0.message == number }) {
                header += " · by \(came.channel.rawValue)"
                if came.channel == .email, let customerEmail, came.from.lowercased() != customerEmail {
                    header += " from \(came.from), NOT the ticket's customer"
                    headerRole = .error
                }
            }
            if let mail = outbound.first(where: { $0.message == number }) {
                switch mail.state {
                case .sent: header += " · mailed"
                case .queued: header += " · mail queued"
                case .failed where mail.bounce != nil:
                    header += " · MAIL FAILED: \(mail.bounce ?? "")"
                    headerRole = .error
                case .failed where mail.isFinal:
                    header += " · NOT SENT: \(mail.lastError ?? "")"
                    headerRole = .error
                case .failed:
                    header += " · MAIL FAILED (\(mail.attempts)×): \(mail.lastError ?? "")"
                    headerRole = .error
                }
            }
            lines.append(Line(text: "", role: .normal))
            lines += TextWidth.wrap(header, width: width).map { Line(text: $0, role: headerRole) }
            var body: String
            if console.state.reconnecting != nil, case .logged = message.body {
                // Not tried: each try would wait on the network.
                body = "(this message is read from the desk's database once it is back)"
                unread = true
            } else if let text = texts?[position] ?? (try? console.log.text(of: message.body)) {
                body = text
            } else {
                body = "(this message could not be read from the log)"
                unread = console.log.location.filePath == nil
            }
            var cut = 0
            if body.utf8.count > TicketPane.bodyLimit {
                let kept = body.utf8.prefix(TicketPane.bodyLimit)
                cut = body.utf8.count - kept.count
                body = String(decoding: kept, as: UTF8.self)
            }
            let bodyRole: Role = message.kind == .note ? .note : .normal
            for line in TextWidth.wrap(body.replacingOccurrences(of: "\t", with: "    "), width: width) {
                lines.append(Line(text: line, role: message.kind == .note ? bodyRole : .normal, isBody: true))
            }
            if cut > 0 {
                lines.append(Line(text: "(… \(cut) more bytes: helpdesk show \(entry.ticket) prints it all)", role: .dim))
            }
            for attachment in attachments where attachment.message == number {
                let text = "[attachment \(attachment.number)] \(attachment.name) (\(attachment.type), \(attachment.size) bytes)"
                    + " · helpdesk attachment \(entry.ticket) \(attachment.number)"
                lines += TextWidth.wrap(text, width: width).map { Line(text: $0, role: .dim) }
            }
        }
        if conversation.isEmpty { lines.append(Line(text: "no messages yet", role: .dim)) }
        return lines
    }

    private func historyLines(_ ticket: Ticket, width: Int) -> [Line] {
        var lines = [Line(text: "history (h returns to the conversation)", role: .header)]
        for entry in ticket.history {
            let who = entry.actor + (entry.via.map { " via \($0)" } ?? "")
            let text = "\(Timestamp.format(entry.at).prefix(16).replacingOccurrences(of: "T", with: " ")) \(who): \(entry.event.summary)"
            lines += TextWidth.wrap(text, width: width).map { Line(text: $0, role: .history) }
        }
        return lines
    }
}

/// The customer of the selected ticket and all their tickets, selectable.
struct CustomerPane {
    let console: Console

    func draw(in rect: Rect, grid: CellGrid, focused: Bool) {
        guard let ticket = console.selectedTicket, let customer = console.desk.customer(ticket.customerID) else {
            Chrome.title(" Customer", in: rect, grid: grid, focused: focused)
            return
        }
        Chrome.title(" \(customer.name)", in: rect, grid: grid, focused: focused)
        var row = rect.row + 1
        let width = rect.columns - 1
        let details = [customer.email, customer.phone.map { "phone \($0)" }, customer.organisation, customer.notes]
        for detail in details.compactMap({ $0 }) where row < rect.row + rect.rows {
            for line in TextWidth.wrap(detail, width: width) where row < rect.row + rect.rows {
                grid.draw(line, row: row, column: rect.column + 1, width: width, role: .normal)
                row += 1
            }
        }
        guard row + 1 < rect.row + rect.rows else { return }
        row += 1
        guard let tickets = console.customerTickets() else {
            grid.draw("tickets (reading the desk…)", row: row, column: rect.column + 1, width: width, role: .dim)
            return
        }
        grid.draw("tickets (\(tickets.count))", row: row, column: rect.column + 1, width: width, role: .header)
        row += 1
        let visible = rect.row + rect.rows - row
        guard visible > 0 else { return }
        let selection = focused ? console.state.customerSelection : -1
        let top = max(0, selection - visible + 1)
        for (index, other) in tickets.enumerated().dropFirst(top).prefix(visible) {
            let role: Role = index == selection ? .selectedRow : (other.id == ticket.id ? .paneTitle : .normal)
            grid.fill(row: row, column: rect.column, width: rect.columns, role: role)
            let date = Timestamp.format(other.createdAt).prefix(10)
            grid.draw("#\(other.id) \(other.status.rawValue) \(date) \(other.subject)", row: row, column: rect.column + 1,
                      width: width, role: role)
            row += 1
        }
    }
}
