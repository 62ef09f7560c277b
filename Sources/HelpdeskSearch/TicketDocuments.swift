import Foundation
import HelpdeskCore
import HelpdeskLog

/// Where message texts are read: the desk a process loaded, or the store itself when the
/// index answers without loading the desk.
public protocol MessageTexts {
    func text(of body: MessageBody) throws -> String
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

    /// Tickets read per run: the message texts of a run are read together (from a database, a
    /// few queries rather than one per ticket).
    static let ticketsPerRead = 256

    /// Writes tickets `ids` as `log`'s desk has them, taking out what was indexed of them before
    /// (unless `fresh`).
    func write(_ ids: some Collection<Int>, from log: DeskLog, fresh: Bool) throws {
        let ids = Array(ids)
        for start in stride(from: 0, to: ids.count, by: Self.ticketsPerRead) {
            let tickets = ids[start..<min(start + Self.ticketsPerRead, ids.count)].compactMap { log.desk.ticket($0) }
            let messages = tickets.map(\.messages)
            var texts = try log.texts(of: messages.flatMap { $0.map(\.body) })[...]
            let indexed = fresh ? [] : try tickets.map { try self.messages($0.id) }
            var indexedTexts = try log.texts(of: indexed.flatMap { $0 })[...]
            for (position, ticket) in tickets.enumerated() {
                if !fresh {
                    try remove(ticket.id, texts: indexedTexts.prefix(indexed[position].count))
                    indexedTexts = indexedTexts.dropFirst(indexed[position].count)
                }
                try write(ticket, messages: messages[position], texts: texts.prefix(messages[position].count), of: log.desk)
                texts = texts.dropFirst(messages[position].count)
            }
        }
    }

    /// One ticket, its messages and their texts.
    private func write(_ ticket: Ticket, messages: [Message], texts: ArraySlice<String>, of desk: Desk) throws {
        let id = ticket.id
        let customer = desk.customer(ticket.customerID)
        let subject = TicketDocuments.indexable(ticket.subject)
        let people = TicketDocuments.indexable("\(customer?.name ?? "") \(customer?.email ?? "")")
        let tags = TicketDocuments.indexable(ticket.tags.joined(separator: " "))
        for (n, message) in messages.enumerated() {
            switch message.body {
            case .logged(let offset, let length, let event):
                try writeMessage.run([.integer(id), .integer(n), .integer(Int(offset)), .integer(length), .integer(event), .null])
            case .text(let text):
                try writeMessage.run([.integer(id), .integer(n), .null, .null, .null, .text(text)])
            }
        }
        let body = texts.map(TicketDocuments.indexable).joined(separator: "\n")
        try insertText.run([.integer(id), .text(subject), .text(body), .text(people), .text(tags)])
        try writeFacts.run([.integer(id), .text(ticket.status.rawValue), ticket.assignee.map { .text($0) } ?? .null,
                            .real(ticket.updatedAt.timeIntervalSince1970), .text(subject), .text(people), .text(tags)])
    }

    /// Takes ticket `id`'s words out of the full-text table, giving it exactly what was indexed
    /// (`texts`: those of its messages as indexed).
    private func remove(_ id: Int, texts: ArraySlice<String>) throws {
        guard try readFacts.bind([.integer(id)]).step() else { return }
        let subject = readFacts.text(0), people = readFacts.text(1), tags = readFacts.text(2)
        let body = texts.map(TicketDocuments.indexable).joined(separator: "\n")
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
