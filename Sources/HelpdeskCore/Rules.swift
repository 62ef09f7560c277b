import Foundation

/// Validation: turns a command into the events that carry it out, or refuses it.
/// Always run against the freshly caught-up desk, under the log's lock.
public enum Rules {
    public static let highestTier = 3
    public static let logFormat = 1

    public static func decide(_ command: Command, by actor: String, at now: Date, on desk: Desk) throws(Refusal) -> [Event] {
        try decision(command, by: actor, at: now, on: desk).events
    }

    /// The events a command comes to, and what an adapter reports of it beyond them.
    public struct Decision: Sendable {
        public enum Outcome: Sendable {
            case intake(IntakeResult)
            case customerImport(CustomerImport.Plan)
            case bulk(BulkResult)
        }
        public var events: [Event]
        public var outcome: Outcome?

        public init(events: [Event], outcome: Outcome? = nil) {
            self.events = events
            self.outcome = outcome
        }
    }

    /// The accounts the desk records its own doings under; none of them can be an agent.
    public static let systemActors = [Intake.mailActor, Intake.intakeActor, SLAEscalation.actor]

    /// `decide`, with the outcome of an intake or an import; a ticket it opens is routed by the
    /// desk's rules in the same record (see `Routing`).
    public static func decision(_ command: Command, by actor: String, at now: Date, on desk: Desk) throws(Refusal) -> Decision {
        var decision = try unrouted(command, by: actor, at: now, on: desk)
        decision.events = Routing.routed(decision.events, recipients: command.recipients, on: desk)
        return decision
    }

    private static func unrouted(_ command: Command, by actor: String, at now: Date, on desk: Desk) throws(Refusal) -> Decision {
        switch command {
        case .createDesk(let displayName):
            guard desk.format == nil else { throw Refusal(.conflict, "the desk already exists") }
            try RosterRules.notReserved(actor)
            return Decision(events: [
                .deskCreated(format: logFormat),
                .agentAdded(account: actor, displayName: displayName ?? actor, role: .supervisor, tier: highestTier)])
        case .takeIn(let message, let settings):
            try recordedBy(actor, [Intake.mailActor, Intake.intakeActor], desk)
            let taken = try Intake.decide(message, on: desk, at: now, settings: settings)
            return Decision(events: taken.events, outcome: .intake(taken.result))
        case .releaseFromQuarantine(let message, let settings):
            _ = try onRoster(actor, desk)
            if let block = desk.block(covering: message.fromAddress) {
                throw Refusal(.notAllowed, "\(message.fromAddress) is blocked (\(block.pattern)); unblock it first")
            }
            let taken = try Intake.decide(message, on: desk, at: now, settings: settings)
            return Decision(events: taken.events, outcome: .intake(taken.result))
        case .quarantineMail(let raw, let reason):
            try recordedBy(actor, [Intake.mailActor], desk)
            return Decision(events: [.mailQuarantined(raw: raw, reason: reason)])
        case .recordMailSent(let id, let number, let messageID):
            try recordedBy(actor, [Intake.mailActor], desk)
            let already = desk.ticket(id)?.outbound.first { $0.number == number }?.state == .sent
            return Decision(events: already ? [] : [.mailSent(ticket: id, mail: number, messageID: messageID)])
        case .recordMailFailed(let id, let number, let error):
            try recordedBy(actor, [Intake.mailActor], desk)
            // After it went out only a bounce can fail it (recorded by intake).
            let sent = desk.ticket(id)?.outbound.first { $0.number == number }?.state == .sent
            return Decision(events: sent ? [] : [.mailFailed(ticket: id, mail: number, error: error)])
        case .queueDueSurveys:
            try recordedBy(actor, [Intake.mailActor], desk)
            return Decision(events: Surveys.due(on: desk, now: now))
        case .escalateDueBreaches(let tickets):
            try recordedBy(actor, [SLAEscalation.actor], desk)
            return Decision(events: SLAEscalation.events(on: desk, now: now, tickets: tickets))
        case .changePolicy(let change):
            return Decision(events: try SLARules.decide(change, by: actor, on: desk))
        case .team(let change):
            return Decision(events: try TeamRules.decide(change, by: actor, at: now, on: desk))
        case .importCustomers(let header, let rows):
            _ = try onRoster(actor, desk)
            do {
                let plan = try CustomerImport.plan(header: header, rows: rows, by: actor, at: now, on: desk)
                return Decision(events: plan.events, outcome: .customerImport(plan))
            } catch let refusal as Refusal {
                throw refusal
            } catch {
                throw Refusal(.invalid, "\(error)")
            }
        case .addAgent, .changeAgent, .allowActingRole, .disallowActingRole, .saveCustomer, .openTicket,
             .addCustomerMessage, .take, .give, .release, .reply, .replyAttaching, .note, .scheduleFollowUp, .clearFollowUp, .escalate,
             .setPriority, .changeTags, .resolve, .reopen, .close, .hold, .rate, .saveMacro, .removeMacro, .applyMacro,
             .saveView, .removeView, .blockSender, .unblockSender, .configureSurvey, .allowSurveys, .merge, .link, .unlink, .undo:
            return Decision(events: try byAgent(command, try onRoster(actor, desk), at: now, on: desk))
        case .bulk(let steps, let partial):
            return try BulkRules.decide(steps, partial: partial, by: try onRoster(actor, desk), at: now, on: desk)
        }
    }

    /// What an agent's command comes to.
    static func byAgent(_ command: Command, _ agent: Agent, at now: Date, on desk: Desk) throws(Refusal) -> [Event] {
        var rules = TicketRules(desk: desk, agent: agent, now: now)
        switch command {
        case .createDesk, .changePolicy, .importCustomers, .takeIn, .releaseFromQuarantine, .quarantineMail,
             .recordMailSent, .recordMailFailed, .escalateDueBreaches, .bulk, .queueDueSurveys, .team:
            return []  // decided above, not by an agent's rules
        case .addAgent(let account, let displayName, let role, let tier):
            return try RosterRules.add(account, displayName, role, tier, by: agent, desk)
        case .changeAgent(let account, let displayName, let role, let tier, let active):
            return try RosterRules.change(account, displayName, role, tier, active, by: agent, desk)
        case .allowActingRole(let role):
            return try RosterRules.allowActing(role, by: agent, desk)
        case .disallowActingRole(let role):
            return try RosterRules.disallowActing(role, by: agent, desk)
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
        case .replyAttaching(let id, let body, let attachments): return try rules.reply(id, body, attaching: attachments)
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
        case .saveMacro(let macro, let replacing): return try MacroRules.save(macro, replacing: replacing, by: agent, desk)
        case .removeMacro(let name): return try MacroRules.remove(name, by: agent, desk)
        case .applyMacro(let id, let name, let text): return try MacroRules.apply(name, to: id, text: text, rules: &rules)
        case .saveView(let view, let replacing): return try SavedViewRules.save(view, replacing: replacing, by: agent, desk)
        case .removeView(let name): return try SavedViewRules.remove(name, by: agent, desk)
        case .blockSender(let pattern, let reason): return try BlockRules.block(pattern, reason: reason, by: agent, desk)
        case .unblockSender(let pattern): return try BlockRules.unblock(pattern, by: agent, desk)
        case .configureSurvey(let kind, let every): return try SurveyRules.configure(kind, every: every, by: agent, desk)
        case .allowSurveys(let email, let allowed): return try SurveyRules.allow(email, allowed, desk)
        case .merge(let source, let target): return try MergeRules.merge(source, into: target, by: agent, desk)
        case .link(let id, let other, let kind): return try MergeRules.link(id, to: other, as: kind, desk)
        case .unlink(let id, let other): return try MergeRules.unlink(id, from: other, desk)
        case .undo(let id): return try UndoRules.undo(id, by: agent, at: now, desk)
        }
    }

    /// What the desk records itself is recorded by its own actor, on a desk that exists.
    static func recordedBy(_ actor: String, _ allowed: [String], _ desk: Desk) throws(Refusal) {
        guard desk.format != nil else {
            throw Refusal(.notFound, "the log holds no desk yet; create one with: helpdesk init")
        }
        guard allowed.contains(actor) else {
            throw Refusal(.notAllowed, "only the desk itself (\(allowed.joined(separator: ", "))) records this, not \(actor)")
        }
    }

    /// The actor must be an active agent on the roster.
    static func onRoster(_ actor: String, _ desk: Desk) throws(Refusal) -> Agent {
        guard desk.format != nil else {
            throw Refusal(.notFound, "the log holds no desk yet; create one with: helpdesk init")
        }
        guard let agent = desk.agents[actor] else { throw Refusal(.notAllowed, .notOnRoster(account: actor)) }
        guard agent.active else { throw Refusal(.notAllowed, .inactiveAgent(account: actor)) }
        return agent
    }

    /// Trimmed text, refused when empty.
    static func required(_ text: String, _ what: String) throws(Refusal) -> String {
        let trimmed = text.trimmingWhitespaceAndNewlines()
        guard !trimmed.isEmpty else { throw Refusal(.invalid, "\(what) is empty") }
        return trimmed
    }

    /// Text without trailing blank space, refused when there is nothing in it.
    static func withoutTrailingBlanks(_ text: String, _ what: String) throws(Refusal) -> String {
        _ = try required(text, what)
        var end = text.endIndex
        while end > text.startIndex, text[text.index(before: end)].isWhitespace { end = text.index(before: end) }
        return String(text[..<end])
    }
}
