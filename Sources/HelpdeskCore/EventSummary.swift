import Foundation

extension Event {
    /// One line for people, as history lists show it: "took it from bob", "escalated to tier 2: …".
    public var summary: String {
        switch self {
        case .deskCreated(let format): return "created the desk (log format \(format))"
        case .agentAdded(let account, let name, let role, let tier):
            return "added \(role.rawValue) \(account) (\(name)) at tier \(tier)"
        case .agentChanged(let account, let name, let role, let tier, let active):
            var changes: [String] = []
            if let name { changes.append("name \(name)") }
            if let role { changes.append("role \(role.rawValue)") }
            if let tier { changes.append("tier \(tier)") }
            if let active { changes.append(active ? "active" : "inactive") }
            return "changed agent \(account): " + changes.joined(separator: ", ")
        case .customerCreated(_, let email, let name, _, _, _): return "created customer \(name) <\(email)>"
        case .customerUpdated(let id, _, _, _, _, _): return "updated customer \(id)"
        case .ticketOpened(_, let subject, _, let channel, let priority):
            return "opened it by \(channel.rawValue), \(priority.rawValue) priority: \(subject)"
        case .messageAdded(_, let kind, _):
            switch kind {
            case .customer: return "added a customer message"
            case .reply: return "replied"
            case .note: return "added an internal note"
            }
        case .assigned(_, let to, let from):
            return "assigned it to \(to)" + (from.map { " (taken from \($0))" } ?? "")
        case .unassigned(_, let from): return "unassigned it from \(from)"
        case .priorityChanged(_, let from, let to): return "changed priority \(from.rawValue) → \(to.rawValue)"
        case .statusChanged(_, let from, let to): return "changed status \(from.rawValue) → \(to.rawValue)"
        case .escalated(_, let tier, let reason): return "escalated to tier \(tier): \(reason)"
        case .followUpScheduled(_, let due, let note):
            return "scheduled a follow-up for \(Timestamp.format(due))" + (note.map { ": \($0)" } ?? "")
        case .followUpCleared: return "cleared the follow-up"
        case .tagsChanged(_, let added, let removed):
            return "changed tags " + (added.map { "+\($0)" } + removed.map { "-\($0)" }).joined(separator: " ")
        case .satisfactionRated(_, let score, let comment):
            return "rated \(score)/5" + (comment.map { ": \($0)" } ?? "")
        case .messageReceived(_, let message, let channel, let id, let from, _, let automatic):
            let what = automatic.map { "\($0.rawValue) mail" } ?? "message \(message)"
            return "received \(what) by \(channel.rawValue) from \(from) (\(id))"
        case .attachmentAdded(_, let message, let name, let type, let size, _):
            return "received attachment \(name) (\(type), \(size) bytes) with message \(message)"
        case .mailQueued(_, let mail, let message):
            return "queued mail \(mail): " + (message.map { "reply \($0)" } ?? "acknowledgement")
        case .mailSent(_, let mail, let messageID): return "sent mail \(mail) as <\(messageID)>"
        case .mailFailed(_, let mail, let error): return "could not send mail \(mail): \(error)"
        case .mailQuarantined(let raw, let reason): return "quarantined mail \(raw.prefix(12)): \(reason)"
        case .slaTargetsSet(let priority, let first, let next, let resolution):
            return "set the \(priority.rawValue) SLA targets: first response \(DurationText.format(TimeInterval(first))), "
                + "next response \(DurationText.format(TimeInterval(next))), resolution \(DurationText.format(TimeInterval(resolution)))"
        case .businessHoursSet(let hours, let zone): return "set the business hours to \(hours) (\(zone))"
        case .businessHoursCleared: return "cleared the business hours (clocks run around the clock)"
        case .holidayAdded(let day): return "added the holiday \(day)"
        case .holidayRemoved(let day): return "removed the holiday \(day)"
        }
    }
}
