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

/// `M` merges the ticket into another, `L` links it to another or (`-OTHER`) unlinks it: the
/// commands of `helpdesk merge`, `link` and `unlink`, refused as they are.
extension Console {
    /// The ticket number typed at a prompt, "12" or "#12".
    static func ticketNumber(_ text: Substring) -> Int? {
        Int(text.hasPrefix("#") ? text.dropFirst() : text).flatMap { $0 > 0 ? $0 : nil }
    }

    func merge(_ id: Int, into text: String) {
        guard !text.isEmpty else { return }
        guard let target = Console.ticketNumber(Substring(text)) else {
            state.message = StatusMessage(text: "not a ticket number: \(text)", isError: true)
            return
        }
        append(.merge(source: id, target: target), done: "merged #\(id) into #\(target)")
    }

    func link(_ id: Int, _ text: String) {
        let words = text.split(separator: " ")
        guard let first = words.first else { return }
        let unlinking = first.hasPrefix("-")
        guard let other = Console.ticketNumber(unlinking ? first.dropFirst() : first) else {
            state.message = StatusMessage(text: "not a ticket number: \(first)", isError: true)
            return
        }
        if unlinking {
            guard words.count == 1 else {
                state.message = StatusMessage(text: "-\(other) unlinks; it takes no kind", isError: true)
                return
            }
            append(.unlink(ticket: id, other: other), done: "unlinked #\(id) from #\(other)")
            return
        }
        let kinds = LinkKind.allCases.map(\.rawValue).joined(separator: ", ")
        guard words.count <= 2, let kind = words.count == 2 ? LinkKind(rawValue: String(words[1])) : .related else {
            state.message = StatusMessage(text: "a link is OTHER and one kind of: \(kinds) (not \(words.dropFirst().joined(separator: " ")))",
                                          isError: true)
            return
        }
        append(.link(ticket: id, other: other, kind: kind), done: "linked #\(id) to #\(other) (\(kind.rawValue))")
    }
}
