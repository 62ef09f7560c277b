import Foundation

/// Undo: an agent takes back their own last change on a ticket, within `window`, when nobody
/// changed the ticket since, by recording the events that compensate it.
enum UndoRules {
    public static let window: TimeInterval = 10 * 60

    static func undo(_ requested: Int?, by agent: Agent, at now: Date, _ desk: Desk) throws(Refusal) -> [Event] {
        let id: Int
        if let requested { id = requested } else { id = try lastTicketChanged(by: agent.account, at: now, desk) }
        guard let ticket = desk.ticket(id) else { throw Refusal(.notFound, .noSuchTicket(id)) }
        let changes = TicketChange.all(of: ticket)
        guard let last = changes.last else { throw Refusal(.notFound, "nothing to undo on ticket \(id)") }
        guard last.actor == agent.account else {
            // Mail coming in, an SLA escalation: the desk's own doings stand in the way too.
            let who = Rules.systemActors.contains(last.actor) ? "\(last.actor) (the desk itself)" : last.actor
            if changes.contains(where: { $0.actor == agent.account }) {
                throw Refusal(.conflict, "\(who) changed ticket \(id) since your last change (\(last.words), "
                              + "\(DurationText.format(now.timeIntervalSince(last.at))) ago); only a change nobody built on is undone")
            }
            throw Refusal(.notAllowed, "the last change on ticket \(id) (\(last.words)) is \(who)'s, not yours; "
                          + "you can only undo your own")
        }
        guard !last.isUndo else {
            throw Refusal(.conflict, "nothing to undo: your last change on ticket \(id) was itself an undo")
        }
        let age = now.timeIntervalSince(last.at)
        guard age <= window else {
            throw Refusal(.conflict, "too late: your last change on ticket \(id) (\(last.words)) was \(DurationText.format(age)) ago; "
                          + "undo works for \(DurationText.format(window))")
        }
        try mayBeUndone(last, id)
        var withdrawn: Int?
        var compensating: [Event] = []
        for entry in last.entries.reversed() {
            switch try compensation(for: entry, in: last, of: ticket, desk) {
            case .events(let events): compensating += events
            case .withdraw(let message): withdrawn = message
            }
        }
        return [.changeUndone(ticket: id, seq: last.seq, what: last.words, message: withdrawn)] + compensating
    }

    /// The ticket the agent changed last, if that was within the window.
    private static func lastTicketChanged(by account: String, at now: Date, _ desk: Desk) throws(Refusal) -> Int {
        guard let id = desk.lastTicketChanged[account], let ticket = desk.ticket(id),
              let mine = TicketChange.all(of: ticket).last(where: { $0.actor == account }),
              now.timeIntervalSince(mine.at) <= window else {
            throw Refusal(.notFound, "nothing to undo: you changed no ticket in the last \(DurationText.format(window))")
        }
        return id
    }

    private enum Compensation {
        case events([Event])
        case withdraw(message: Int)
    }

    private static func compensation(for entry: HistoryEntry, in change: TicketChange, of ticket: Ticket,
                                     _ desk: Desk) throws(Refusal) -> Compensation {
        let id = ticket.id
        switch entry.event {
        case .priorityChanged(_, let from, let to): return .events([.priorityChanged(ticket: id, from: to, to: from)])
        case .statusChanged(_, let from, let to): return .events([.statusChanged(ticket: id, from: to, to: from)])
        case .assigned(_, let to, let from):
            return .events([from.map { .assigned(ticket: id, to: $0, from: to) } ?? .unassigned(ticket: id, from: to)])
        case .unassigned(_, let from): return .events([.assigned(ticket: id, to: from, from: nil)])
        case .tagsChanged(_, let added, let removed): return .events([.tagsChanged(ticket: id, added: removed, removed: added)])
        case .followUpScheduled, .followUpCleared:
            let before = previousFollowUp(of: ticket, before: change.seq)
            return .events([before.map { .followUpScheduled(ticket: id, due: $0.due, note: $0.note) } ?? .followUpCleared(ticket: id)])
        case .escalated(_, let tier, _):
            return .events([.escalated(ticket: id, tier: previousTier(of: ticket, before: change.seq),
                                       reason: "undo of the escalation to tier \(tier)")])
        case .messageAdded(_, .note, _):
            return .withdraw(message: messageNumber(of: entry, in: ticket))
        case .ticketLinked(let a, let b, _):
            guard desk.ticket(a)?.links.contains(where: { $0.ticket == b }) == true else { throw changedSince(id) }
            return .events([.ticketUnlinked(ticket: a, other: b)])
        case .ticketUnlinked(let a, let b):
            guard let kind = previousLink(a, b, in: ticket, before: change.seq),
                  desk.ticket(a)?.links.contains(where: { $0.ticket == b }) == false else { throw changedSince(id) }
            return .events([.ticketLinked(ticket: a, other: b, kind: kind)])
        default:
            throw Refusal(.conflict, "your last change on ticket \(id) (\(change.words)) cannot be undone")
        }
    }

    /// What no compensating event can take back: a reply the customer may have (mail that went
    /// out or waits to), a merge.
    private static func mayBeUndone(_ change: TicketChange, _ id: Int) throws(Refusal) {
        let events = change.entries.map(\.event)
        if events.contains(where: { if case .messageAdded(_, .reply, _) = $0 { true } else { false } }) {
            if events.contains(where: { if case .mailQueued = $0 { true } else { false } }) {
                throw Refusal(.conflict, "your reply on ticket \(id) was mailed (or is queued to be): mail that went out cannot be unsent")
            }
            throw Refusal(.conflict, "your reply on ticket \(id) is the customer's to read: a reply cannot be unsent; add a note instead")
        }
        if events.contains(where: { if case .ticketMerged = $0 { true } else { false } }) {
            throw Refusal(.conflict, "your last change on ticket \(id) was a merge, which cannot be undone")
        }
    }

    private static func changedSince(_ id: Int) -> Refusal {
        Refusal(.conflict, "ticket \(id)'s links changed since; nothing undone")
    }

    private static func previousFollowUp(of ticket: Ticket, before seq: Int) -> FollowUp? {
        var followUp: FollowUp?
        for entry in ticket.history where entry.seq < seq {
            if case .followUpScheduled(_, let due, let note) = entry.event { followUp = FollowUp(due: due, note: note) }
            if case .followUpCleared = entry.event { followUp = nil }
        }
        return followUp
    }

    private static func previousTier(of ticket: Ticket, before seq: Int) -> Int {
        var tier = 1
        for entry in ticket.history where entry.seq < seq {
            if case .escalated(_, let to, _) = entry.event { tier = to }
        }
        return tier
    }

    private static func previousLink(_ a: Int, _ b: Int, in ticket: Ticket, before seq: Int) -> LinkKind? {
        var kind: LinkKind?
        for entry in ticket.history where entry.seq < seq {
            if case .ticketLinked(let x, let y, let k) = entry.event {
                if (x, y) == (a, b) { kind = k } else if (x, y) == (b, a) { kind = k.inverse }
            }
        }
        return kind
    }

    /// The number (1-based) of the message `entry` added to `ticket`.
    private static func messageNumber(of entry: HistoryEntry, in ticket: Ticket) -> Int {
        var number = 0
        for other in ticket.history {
            if case .messageAdded = other.event { number += 1 }
            if other == entry { break }
        }
        return number
    }
}

/// One record's events on one ticket: a change someone made to it. Delivery (mail sent or
/// failed) is not a change: it never stands in the way of an undo.
struct TicketChange {
    var seq: Int
    var at: Date
    var actor: String
    var entries: [HistoryEntry]

    static func all(of ticket: Ticket) -> [TicketChange] {
        var changes: [TicketChange] = []
        for entry in ticket.history {
            switch entry.event {
            case .mailSent, .mailFailed: continue
            default: break
            }
            if changes.last?.seq == entry.seq {
                changes[changes.count - 1].entries.append(entry)
            } else {
                changes.append(TicketChange(seq: entry.seq, at: entry.at, actor: entry.actor, entries: [entry]))
            }
        }
        return changes
    }

    var isUndo: Bool { entries.contains { if case .changeUndone = $0.event { true } else { false } } }

    /// "priority changed", "assigned, status changed".
    var words: String {
        var words: [String] = []
        for entry in entries {
            let word = entry.event.changeWords
            if !words.contains(word) { words.append(word) }
        }
        return words.joined(separator: ", ")
    }
}

extension Event {
    /// What kind of change the event is, in a few words: "priority changed".
    var changeWords: String {
        switch self {
        case .priorityChanged: "priority changed"
        case .statusChanged: "status changed"
        case .assigned: "assigned"
        case .unassigned: "unassigned"
        case .tagsChanged: "tags changed"
        case .followUpScheduled: "follow-up scheduled"
        case .followUpCleared: "follow-up cleared"
        case .escalated: "escalated"
        case .messageAdded(_, let kind, _):
            switch kind {
            case .customer: "customer message added"
            case .reply: "replied"
            case .note: "note added"
            }
        case .ticketLinked: "linked"
        case .ticketUnlinked: "unlinked"
        case .ticketMerged: "merged"
        case .changeUndone: "undone"
        case .ticketOpened: "opened"
        case .satisfactionRated: "rated"
        case .mailQueued: "mail queued"
        default: fields.type.name
        }
    }
}
