import Foundation
import HelpdeskCore

/// A ticket the ticket pane lists under the header, selectable with `l`, opened with Enter:
/// the one it was merged into, those merged into it, and its links.
public struct PaneLink: Equatable, Sendable {
    public var ticket: Int
    /// "merged into", "merged from", or what the linked ticket is to this one ("parent").
    public var relation: String
}

extension Console {
    /// The selected ticket's merges and links, in the order the ticket pane lists them.
    public var links: [PaneLink] {
        guard let ticket = selectedTicket else { return [] }
        return (ticket.mergedInto.map { [PaneLink(ticket: $0, relation: "merged into")] } ?? [])
            + ticket.mergedFrom.map { PaneLink(ticket: $0, relation: "merged from") }
            + ticket.links.map { PaneLink(ticket: $0.ticket, relation: $0.kind.rawValue) }
    }

    /// `l` and Enter with the ticket pane focused; false for any other key.
    func handleTicketPane(_ key: Key) -> Bool {
        let links = self.links
        switch KeyTable.ticketPaneKeys[key] {
        case .nextLink?:
            guard !links.isEmpty else {
                state.message = StatusMessage(text: "#\(state.selected ?? 0) has no links", isError: false)
                return true
            }
            state.linkSelection = ((state.linkSelection ?? -1) + 1) % links.count
        case .open?:
            guard let chosen = state.linkSelection, links.indices.contains(chosen) else {
                state.message = StatusMessage(text: "no link selected: l selects one", isError: false)
                return true
            }
            state.selected = links[chosen].ticket
            state.linkSelection = nil
            state.conversationScroll = 0
            state.customerSelection = 0
        default: return false
        }
        return true
    }

    /// `s`: a parent with open children is solved only once the agent says so.
    func solveAsking(_ id: Int) {
        let children = desk.openChildren(of: id)
        if children.isEmpty {
            append(.resolve(ticket: id), done: "solved #\(id)")
        } else {
            state.mode = .question(.solveParent(ticket: id, children: children))
        }
    }

    /// `z`: undoes the agent's last change on the ticket; the status line says what it was.
    func undo(_ id: Int) {
        appendDeciding(done: "undid your last change on #\(id)") { _, _ in .undo(ticket: id) } finished: { [unowned self] appended in
            guard appended, let entry = desk.ticket(id)?.history.last(where: {
                if case .changeUndone = $0.event { true } else { false }
            }) else { return }
            state.message = StatusMessage(text: "#\(id): \(entry.event.summary)", isError: false)
        }
    }
}
