import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog
import HelpdeskSearch

/// `list`: the tickets that filters given on the line, or a saved view, select; filled in by
/// `ListCommand` from the argument parser, and by `QuickRead` for a line with no filters.
struct ListRead: Equatable {
    enum Selection: Equatable {
        /// The filters' query, and a search (`--text`) among what it matches.
        case filters(TicketQuery, text: String?)
        /// A saved view's filters, order and search.
        case view(String)
    }

    var desk: DeskChoice
    var selection: Selection
    var moment: String?
    var json: Bool

    /// `list` with no filters: every ticket that is not closed, by id.
    static let everyTicketNotClosed = TicketQuery(statuses: .notClosed, sort: .id)

    func run() throws {
        // A bad search is refused before the desk is loaded.
        let givenText = if case .filters(_, let text?) = selection { try SearchQuery.parse(text) } else { SearchQuery?.none }
        let (log, now) = try desk.open(atMoment: moment)
        let query: TicketQuery
        var text = givenText
        switch selection {
        case .view(let name):
            guard let saved = log.desk.views[name] else { throw Refusal(.notFound, "no view \(name)") }
            query = saved.query(for: saved.assignment == .mine ? try desk.actAs ?? Identity.currentAccount() : "")
            text = try saved.text.map(SearchQuery.parse)
            if text != nil, log.moment != nil {
                throw UserError(message: "the view \(name) has a search: " + ListCommand.textNow, code: ExitStatus.usage)
            }
        case .filters(let given, _):
            query = given
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
