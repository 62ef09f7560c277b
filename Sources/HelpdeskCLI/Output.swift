import Foundation
import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog

/// How the desk is printed: JSON for scripts (field names are a contract), tables for people.
/// Text for people passes through `VisibleText`, so nothing a customer wrote reaches the
/// terminal as a control sequence.
enum Output {
    /// A line for people on stdout, made safe to print: it may quote what someone outside wrote.
    static func say(_ line: String) {
        print(VisibleText.sanitize(line))
    }

    /// `helpdesk: MESSAGE` on stderr, made safe to print: messages quote user input and customer text.
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("helpdesk: \(VisibleText.sanitize(message))\n".utf8))
    }

    static func printJSON(_ value: JSONValue) {
        print(value.serializedString())
    }

    static func time(_ date: Date?) -> JSONValue {
        date.map { .string(Timestamp.format($0)) } ?? .null
    }

    static func agentJSON(_ agent: Agent) -> JSONValue {
        .object([("account", .string(agent.account)), ("name", .string(agent.displayName)),
                 ("role", .string(agent.role.rawValue)), ("tier", JSONValue(agent.tier)), ("active", .bool(agent.active))])
    }

    static func customerJSON(_ customer: Customer?, full: Bool = false) -> JSONValue {
        guard let customer else { return .null }
        var fields: [(String, JSONValue)] = [("id", JSONValue(customer.id)), ("name", .string(customer.name)),
                                             ("email", .string(customer.email))]
        if full {
            fields += [("phone", JSONValue(customer.phone)), ("organisation", JSONValue(customer.organisation)),
                       ("notes", JSONValue(customer.notes))]
        }
        return .object(fields)
    }

    static func ticketJSON(_ ticket: Ticket, desk: Desk, now: Date, sla: SLACalculator) -> JSONValue {
        .object([
            ("id", JSONValue(ticket.id)), ("subject", .string(ticket.subject)),
            ("status", .string(ticket.status.rawValue)), ("priority", .string(ticket.priority.rawValue)),
            ("channel", .string(ticket.channel.rawValue)), ("assignee", JSONValue(ticket.assignee)),
            ("tier", JSONValue(ticket.tier)), ("tags", .array(ticket.tags.map(JSONValue.string))),
            ("group", JSONValue(ticket.group)),
            ("customer", customerJSON(desk.customer(ticket.customerID))),
            ("created_at", time(ticket.createdAt)), ("updated_at", time(ticket.updatedAt)),
            ("first_response_at", time(ticket.firstResponseAt)), ("follow_up_at", time(ticket.followUp?.due)),
            ("follow_up_note", JSONValue(ticket.followUp?.note)), ("follow_up_due", .bool(ticket.isFollowUpDue(now: now))),
            ("last_customer_message_at", time(ticket.lastCustomerMessageAt)), ("last_reply_at", time(ticket.lastReplyAt)),
            ("rating", ticket.rating.map { .object([("score", JSONValue($0.score)), ("comment", JSONValue($0.comment)),
                                                    ("at", time($0.at))]) } ?? .null),
            ("message_count", JSONValue(ticket.messages.count)),
            ("merged_into", JSONValue(ticket.mergedInto)), ("merged_from", .array(ticket.mergedFrom.map { JSONValue($0) })),
            ("links", .array(ticket.links.map { .object([("ticket", JSONValue($0.ticket)), ("kind", .string($0.kind.rawValue))]) })),
            ("sla", slaJSON(ticket, now: now, calculator: sla)),
        ])
    }

    static func historyJSON(_ entry: HistoryEntry) -> JSONValue {
        var event = EventCoding.encode(entry.event)
        if case .object(let fields) = event { event = .object(fields.filter { $0.0 != "body" && $0.0 != "ticket" }) }
        return .object([("seq", JSONValue(entry.seq)), ("at", time(entry.at)), ("actor", .string(entry.actor)),
                        ("via", JSONValue(entry.via)), ("event", event), ("summary", .string(entry.event.summary))])
    }

    /// Left-aligned columns; the last column is not padded. Cells are made safe to print.
    static func printTable(header: [String], rows: [[String]], maxWidth: [Int: Int] = [:]) {
        for line in tableLines(header: header, rows: rows, maxWidth: maxWidth) { print(line) }
    }

    /// Widths are terminal columns as the console measures them (`TextWidth`): a CJK name takes
    /// two a character, a combining accent none.
    static func tableLines(header: [String], rows: [[String]], maxWidth: [Int: Int] = [:]) -> [String] {
        let cleaned = rows.map { row in
            row.enumerated().map { index, cell in
                let safe = VisibleText.sanitize(cell)
                guard let limit = maxWidth[index] else { return safe }
                return TextWidth.truncate(safe, to: limit)
            }
        }
        let widths = header.indices.map { column in
            ([header[column]] + cleaned.map { $0[column] }).map { TextWidth.columns(of: $0) }.max() ?? 0
        }
        return ([header] + cleaned).map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell
                    : cell + String(repeating: " ", count: max(0, widths[column] - TextWidth.columns(of: cell)))
            }.joined(separator: "  ")
        }
    }

    static func age(_ date: Date, now: Date) -> String {
        DurationText.format(now.timeIntervalSince(date))
    }
}

extension DeskLog {
    /// Says on stderr what this writer repaired on the way: a torn tail it cut off.
    @discardableResult
    func reportingRepairs() -> DeskLog {
        onNotice = { Output.warn($0) }
        return self
    }
}

/// A command's answer, made whole before any of it is written: a command that stops halfway (an
/// error, or a snapshot record found damaged, which ends the process) has printed nothing.
/// Past a few MiB (`events` or `export` of a large desk) it is kept in an unnamed temporary file
/// rather than in memory.
struct Answer {
    private var text = ""
    private var spill: SpillFile?
    static let memoryLimit = 8 << 20

    mutating func line(_ line: String = "") {
        text += line
        text += "\n"
        if text.utf8.count >= Self.memoryLimit {
            if spill == nil { spill = SpillFile() }
            if let spill, spill.append(text) { text = "" }
        }
    }

    mutating func json(_ value: JSONValue) {
        line(value.serializedString())
    }

    mutating func table(header: [String], rows: [[String]], maxWidth: [Int: Int] = [:]) {
        for row in Output.tableLines(header: header, rows: rows, maxWidth: maxWidth) { line(row) }
    }

    /// Writes it all to standard output, and flushes it (so that what a follower writes
    /// straight to the descriptor after it comes after it).
    func write() {
        spill?.copyToStandardOutput()
        print(text, terminator: "")
        fflush(nil)
    }
}

/// An answer's bytes beyond the memory limit: `tmpfile()` makes a file with a random name
/// (O_EXCL) and unlinks it at once, so nothing can be planted at its name and nothing is left.
private final class SpillFile {
    private let file: UnsafeMutablePointer<FILE>

    init?() {
        guard let file = tmpfile() else { return nil }
        self.file = file
    }

    deinit { fclose(file) }

    /// False when the disk would not take it (the text then stays in memory).
    func append(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in fwrite(bytes.baseAddress, 1, bytes.count, file) == bytes.count }
    }

    func copyToStandardOutput() {
        fflush(nil)
        rewind(file)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            var written = 0
            while written < count {
                let result = buffer.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress! + written, count - written) }
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else { return }  // the reader went away
                written += result
            }
        }
    }
}
