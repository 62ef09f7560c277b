import Foundation

/// The rules for everything done to a ticket, for one agent at one moment.
struct TicketRules {
    let desk: Desk
    let agent: Agent
    let now: Date
    /// The ticket as the steps decided so far leave it (a macro's steps, one after another).
    var current: Ticket?

    init(desk: Desk, agent: Agent, now: Date) {
        self.desk = desk
        self.agent = agent
        self.now = now
    }

    func ticket(_ id: Int) throws(Refusal) -> Ticket {
        if let current, current.id == id { return current }
        guard let ticket = desk.ticket(id) else { throw Refusal(.notFound, .noSuchTicket(id)) }
        return ticket
    }

    /// A ticket that can still be worked: neither solved nor closed.
    private func workable(_ id: Int, to action: String) throws(Refusal) -> Ticket {
        let ticket = try ticket(id)
        switch ticket.status {
        case .closed: throw Refusal(.conflict, "ticket \(id) is closed; cannot \(action) it")
        case .solved: throw Refusal(.conflict, "ticket \(id) is solved; reopen it first to \(action) it")
        default: return ticket
        }
    }

    private func notClosed(_ id: Int, to action: String) throws(Refusal) -> Ticket {
        let ticket = try ticket(id)
        guard ticket.status != .closed else { throw Refusal(.conflict, "ticket \(id) is closed; cannot \(action) it") }
        return ticket
    }

    /// Body text without trailing blank space, refused when there is nothing in it.
    private func body(_ text: String, _ what: String) throws(Refusal) -> MessageBody {
        .text(try Rules.withoutTrailingBlanks(text, what))
    }

    private func status(_ ticket: Ticket, to status: Status) -> [Event] {
        ticket.status == status ? [] : [.statusChanged(ticket: ticket.id, from: ticket.status, to: status)]
    }

    /// Work on a `new` ticket makes it `open`.
    private func openIfNew(_ ticket: Ticket) -> [Event] {
        ticket.status == .new ? status(ticket, to: .open) : []
    }

    private func clearFollowUp(of ticket: Ticket) -> [Event] {
        ticket.followUp == nil ? [] : [.followUpCleared(ticket: ticket.id)]
    }

    /// Who may change a ticket (its status, priority, follow-up, tags) or reply on it: a
    /// supervisor, or an agent whose ticket it is or who may take it (unassigned, at or below
    /// their tier). Notes are open to every agent on the roster.
    private func mayChange(_ ticket: Ticket) throws(Refusal) {
        guard !agent.isSupervisor else { return }
        if let holder = ticket.assignee, holder != agent.account {
            throw Refusal(.notAllowed, "#\(ticket.id) is \(holder)'s")
        }
        guard agent.mayWork(tier: ticket.tier) else {
            throw Refusal(.notAllowed, "#\(ticket.id) is tier \(ticket.tier), you are tier \(agent.tier)")
        }
    }

    /// Escalating is open to the assignee, to anyone who may take the ticket (unassigned, at or
    /// below their tier) and to supervisors: an assignee may pass on what is beyond them.
    private func mayEscalate(_ ticket: Ticket) throws(Refusal) {
        if agent.isSupervisor || ticket.assignee == agent.account { return }
        try mayChange(ticket)
    }

    private func mayWork(_ agent: Agent, _ ticket: Ticket) throws(Refusal) {
        guard agent.mayWork(tier: ticket.tier) else {
            throw Refusal(.notAllowed, "ticket \(ticket.id) is at tier \(ticket.tier); \(agent.account) works at tier \(agent.tier)")
        }
        try GroupWork.check(agent, ticket, desk)
    }

    mutating func open(email: String, name: String?, subject: String, channel: Channel,
                       priority: Priority, body text: String?) throws(Refusal) -> [Event] {
        let subject = try Rules.required(subject, "the subject")
        var events: [Event] = []
        let customerID: Int
        if let existing = desk.customer(email: email) {
            customerID = existing.id
        } else {
            events += try CustomerRules.save(email: email, name: name, phone: nil, organisation: nil, notes: nil, desk)
            customerID = desk.nextCustomerID
        }
        let id = desk.nextTicketID
        events.append(.ticketOpened(ticket: id, subject: subject, customer: customerID, channel: channel, priority: priority))
        if let text, !text.trimmingWhitespaceAndNewlines().isEmpty {
            events.append(.messageAdded(ticket: id, kind: .customer, body: try body(text, "the message")))
        }
        return events
    }

    func customerMessage(_ id: Int, _ text: String) throws(Refusal) -> [Event] {
        let ticket = try ticket(id)
        guard ticket.status != .closed else {
            throw Refusal(.conflict, "ticket \(id) is closed; open a new ticket for the customer")
        }
        // The customer writing puts the ticket back in the working queue.
        let back = ticket.status == .new ? [] : status(ticket, to: .open)
        return [.messageAdded(ticket: id, kind: .customer, body: try body(text, "the message"))]
            + clearFollowUp(of: ticket) + back
    }

    func take(_ id: Int, steal: Bool) throws(Refusal) -> [Event] {
        let ticket = try workable(id, to: "take")
        try mayWork(agent, ticket)
        switch ticket.assignee {
        case agent.account?:
            throw Refusal(.conflict, "ticket \(id) is already yours")
        case let other? where !steal:
            throw Refusal(.conflict, .assignedToOther(ticket: id, holder: other))
        default:
            return [.assigned(ticket: id, to: agent.account, from: ticket.assignee)] + openIfNew(ticket)
        }
    }

    func give(_ id: Int, to account: String) throws(Refusal) -> [Event] {
        let ticket = try workable(id, to: "give")
        guard ticket.assignee == agent.account || agent.isSupervisor else {
            let who = ticket.assignee.map { "the assignee (\($0)) or a supervisor" } ?? "a supervisor (it is unassigned)"
            throw Refusal(.notAllowed, "only \(who) can give ticket \(id) away")
        }
        guard let target = desk.agents[account] else { throw Refusal(.notFound, "no agent \(account) on the roster") }
        guard target.active else { throw Refusal(.notAllowed, "agent \(account) is inactive") }
        guard ticket.assignee != account else { throw Refusal(.conflict, "ticket \(id) is already assigned to \(account)") }
        try mayWork(target, ticket)
        return [.assigned(ticket: id, to: account, from: ticket.assignee)] + openIfNew(ticket)
    }

    func release(_ id: Int) throws(Refusal) -> [Event] {
        let ticket = try notClosed(id, to: "release")
        guard let assignee = ticket.assignee else { throw Refusal(.conflict, "ticket \(id) is not assigned") }
        guard assignee == agent.account || agent.isSupervisor else {
            throw Refusal(.notAllowed, "ticket \(id) is assigned to \(assignee); only they or a supervisor can release it")
        }
        return [.unassigned(ticket: id, from: assignee)]
    }

    func reply(_ id: Int, _ text: String, attaching files: [AttachmentRef] = []) throws(Refusal) -> [Event] {
        let ticket = try notClosed(id, to: "reply to")
        try mayChange(ticket)
        try BlockRules.refuseMailTo(ticket, on: desk)
        let index = ticket.messages.count + 1
        let attachments = files.map { Event.attachmentAdded(ticket: id, message: index, name: $0.name, type: $0.type,
                                                            size: $0.size, sha256: $0.sha256) }
        // Replying on an unassigned ticket takes it, as in Zendesk: the customer now has someone.
        let taking: [Event] = ticket.assignee == nil ? [.assigned(ticket: id, to: agent.account, from: nil)] : []
        return taking + [.messageAdded(ticket: id, kind: .reply, body: try body(text, "the reply"))] + attachments
            + openIfNew(ticket) + Intake.queueReply(ticket, message: index)
    }

    func note(_ id: Int, _ text: String) throws(Refusal) -> [Event] {
        _ = try ticket(id)
        return [.messageAdded(ticket: id, kind: .note, body: try body(text, "the note"))]
    }

    func scheduleFollowUp(_ id: Int, due: Date, note: String?) throws(Refusal) -> [Event] {
        let ticket = try workable(id, to: "schedule a follow-up for")
        try mayChange(ticket)
        guard due > now else {
            throw Refusal(.invalid, "the follow-up time \(Timestamp.format(due)) is not in the future")
        }
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        return [.followUpScheduled(ticket: id, due: due, note: note?.isEmpty == false ? note : nil)]
            + status(ticket, to: .pending)
    }

    func clearFollowUp(_ id: Int) throws(Refusal) -> [Event] {
        let ticket = try ticket(id)
        guard ticket.followUp != nil else { throw Refusal(.conflict, "ticket \(id) has no follow-up") }
        try mayChange(ticket)
        return clearFollowUp(of: ticket) + (ticket.status == .pending ? status(ticket, to: .open) : [])
    }

    func escalate(_ id: Int, reason: String, tier requested: Int?) throws(Refusal) -> [Event] {
        let ticket = try workable(id, to: "escalate")
        try mayEscalate(ticket)
        let reason = try Rules.required(reason, "the reason")
        guard ticket.tier < Rules.highestTier else {
            throw Refusal(.conflict, "ticket \(id) is already at tier \(ticket.tier), the highest")
        }
        let tier = requested ?? ticket.tier + 1
        guard tier > ticket.tier, tier <= Rules.highestTier else {
            throw Refusal(.invalid, "cannot escalate ticket \(id) from tier \(ticket.tier) to tier \(tier); choose \(ticket.tier + 1) to \(Rules.highestTier)")
        }
        var events: [Event] = [.escalated(ticket: id, tier: tier, reason: reason)]
        // The ticket leaves an assignee who does not work at the new tier.
        if let assignee = ticket.assignee, let holder = desk.agents[assignee], !holder.mayWork(tier: tier) {
            events.append(.unassigned(ticket: id, from: assignee))
        }
        return events
    }

    func setPriority(_ id: Int, _ priority: Priority) throws(Refusal) -> [Event] {
        let ticket = try notClosed(id, to: "change the priority of")
        try mayChange(ticket)
        guard ticket.priority != priority else {
            throw Refusal(.conflict, "ticket \(id) is already \(priority.rawValue) priority")
        }
        return [.priorityChanged(ticket: id, from: ticket.priority, to: priority)]
    }

    func changeTags(_ id: Int, add: [String], remove: [String]) throws(Refusal) -> [Event] {
        let ticket = try ticket(id)
        try mayChange(ticket)
        let add = try Tags.normaliseAdded(add), remove = try Tags.normalise(remove)
        let added = add.filter { !ticket.tags.contains($0) && !remove.contains($0) }
        let removed = remove.filter { ticket.tags.contains($0) }
        guard !added.isEmpty || !removed.isEmpty else {
            throw Refusal(.conflict, "ticket \(id) already has those tags; nothing to change")
        }
        return [.tagsChanged(ticket: id, added: added, removed: removed)]
    }

    func resolve(_ id: Int) throws(Refusal) -> [Event] {
        let ticket = try notClosed(id, to: "solve")
        try mayChange(ticket)
        guard ticket.status != .solved else { throw Refusal(.conflict, "ticket \(id) is already solved") }
        return clearFollowUp(of: ticket) + status(ticket, to: .solved)
    }

    /// Back to `open`: a solved ticket, one on hold, or one pending (its follow-up cleared).
    func reopen(_ id: Int) throws(Refusal) -> [Event] {
        let ticket = try ticket(id)
        switch ticket.status {
        case .solved, .onHold, .pending:
            try mayChange(ticket)
            return clearFollowUp(of: ticket) + status(ticket, to: .open)
        case .closed: throw Refusal(.conflict, "ticket \(id) is closed and stays closed; open a new ticket instead")
        case .new, .open: throw Refusal(.conflict, "ticket \(id) is \(ticket.status.rawValue), not solved, pending or on hold")
        }
    }

    func close(_ id: Int) throws(Refusal) -> [Event] {
        let ticket = try ticket(id)
        guard ticket.status != .closed else { throw Refusal(.conflict, "ticket \(id) is already closed") }
        try mayChange(ticket)
        return clearFollowUp(of: ticket) + status(ticket, to: .closed)
    }

    func hold(_ id: Int) throws(Refusal) -> [Event] {
        let ticket = try workable(id, to: "put on hold")
        guard ticket.status != .onHold else { throw Refusal(.conflict, "ticket \(id) is already on hold") }
        try mayChange(ticket)
        return status(ticket, to: .onHold)
    }

    func rate(_ id: Int, score: Int, comment: String?) throws(Refusal) -> [Event] {
        let ticket = try ticket(id)
        guard (1...5).contains(score) else { throw Refusal(.invalid, "the score \(score) is not between 1 and 5") }
        guard ticket.status == .solved || ticket.status == .closed else {
            throw Refusal(.conflict, "ticket \(id) is \(ticket.status.rawValue); only solved or closed tickets are rated")
        }
        let comment = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        return [.satisfactionRated(ticket: id, score: score, comment: comment?.isEmpty == false ? comment : nil)]
    }
}

enum Tags {
    /// Tags are lower case words: no spaces or commas, so they survive CSV and the filter line.
    static func normalise(_ tags: [String]) throws(Refusal) -> [String] {
        var result: [String] = []
        for raw in tags {
            let tag = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard !tag.isEmpty, !tag.contains(where: { $0.isWhitespace || $0 == "," || $0.isASCII && $0.asciiValue! < 32 }) else {
                throw Refusal(.invalid, "bad tag '\(raw)': a tag is one word without spaces or commas")
            }
            if !result.contains(tag) { result.append(tag) }
        }
        return result
    }

    /// Tags to add: besides being words, none is a bare number, which is nearly always a ticket
    /// id typed in the wrong place (`tag 6 8 +bulk`). Removing one stays possible.
    static func normaliseAdded(_ tags: [String]) throws(Refusal) -> [String] {
        let result = try normalise(tags)
        if let number = result.first(where: { $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) {
            throw Refusal(.invalid, "bad tag '\(number)': a tag cannot be a bare number (is it a ticket id?)")
        }
        return result
    }
}
