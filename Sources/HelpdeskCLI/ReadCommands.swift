import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog
import HelpdeskSearch

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List tickets (default: every ticket that is not closed, by id).")
    @OptionGroup var desk: DeskOptions
    @OptionGroup var filters: ListFilters
    @Option(help: "A saved view's filters and order (see `helpdesk view`), instead of giving them.") var view: String?
    @OptionGroup var moment: MomentOption
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if view != nil, !filters.isEmpty { throw ValidationError("give --view or filters, not both") }
        if filters.text != nil, moment.text != nil { throw ValidationError(Self.textNow) }
    }

    /// The search index knows the desk as it is now, not at an earlier moment.
    static let textNow = "--text searches the desk as it is now; it does not go with --at"

    func run() throws {
        // A bad search is refused before the desk is loaded.
        let givenText = try filters.text.map(SearchQuery.parse)
        let (log, now) = try desk.open(at: moment)
        let me = { try desk.actAs ?? Identity.currentAccount() }
        let query: TicketQuery
        var text = givenText
        if let view {
            guard let saved = log.desk.views[view] else { throw Refusal(.notFound, "no view \(view)") }
            query = saved.query(for: saved.assignment == .mine ? try me() : "")
            text = try saved.text.map(SearchQuery.parse)
            if text != nil, log.moment != nil { throw UserError(message: "the view \(view) has a search: " + Self.textNow,
                                                                code: ExitStatus.usage) }
        } else {
            query = try filters.query(me: me)
        }
        var tickets = log.desk.tickets(matching: query, now: now)
        if let text {
            let found = try SearchCommand.searching(log) { try $0.ticketIDs(matching: text) }
            tickets = tickets.filter { found.contains($0.id) }
        }
        var answer = Answer()
        if json {
            let sla = SLACalculator(policy: log.desk.slaPolicy)
            answer.json(.array(tickets.map { Output.ticketJSON($0, desk: log.desk, now: now, sla: sla) }))
            return answer.write()
        }
        answer.table(
            header: ["ID", "PRIORITY", "STATUS", "TIER", "ASSIGNEE", "AGE", "CUSTOMER", "SUBJECT"],
            rows: tickets.map { ticket in
                let status = ticket.isFollowUpDue(now: now) ? "\(ticket.status.rawValue) (due)" : ticket.status.rawValue
                return [String(ticket.id), ticket.priority.rawValue, status, String(ticket.tier), ticket.assignee ?? "-",
                        Output.age(ticket.createdAt, now: now), log.desk.customer(ticket.customerID)?.email ?? "?",
                        ticket.subject]
            },
            maxWidth: [6: 32, 7: 60])
        answer.write()
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a ticket: its details, conversation and history.")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "Ticket id.") var id: Int
    @OptionGroup var moment: MomentOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let (log, now) = try desk.open(at: moment)
        guard let ticket = log.desk.ticket(id) else { throw Refusal(.notFound, "no ticket \(id)" + MomentOption.then(log)) }
        // With the messages of the tickets merged into it, in time order.
        let conversation = log.desk.conversation(of: id)
        let bodies = try conversation.map { try log.text(of: $0.message.body) }
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

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "List a ticket's events.")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "Ticket id.") var id: Int
    @OptionGroup var moment: MomentOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let log = try moment.text == nil ? desk.openForReading() : desk.open(at: moment).log
        guard let ticket = log.desk.ticket(id) else { throw Refusal(.notFound, "no ticket \(id)" + MomentOption.then(log)) }
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

struct CustomerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer",
        abstract: "Show a customer and their tickets; with --name/--phone/--organisation/--notes, create or update them first.")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "The customer's email address.") var email: String
    @Option(help: "Set the name.") var name: String?
    @Option(help: "Set the phone number.") var phone: String?
    @Option(help: "Set the organisation.") var organisation: String?
    @Option(help: "Set the notes.") var notes: String?
    @Flag(inversion: .prefixedNo, help: "Whether the customer may be sent surveys (--no-surveys: never).") var surveys: Bool?
    @OptionGroup var moment: MomentOption
    @Flag(help: "Print JSON.") var json = false

    private var changes: Bool { name != nil || phone != nil || organisation != nil || notes != nil || surveys != nil }

    func validate() throws {
        if changes, let at = moment.text { throw ValidationError("looking at \(at): read-only; change the customer without --at") }
    }

    func run() throws {
        if name != nil || phone != nil || organisation != nil || notes != nil {
            try desk.perform(.saveCustomer(email: email, name: name, phone: phone, organisation: organisation, notes: notes))
        }
        if let surveys { try desk.perform(.allowSurveys(email: email, allowed: surveys)) }
        let log = try moment.text == nil ? desk.openForReading() : desk.open(at: moment).log
        guard let customer = log.desk.customer(email: email) else {
            throw Refusal(.notFound, "no customer \(email)" + MomentOption.then(log))
        }
        let tickets = log.desk.tickets.filter { $0.customerID == customer.id }
        var answer = Answer()
        if json {
            guard case .object(var fields) = Output.customerJSON(customer, full: true) else { return }
            let block = log.desk.block(covering: customer.email)
            fields.append(("surveys", .bool(!log.desk.surveys.optedOut.contains(customer.id))))
            fields.append(("blocked", block.map { .object([("pattern", .string($0.pattern)), ("reason", JSONValue($0.reason))]) }
                                       ?? .null))
            fields.append(("tickets", .array(tickets.map { ticket in
                .object([("id", JSONValue(ticket.id)), ("status", .string(ticket.status.rawValue)),
                         ("subject", .string(ticket.subject)), ("created_at", Output.time(ticket.createdAt))])
            })))
            answer.json(.object(fields))
            return answer.write()
        }
        let details = ["\(customer.name) <\(customer.email)>", customer.phone.map { "phone \($0)" },
                       customer.organisation.map { "organisation \($0)" }, customer.notes.map { "notes \($0)" },
                       log.desk.surveys.optedOut.contains(customer.id) ? "no surveys" : nil,
                       log.desk.block(covering: customer.email).map { "BLOCKED (\($0.pattern))" + ($0.reason.map { ": \($0)" } ?? "") }]
        for line in details.compactMap({ $0 }) { answer.line(VisibleText.sanitize(line)) }
        answer.line()
        answer.table(header: ["ID", "STATUS", "OPENED", "SUBJECT"],
                     rows: tickets.map { [String($0.id), $0.status.rawValue, Timestamp.format($0.createdAt), $0.subject] })
        answer.write()
    }
}

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Counts by status, priority, tier and assignee; the longest-waiting ticket.")
    @OptionGroup var desk: DeskOptions
    @OptionGroup var moment: MomentOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let (log, now) = try desk.open(at: moment)
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

/// The lines of `show` about merges and links.
enum TicketRelations {
    static func lines(of ticket: Ticket, desk: Desk) -> [String] {
        var lines: [String] = []
        if let into = ticket.mergedInto { lines.append("merged into #\(into)") }
        if !ticket.mergedFrom.isEmpty { lines.append("merged from " + ticket.mergedFrom.map { "#\($0)" }.joined(separator: ", ")) }
        for link in ticket.links {
            let other = desk.ticket(link.ticket)
            lines.append("link: \(link.kind.rawValue) #\(link.ticket)"
                         + (other.map { " (\($0.status.rawValue)) \($0.subject)" } ?? ""))
        }
        return lines
    }
}
