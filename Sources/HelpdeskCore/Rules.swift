import Foundation

/// Validation: turns a command into the events that carry it out, or refuses it.
/// Always run against the freshly caught-up desk, under the log's lock.
public enum Rules {
    public static let highestTier = 3
    public static let logFormat = 1

    public static func decide(_ command: Command, by actor: String, at now: Date, on desk: Desk) throws(Refusal) -> [Event] {
        if case .createDesk(let displayName) = command {
            guard desk.format == nil else { throw Refusal(.conflict, "the desk already exists") }
            try RosterRules.notReserved(actor)
            return [.deskCreated(format: logFormat),
                    .agentAdded(account: actor, displayName: displayName ?? actor, role: .supervisor, tier: highestTier)]
        }
        let agent = try onRoster(actor, desk)
        var rules = TicketRules(desk: desk, agent: agent, now: now)
        switch command {
        case .createDesk: return []
        case .addAgent(let account, let displayName, let role, let tier):
            return try RosterRules.add(account, displayName, role, tier, by: agent, desk)
        case .changeAgent(let account, let displayName, let role, let tier, let active):
            return try RosterRules.change(account, displayName, role, tier, active, by: agent, desk)
        case .saveCustomer(let email, let name, let phone, let organisation, let notes):
            return try CustomerRules.save(email: email, name: name, phone: phone, organisation: organisation,
                                          notes: notes, desk)
        case .openTicket(let email, let name, let subject, let channel, let priority, let body):
            return try rules.open(email: email, name: name, subject: subject, channel: channel,
                                  priority: priority, body: body)
        case .addCustomerMessage(let id, let body): return try rules.customerMessage(id, body)
        case .take(let id, let steal): return try rules.take(id, steal: steal)
        case .give(let id, let to): return try rules.give(id, to: to)
        case .release(let id): return try rules.release(id)
        case .reply(let id, let body): return try rules.reply(id, body)
        case .note(let id, let body): return try rules.note(id, body)
        case .scheduleFollowUp(let id, let due, let note): return try rules.scheduleFollowUp(id, due: due, note: note)
        case .clearFollowUp(let id): return try rules.clearFollowUp(id)
        case .escalate(let id, let reason, let tier): return try rules.escalate(id, reason: reason, tier: tier)
        case .setPriority(let id, let priority): return try rules.setPriority(id, priority)
        case .changeTags(let id, let add, let remove): return try rules.changeTags(id, add: add, remove: remove)
        case .resolve(let id): return try rules.resolve(id)
        case .reopen(let id): return try rules.reopen(id)
        case .close(let id): return try rules.close(id)
        case .hold(let id): return try rules.hold(id)
        case .rate(let id, let score, let comment): return try rules.rate(id, score: score, comment: comment)
        }
    }

    /// The actor must be an active agent on the roster.
    static func onRoster(_ actor: String, _ desk: Desk) throws(Refusal) -> Agent {
        guard desk.format != nil else {
            throw Refusal(.notFound, "the log holds no desk yet; create one with: helpdesk init")
        }
        guard let agent = desk.agents[actor] else {
            throw Refusal(.notAllowed,
                          "account '\(actor)' is not on the desk's roster; a supervisor can add it with: helpdesk agent add \(actor)")
        }
        guard agent.active else {
            throw Refusal(.notAllowed, "agent '\(actor)' is inactive; a supervisor can reactivate it with: helpdesk agent set \(actor) --active")
        }
        return agent
    }

    /// Trimmed text, refused when empty.
    static func required(_ text: String, _ what: String) throws(Refusal) -> String {
        let trimmed = text.trimmingWhitespaceAndNewlines()
        guard !trimmed.isEmpty else { throw Refusal(.invalid, "\(what) is empty") }
        return trimmed
    }
}
