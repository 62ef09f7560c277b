import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

// The reads scripts run most, as plain values: their commands fill them in from the argument
// parser, and `QuickRead` from a command line it reads itself.

/// `show`: a ticket's details, conversation and history.
struct ShowRead: Equatable {
    var desk: DeskChoice
    var id: Int
    var moment: String?
    var json: Bool

    func run() throws {
        let (log, now) = try desk.open(atMoment: moment)
        let ticket = try MomentOption.ticket(id, of: log)
        // With the messages of the tickets merged into it, in time order.
        let conversation = log.desk.conversation(of: id)
        let bodies = try log.texts(of: conversation.map(\.message.body))
        var answer = Answer()
        if json {
            guard case .object(var fields) = Output.ticketJSON(ticket, desk: log.desk, now: now,
                                                                  sla: SLACalculator(policy: log.desk.slaPolicy)) else { return }
            fields.append(("messages", .array(zip(conversation, bodies).map { entry, body in
                let message = entry.message
                return .object([("kind", .string(message.kind.rawValue)), ("author", .string(message.author)),
                                ("at", Output.time(message.at)), ("body", .string(body))]
                               + (entry.ticket == id ? [] : [("from", JSONValue(entry.ticket))]))
            })))
            ChannelOutput.addToShowJSON(&fields, conversation: conversation, of: ticket, desk: log.desk)
            fields.append(("history", .array(ticket.history.map(Output.historyJSON))))
            answer.json(.object(fields))
            return answer.write()
        }
        let customer = log.desk.customer(ticket.customerID)
        var lines = [
            "#\(ticket.id) \(ticket.subject)",
            "status \(ticket.status.rawValue) · priority \(ticket.priority.rawValue) · tier \(ticket.tier) · "
                + "assignee \(ticket.assignee ?? "none") · channel \(ticket.channel.rawValue)",
            "customer \(customer?.name ?? "?") <\(customer?.email ?? "?")>",
            "opened \(Timestamp.format(ticket.createdAt)) · updated \(Timestamp.format(ticket.updatedAt))"
                + (ticket.firstResponseAt.map { " · first response \(Timestamp.format($0))" } ?? ""),
        ]
        if !ticket.tags.isEmpty { lines.append("tags \(ticket.tags.joined(separator: " "))") }
        if let group = ticket.group { lines.append("group \(group)") }
        if let followUp = ticket.followUp {
            lines.append("follow-up \(Timestamp.format(followUp.due))" + (ticket.isFollowUpDue(now: now) ? " (due)" : "")
                         + (followUp.note.map { ": \($0)" } ?? ""))
        }
        if let rating = ticket.rating {
            lines.append("rated \(rating.score)/5" + (rating.comment.map { ": \($0)" } ?? ""))
        }
        lines += TicketRelations.lines(of: ticket, desk: log.desk)
        for line in lines { answer.line(VisibleText.sanitize(line)) }
        for holder in [ticket] + log.desk.mergedTickets(into: id).compactMap(log.desk.ticket) {
            ChannelOutput.addAttachments(of: holder, to: &answer)
        }
        for (entry, body) in zip(conversation, bodies) {
            let message = entry.message, holder = log.desk.ticket(entry.ticket) ?? ticket
            let label = switch message.kind {
            case .customer: "customer"
            case .reply: "reply"
            case .note: "internal note"
            }
            answer.line("\n── \(label) · \(VisibleText.sanitize(message.author)) · \(Timestamp.format(message.at))"
                        + VisibleText.sanitize(ChannelOutput.label(for: entry.number, of: holder, customerEmail: customer?.email))
                        + (entry.ticket == id ? "" : " · from #\(entry.ticket)"))
            answer.line(VisibleText.sanitize(body, keepNewlines: true))
        }
        answer.write()
    }
}

/// `history`: a ticket's events.
struct HistoryRead: Equatable {
    var desk: DeskChoice
    var id: Int
    var moment: String?
    var json: Bool

    func run() throws {
        let log = try moment == nil ? desk.openForReading() : desk.open(atMoment: moment).log
        let ticket = try MomentOption.ticket(id, of: log)
        var answer = Answer()
        if json {
            answer.json(.array(ticket.history.map(Output.historyJSON)))
            return answer.write()
        }
        for entry in ticket.history {
            answer.line(VisibleText.sanitize("\(Timestamp.format(entry.at))  #\(entry.seq)  \(entry.actor)  \(entry.event.summary)"))
        }
        answer.write()
    }
}

/// `status`: counts by status, priority, tier and assignee; the longest-waiting ticket.
struct StatusRead: Equatable {
    var desk: DeskChoice
    var moment: String?
    var json: Bool

    func run() throws {
        let (log, now) = try desk.open(atMoment: moment)
        let summary = log.desk.summary(now: now)
        var answer = Answer()
        if json {
            answer.json(.object([
                ("by_status", .object(summary.byStatus.map { ($0.status.rawValue, JSONValue($0.count)) })),
                ("by_priority", .object(summary.byPriority.map { ($0.priority.rawValue, JSONValue($0.count)) })),
                ("by_tier", .object(summary.byTier.map { (String($0.tier), JSONValue($0.count)) })),
                ("by_assignee", .object(summary.byAssignee.map { ($0.assignee ?? "unassigned", JSONValue($0.count)) })),
                ("active", JSONValue(summary.active)), ("follow_ups_due", JSONValue(summary.followUpsDue)),
                ("oldest_waiting", summary.oldestWaiting.map {
                    .object([("ticket", JSONValue($0.ticket)), ("since", Output.time($0.since)),
                             ("waiting_seconds", JSONValue(Int(now.timeIntervalSince($0.since))))])
                } ?? .null),
                ("last_seq", JSONValue(log.desk.lastSeq)),
            ]))
            return answer.write()
        }
        func line(_ title: String, _ pairs: [(String, Int)]) {
            answer.line(VisibleText.sanitize(title.padding(toLength: 12, withPad: " ", startingAt: 0)
                        + pairs.map { "\($0.0) \($0.1)" }.joined(separator: " · ")))
        }
        line("status", summary.byStatus.map { ($0.status.rawValue, $0.count) })
        answer.line("active tickets (neither solved nor closed): \(summary.active), follow-ups due: \(summary.followUpsDue)")
        line("priority", summary.byPriority.map { ($0.priority.rawValue, $0.count) })
        line("tier", summary.byTier.map { ("\($0.tier)", $0.count) })
        line("assignee", summary.byAssignee.map { ($0.assignee ?? "unassigned", $0.count) })
        if let oldest = summary.oldestWaiting, let ticket = log.desk.ticket(oldest.ticket) {
            answer.line(VisibleText.sanitize("oldest waiting: #\(ticket.id) for \(Output.age(oldest.since, now: now)): \(ticket.subject)"))
        } else {
            answer.line("oldest waiting: none")
        }
        answer.write()
    }
}
