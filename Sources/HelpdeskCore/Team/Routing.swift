import Foundation

/// Runs the routing rules on the tickets a decision opens (from any channel), in order, first
/// match wins; the rule's actions join the same record, after `ticket.routed` naming the rule.
public enum Routing {
    /// What a rule does to a ticket: the rule, and its events.
    public struct Outcome: Equatable, Sendable {
        public var rule: String
        public var events: [Event]
    }

    /// `events` with the routing of each ticket they open added after that ticket's own events.
    static func routed(_ events: [Event], recipients: [String], on desk: Desk) -> [Event] {
        guard !desk.team.rules.isEmpty else { return events }
        var result = events
        for case .ticketOpened(let id, _, _, _, _) in events {
            guard let outcome = outcome(forTicket: id, in: events, recipients: recipients, on: desk) else { continue }
            result += outcome.events
        }
        return result
    }

    /// The first rule that matches the ticket `id` opened by `events`, and what it does.
    public static func outcome(forTicket id: Int, in events: [Event], recipients: [String], on desk: Desk) -> Outcome? {
        guard let facts = facts(ofTicket: id, in: events, recipients: recipients, on: desk),
              let rule = desk.team.rules.first(where: { $0.matches(facts) }) else { return nil }
        return Outcome(rule: rule.name, events: actions(of: rule, ticket: id, priority: priority(of: id, in: events), on: desk))
    }

    static func facts(ofTicket id: Int, in events: [Event], recipients: [String], on desk: Desk) -> RoutingFacts? {
        var opened: (subject: String, customer: Int, channel: Channel)?
        var body = "", from: String?, created: [Int: (email: String, organisation: String?)] = [:]
        for event in events {
            switch event {
            case .ticketOpened(id, let subject, let customer, let channel, _): opened = (subject, customer, channel)
            case .messageAdded(id, .customer, .text(let text)) where body.isEmpty: body = text
            case .messageReceived(id, _, _, _, let sender, _, _) where from == nil: from = sender
            case .customerCreated(let cid, let email, _, _, let organisation, _): created[cid] = (email, organisation)
            default: break
            }
        }
        guard let opened else { return nil }
        let customer = created[opened.customer]
            ?? desk.customer(opened.customer).map { ($0.email, $0.organisation) } ?? ("", nil)
        return RoutingFacts(channel: opened.channel, recipients: recipients, from: from ?? customer.email,
                            subject: opened.subject, body: body, organisation: customer.organisation)
    }

    private static func priority(of id: Int, in events: [Event]) -> Priority {
        for case .ticketOpened(id, _, _, _, let priority) in events { return priority }
        return .normal
    }

    /// A rule's actions on a ticket just opened: the group, the priority, tags, an assignee.
    /// One that no longer fits (a group or agent gone since the rule was added) is left out.
    static func actions(of rule: RoutingRule, ticket id: Int, priority: Priority, on desk: Desk) -> [Event] {
        var events: [Event] = [.ticketRouted(ticket: id, rule: rule.name, mode: nil)]
        var added: [String] = [], current = priority
        for action in rule.parsedActions {
            switch action {
            case .group(let name) where desk.team.groups[name] != nil:
                events.append(.ticketGrouped(ticket: id, group: name, from: nil))
            case .priority(let wanted) where wanted != current:
                events.append(.priorityChanged(ticket: id, from: current, to: wanted))
                current = wanted
            case .tag(let add?, _) where !added.contains(add):
                added.append(add)
            case .assign(let account):
                guard let agent = desk.agents[account], agent.active, agent.mayWork(tier: 1) else { continue }
                events.append(.assigned(ticket: id, to: account, from: nil))
            default: continue
            }
        }
        // A new ticket has no tags yet: only the added ones change anything.
        if !added.isEmpty { events.append(.tagsChanged(ticket: id, added: added, removed: [])) }
        return events
    }
}
