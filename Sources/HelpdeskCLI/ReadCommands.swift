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
        try ListRead(desk: desk.choice, selection: try selection(), moment: moment.text, json: json).run()
    }

    /// A saved view, or the filters' query (`--mine`: the account acting) and search.
    func selection() throws -> ListRead.Selection {
        if let view { return .view(view) }
        return .filters(try filters.query(me: { try desk.actAs ?? Identity.currentAccount() }), text: filters.text)
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
        try ShowRead(desk: desk.choice, id: id, moment: moment.text, json: json).run()
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "List a ticket's events.")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "Ticket id.") var id: Int
    @OptionGroup var moment: MomentOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try HistoryRead(desk: desk.choice, id: id, moment: moment.text, json: json).run()
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
        try StatusRead(desk: desk.choice, moment: moment.text, json: json).run()
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
