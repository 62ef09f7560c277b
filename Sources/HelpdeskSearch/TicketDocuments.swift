import Foundation
import HelpdeskCore
import HelpdeskLog

/// Where message texts are read: the desk a process loaded, or the store itself when the
/// index answers without loading the desk.
public protocol MessageTexts {
    func text(of body: MessageBody) throws -> String
    /// Several in one go (for a database desk, a query for them all rather than one each).
    func texts(of bodies: [MessageBody]) throws -> [String]
}

extension DeskLog: MessageTexts {}
extension StoreProbe: MessageTexts {}

/// What the index holds of a ticket, read from the desk as a process has it. The full-text
/// table is contentless (its text would double the index's size), so beside it each ticket
/// keeps what was indexed: the subject, customer and tags as text, the messages as references
/// into the log, whose bytes never change. They show a ticket's snippet, and give the exact
/// text FTS5 needs to take the ticket's old words out when it changes.
struct TicketDocuments {
    private let database: SQLiteDatabase
    private let insertText: SQLiteStatement
    private let removeText: SQLiteStatement
    private let readFacts: SQLiteStatement
    private let writeFacts: SQLiteStatement
    private let readMessages: SQLiteStatement
    private let removeMessages: SQLiteStatement
    private let writeMessage: SQLiteStatement

    init(_ database: SQLiteDatabase) throws {
        self.database = database
        insertText = try database.prepare("INSERT INTO docs(rowid, subject, body, people, tags) VALUES (?, ?, ?, ?, ?)")
        removeText = try database.prepare(
            "INSERT INTO docs(docs, rowid, subject, body, people, tags) VALUES ('delete', ?, ?, ?, ?, ?)")
        readFacts = try database.prepare("SELECT subject, people, tags FROM tickets WHERE id = ?")
        writeFacts = try database.prepare(
            "INSERT OR REPLACE INTO tickets(id, status, assignee, updated, subject, people, tags) VALUES (?, ?, ?, ?, ?, ?, ?)")
        readMessages = try database.prepare(
            "SELECT offset, length, event, text FROM messages WHERE ticket = ? ORDER BY n")
        removeMessages = try database.prepare("DELETE FROM messages WHERE ticket = ?")
        writeMessage = try database.prepare(
            "INSERT INTO messages(ticket, n, offset, length, event, text) VALUES (?, ?, ?, ?, ?, ?)")
    }

    /// Writes ticket `id` as `log`'s desk has it, taking out what was indexed of it before.
    func write(_ id: Int, from log: DeskLog, fresh: Bool) throws {
        guard let ticket = log.desk.ticket(id) else { return }
        if !fresh { try remove(id, texts: log) }
        let customer = log.desk.customer(ticket.customerID)
        let subject = TicketDocuments.indexable(ticket.subject)
        let people = TicketDocuments.indexable("\(customer?.name ?? "") \(customer?.email ?? "")")
        let tags = TicketDocuments.indexable(ticket.tags.joined(separator: " "))
        let messages = ticket.messages
        let bodies = try log.texts(of: messages.map(\.body)).map(TicketDocuments.indexable)
        for (n, message) in messages.enumerated() {
            switch message.body {
            case .logged(let offset, let length, let event):
                try writeMessage.run([.integer(id), .integer(n), .integer(Int(offset)), .integer(length), .integer(event), .null])
            case .text(let text):
                try writeMessage.run([.integer(id), .integer(n), .null, .null, .null, .text(text)])
            }
        }
        try insertText.run([.integer(id), .text(subject), .text(bodies.joined(separator: "\n")), .text(people), .text(tags)])
        try writeFacts.run([.integer(id), .text(ticket.status.rawValue), ticket.assignee.map { .text($0) } ?? .null,
                            .real(ticket.updatedAt.timeIntervalSince1970), .text(subject), .text(people), .text(tags)])
    }

    /// Takes ticket `id`'s words out of the full-text table, giving it exactly what was indexed.
    private func remove(_ id: Int, texts: some MessageTexts) throws {
        guard try readFacts.bind([.integer(id)]).step() else { return }
        let subject = readFacts.text(0), people = readFacts.text(1), tags = readFacts.text(2)
        let body = try texts.texts(of: messages(id)).map(TicketDocuments.indexable).joined(separator: "\n")
        try removeText.run([.integer(id), .text(subject), .text(body), .text(people), .text(tags)])
        try removeMessages.run([.integer(id)])
    }

    /// Ticket `id`'s messages as indexed, oldest first.
    func messages(_ id: Int) throws -> [MessageBody] {
        let statement = try readMessages.bind([.integer(id)])
        var bodies: [MessageBody] = []
        while try statement.step() {
            bodies.append(statement.isNull(0) ? .text(statement.text(3))
                          : .logged(offset: Int64(statement.integer(0)), length: statement.integer(1), event: statement.integer(2)))
        }
        return bodies
    }

    /// Text as it is indexed and shown in snippets: one line, nothing a terminal would act on.
    static func indexable(_ text: String) -> String {
        let flat = text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "\t" })
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
