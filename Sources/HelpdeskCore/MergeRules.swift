import Foundation

/// Merging one ticket into another, and linking tickets.
enum MergeRules {
    /// `source` ends closed and merged into `target`, which shows its conversation and takes its mail.
    static func merge(_ source: Int, into target: Int, by agent: Agent, _ desk: Desk) throws(Refusal) -> [Event] {
        guard source != target else { throw Refusal(.invalid, "cannot merge ticket \(source) into itself") }
        let from = try ticket(source, desk), into = try ticket(target, desk)
        if let already = from.mergedInto {
            throw Refusal(.conflict, "ticket \(source) is already merged into #\(already)")
        }
        if let already = into.mergedInto {
            throw Refusal(.conflict, "ticket \(target) is already merged into #\(already); merge into #\(desk.mergeDestination(of: target)) instead")
        }
        guard into.status != .closed else { throw Refusal(.conflict, "ticket \(target) is closed; cannot merge into it") }
        for ticket in [from, into] where !agent.mayWork(tier: ticket.tier) {
            throw Refusal(.notAllowed, "ticket \(ticket.id) is at tier \(ticket.tier); \(agent.account) works at tier \(agent.tier)")
        }
        var events: [Event] = []
        if from.followUp != nil { events.append(.followUpCleared(ticket: source)) }
        if from.status != .closed { events.append(.statusChanged(ticket: source, from: from.status, to: .closed)) }
        return events + [.ticketMerged(ticket: source, into: target)]
    }

    static func link(_ id: Int, to other: Int, as kind: LinkKind, _ desk: Desk) throws(Refusal) -> [Event] {
        guard id != other else { throw Refusal(.invalid, "cannot link ticket \(id) to itself") }
        let ticket = try ticket(id, desk)
        _ = try self.ticket(other, desk)
        if let existing = ticket.links.first(where: { $0.ticket == other }) {
            throw Refusal(.conflict, "ticket \(id) is already linked to #\(other): \(existing.kind.sentence(other, of: id))")
        }
        return [.ticketLinked(ticket: id, other: other, kind: kind)]
    }

    static func unlink(_ id: Int, from other: Int, _ desk: Desk) throws(Refusal) -> [Event] {
        let ticket = try ticket(id, desk)
        _ = try self.ticket(other, desk)
        guard ticket.links.contains(where: { $0.ticket == other }) else {
            throw Refusal(.notFound, "ticket \(id) is not linked to #\(other)")
        }
        return [.ticketUnlinked(ticket: id, other: other)]
    }

    private static func ticket(_ id: Int, _ desk: Desk) throws(Refusal) -> Ticket {
        guard let ticket = desk.ticket(id) else { throw Refusal(.notFound, .noSuchTicket(id)) }
        return ticket
    }
}
