import Foundation
import HelpdeskCore
import HelpdeskLog

/// What the index holds of a ticket, read from the desk as a process has it: the subject, the
/// text of every message (customer's, replies, notes), the customer's name and email and the
/// tags to search; the status, assignee and last update to show and filter by.
struct TicketDocuments {
    let database: SQLiteDatabase
    private let removeText: SQLiteStatement
    private let insertText: SQLiteStatement
    private let upsertFacts: SQLiteStatement

    init(_ database: SQLiteDatabase) throws {
        self.database = database
        removeText = try database.prepare("DELETE FROM docs WHERE rowid = ?")
        insertText = try database.prepare("INSERT INTO docs(rowid, subject, body, people, tags) VALUES (?, ?, ?, ?, ?)")
        upsertFacts = try database.prepare("INSERT OR REPLACE INTO tickets(id, status, assignee, updated) VALUES (?, ?, ?, ?)")
    }

    /// Writes ticket `id` as `log`'s desk has it; `fresh` when the index has no row for it yet.
    func write(_ id: Int, from log: DeskLog, fresh: Bool) throws {
        guard let ticket = log.desk.ticket(id) else { return }
        let customer = log.desk.customer(ticket.customerID)
        let body = try ticket.messages.map { TicketDocuments.indexable(try log.text(of: $0.body)) }.joined(separator: "\n")
        if !fresh { try removeText.run([.integer(id)]) }
        try insertText.run([.integer(id), .text(TicketDocuments.indexable(ticket.subject)), .text(body),
                            .text(TicketDocuments.indexable("\(customer?.name ?? "") \(customer?.email ?? "")")),
                            .text(TicketDocuments.indexable(ticket.tags.joined(separator: " ")))])
        try upsertFacts.run([.integer(id), .text(ticket.status.rawValue), ticket.assignee.map { .text($0) } ?? .null,
                             .real(ticket.updatedAt.timeIntervalSince1970)])
    }

    /// Text as it is indexed and shown in snippets: one line, nothing a terminal would act on.
    static func indexable(_ text: String) -> String {
        let flat = text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" })
            ? String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "\t" ? " " : $0 }) : text
        return VisibleText.sanitize(flat)
    }

    /// The tickets the records from `offset` on touched: those an event names, and every ticket
    /// of a customer whose name or email changed.
    static func touched(in log: DeskLog, from offset: Int64) throws -> Set<Int> {
        var tickets = Set<Int>()
        var customers = Set<Int>()
        try log.records(from: offset) { record in
            for event in record.events {
                if let id = event.ticketID { tickets.insert(id) }
                if case .customerUpdated(let id, _, _, _, _, _) = event { customers.insert(id) }
            }
        }
        if !customers.isEmpty {
            for ticket in log.desk.tickets where customers.contains(ticket.customerID) { tickets.insert(ticket.id) }
        }
        return tickets
    }
}
