import Foundation

/// Who may save and remove macros (supervisors: they are the desk's shared wording), what a
/// valid macro is, and what applying one to a ticket comes to: each of its steps decided by the
/// ticket's own rules on the ticket as the steps before left it, so a macro may do only what
/// the agent applying it may do, and all of it lands in one record or none of it does.
enum MacroRules {
    static func save(_ macro: Macro, replacing: Bool, by agent: Agent, _ desk: Desk) throws(Refusal) -> [Event] {
        guard agent.isSupervisor else {
            throw Refusal(.notAllowed, "only supervisors may save macros; \(agent.account) is an agent")
        }
        try validName(macro.name)
        if !replacing, desk.macros[macro.name] != nil {
            throw Refusal(.conflict, "a macro named \(macro.name) exists already; replace it or choose another name")
        }
        var macro = macro
        if let text = macro.text {
            guard text.kind != .customer else { throw Refusal(.invalid, "a macro's text is a reply or a note") }
            macro.text?.template = try Rules.withoutTrailingBlanks(text.template, "the macro's \(text.kind.rawValue)")
        }
        if let status = macro.status, !Macro.settableStatuses.contains(status) {
            throw Refusal(.invalid, "a macro cannot set the status \(status.rawValue); choose "
                          + Macro.settableStatuses.map(\.rawValue).joined(separator: ", "))
        }
        macro.addTags = try Tags.normaliseAdded(macro.addTags)
        macro.removeTags = try Tags.normalise(macro.removeTags)
        if let both = macro.addTags.first(where: macro.removeTags.contains) {
            throw Refusal(.invalid, "the tag \(both) is both added and removed")
        }
        if let followUp = macro.followUp {
            guard followUp > 0 else { throw Refusal(.invalid, "the follow-up must be some time ahead") }
            if let status = macro.status {
                throw Refusal(.invalid, "a follow-up leaves the ticket pending; it cannot also set the status \(status.rawValue)")
            }
        }
        if case .agent(let account)? = macro.assignment {
            guard let target = desk.agents[account] else { throw Refusal(.notFound, "no agent \(account) on the roster") }
            guard target.active else { throw Refusal(.notAllowed, "agent \(account) is inactive") }
        }
        if let reason = macro.escalation { macro.escalation = try Rules.required(reason, "the escalation's reason") }
        guard macro.text != nil || macro.hasActions else {
            throw Refusal(.invalid, "the macro \(macro.name) does nothing: give it a reply, a note or an action")
        }
        return [.macroSaved(macro)]
    }

    static func remove(_ name: String, by agent: Agent, _ desk: Desk) throws(Refusal) -> [Event] {
        guard agent.isSupervisor else {
            throw Refusal(.notAllowed, "only supervisors may remove macros; \(agent.account) is an agent")
        }
        guard desk.macros[name] != nil else { throw Refusal(.notFound, "no macro \(name)") }
        return [.macroRemoved(name: name)]
    }

    /// The macro's steps in a fixed order: taking the ticket first (so the text and the changes
    /// are the agent's), then the text, priority, tags, follow-up and the status (a reply then
    /// solved), and last what may take the ticket out of the agent's hands, which the rules on
    /// who may change a ticket would otherwise refuse the steps after: the escalation, then
    /// giving it away or releasing it. A step that would change nothing is left out.
    static func apply(_ name: String, to id: Int, text: String?, rules: inout TicketRules) throws(Refusal) -> [Event] {
        guard let macro = rules.desk.macros[name] else { throw Refusal(.notFound, "no macro \(name)") }
        var ticket = try rules.ticket(id)
        let context = EventContext(seq: rules.desk.lastSeq + 1, at: rules.now, actor: rules.agent.account)
        var events: [Event] = []
        func record(_ new: [Event]) {
            for event in new { Desk.applyToTicket(event, ticket: &ticket, customerEmail: "", context: context) }
            events += new
            rules.current = ticket
        }

        let handOver: Bool
        switch macro.assignment {
        case .me?, .agent(rules.agent.account)?:
            if ticket.assignee != rules.agent.account { record(try rules.take(id, steal: false)) }
            handOver = false
        case .agent?, .nobody?: handOver = true
        case nil: handOver = false
        }
        switch (macro.text?.kind, text) {
        case (.reply?, let text?): record(try rules.reply(id, text))
        case (.note?, let text?): record(try rules.note(id, text))
        case (nil, nil): break
        case (_?, nil): throw Refusal(.invalid, "the macro \(name)'s text was not rendered for ticket \(id)")
        case (nil, _?), (.customer?, _?): throw Refusal(.invalid, "the macro \(name) has no text to send")
        }
        if let priority = macro.priority, priority != ticket.priority { record(try rules.setPriority(id, priority)) }
        let add = macro.addTags.filter { !ticket.tags.contains($0) }, remove = macro.removeTags.filter(ticket.tags.contains)
        if !add.isEmpty || !remove.isEmpty { record(try rules.changeTags(id, add: add, remove: remove)) }
        if let followUp = macro.followUp {
            record(try rules.scheduleFollowUp(id, due: rules.now.addingTimeInterval(TimeInterval(followUp)), note: nil))
        }
        if let status = macro.status, status != ticket.status {
            switch status {
            case .open: record(try rules.reopen(id))
            case .onHold: record(try rules.hold(id))
            case .solved: record(try rules.resolve(id))
            case .closed: record(try rules.close(id))
            case .new, .pending: throw Refusal(.invalid, "a macro cannot set the status \(status.rawValue)")
            }
        }
        // Last, what may take the ticket out of the agent's hands (a higher tier, another holder).
        if let reason = macro.escalation { record(try rules.escalate(id, reason: reason, tier: nil)) }
        if handOver {
            switch macro.assignment {
            case .agent(let account)? where ticket.assignee != account: record(try rules.give(id, to: account))
            case .nobody? where ticket.assignee != nil: record(try rules.release(id))
            default: break
            }
        }
        guard !events.isEmpty else { throw Refusal(.conflict, "the macro \(name) changes nothing on ticket \(id)") }
        return events
    }

    /// One word a person can type: letters, digits, '-', '_' and '.', at most 64.
    /// A name of a macro (or of something else saved by name: `what`).
    static func validName(_ name: String, _ what: String = "macro") throws(Refusal) {
        let allowed = name.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" || $0 == "."
        }
        guard !name.isEmpty, name.count <= 64, allowed, name.first != "-" else {
            throw Refusal(.invalid, "bad \(what) name '\(name)': one word of letters, digits, '-', '_' or '.' (at most 64)")
        }
    }
}
