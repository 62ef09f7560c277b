import Foundation

/// What a bulk action did: the tickets changed, in the order given, and each one refused with why.
public struct BulkResult: Equatable, Sendable {
    public struct Refused: Equatable, Sendable {
        public var ticket: Int
        public var reason: String
    }
    public var applied: [Int]
    public var refused: [Refused]
}

/// One action on many tickets in one record. Each ticket's step is decided by the ticket's own
/// rules on the desk as the steps before left it (as `MacroRules.apply` does for one ticket's
/// steps), so a bulk may do only what the agent may do ticket by ticket. All or none: one
/// refusal refuses the whole, naming every refusal; `partial` records the others instead.
enum BulkRules {
    static func decide(_ steps: [Command], partial: Bool, by agent: Agent, at now: Date,
                       on desk: Desk) throws(Refusal) -> Rules.Decision {
        guard !steps.isEmpty else { throw Refusal(.invalid, "a bulk action needs at least one ticket") }
        var desk = desk
        let context = EventContext(seq: desk.lastSeq + 1, at: now, actor: agent.account)
        var events: [Event] = [], applied: [Int] = [], refused: [BulkResult.Refused] = []
        var seen = Set<Int>()
        for step in steps {
            guard let id = step.bulkTicket else { throw Refusal(.invalid, "this action cannot be done in bulk") }
            guard seen.insert(id).inserted else { throw Refusal(.invalid, "ticket \(id) is named twice") }
            let stepEvents: [Event]
            do {
                stepEvents = try Rules.byAgent(step, agent, at: now, on: desk)
            } catch {
                refused.append(BulkResult.Refused(ticket: id, reason: error.message))
                continue
            }
            do {
                for event in stepEvents { try desk.apply(event, context: context) }
            } catch {
                throw Refusal(.invalid, "ticket \(id): \(error.description)")
            }
            events += stepEvents
            applied.append(id)
        }
        if !refused.isEmpty, !partial || applied.isEmpty {
            let named = refused.map { $0.reason.hasPrefix("#\($0.ticket) ") ? $0.reason : "#\($0.ticket): \($0.reason)" }
                .joined(separator: "; ")
            throw Refusal(.conflict, "\(refused.count) of \(steps.count) refused: \(named); nothing applied")
        }
        return Rules.Decision(events: events, outcome: .bulk(BulkResult(applied: applied, refused: refused)))
    }
}

extension Command {
    /// The ticket a step of a bulk action changes; nil for a command that is not such a step
    /// (replies are left out: a bulk never mails customers save through a macro).
    var bulkTicket: Int? {
        switch self {
        case .take(let id, _), .give(let id, _), .release(let id), .note(let id, _), .scheduleFollowUp(let id, _, _),
             .clearFollowUp(let id), .escalate(let id, _, _), .setPriority(let id, _), .changeTags(let id, _, _),
             .resolve(let id), .reopen(let id), .close(let id), .hold(let id), .applyMacro(let id, _, _):
            id
        case .createDesk, .addAgent, .changeAgent, .saveCustomer, .openTicket, .addCustomerMessage, .reply, .replyAttaching, .rate,
             .saveMacro, .removeMacro, .saveView, .removeView, .changePolicy, .allowActingRole, .disallowActingRole,
             .importCustomers, .takeIn, .releaseFromQuarantine, .quarantineMail, .recordMailSent, .recordMailFailed,
             .escalateDueBreaches, .bulk, .blockSender, .unblockSender,
             .configureSurvey, .allowSurveys, .queueDueSurveys, .merge, .link, .unlink, .undo, .team:
            nil
        }
    }
}
