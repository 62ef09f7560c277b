import ArgumentParser
import CSV
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

/// `helpdesk export`: tickets with customers and messages, for spreadsheets and migrations.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export tickets: JSON lines with customers and messages, or CSV, one row per ticket.",
        discussion: """
            --since takes a time (2026-12-01, 2026-12-01 14:30, RFC 3339) or a duration back from now \
            (7d, 12h): only tickets updated since then. JSONL: one ticket per line, with its customer \
            (all fields), messages (bodies whole), attachments and mail state. CSV: a header row, then \
            one row per ticket, quoted as RFC 4180 says.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl, csv }

    @OptionGroup var desk: DeskOptions
    @Option(help: "jsonl (default) or csv.") var format: Format = .jsonl
    @Option(help: "Only tickets updated since this time, or this long ago (7d).") var since: String?
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

    static let csvHeader = [
        "id", "subject", "status", "priority", "channel", "assignee", "tier", "tags", "customer_id", "customer_name",
        "customer_email", "customer_phone", "customer_organisation", "created_at", "updated_at", "first_response_at",
        "last_customer_message_at", "last_reply_at", "follow_up_at", "rating", "rating_comment", "message_count",
        "attachment_count",
    ]

    func run() throws {
        let log = try desk.openForReading()
        let now = SystemClock.now()
        let from = try since.map { text throws(Refusal) in try TimeText.parse(text, now: now, timeZone: .current, durations: .ago) }
        let tickets = log.desk.tickets.filter { from == nil || $0.updatedAt >= from! }
        // Every ticket is read before anything is written, so a command that stops halfway (a
        // snapshot record found damaged) has written nothing.
        var bytes: [UInt8] = []
        switch format {
        case .jsonl:
            let sla = SLACalculator(policy: log.desk.slaPolicy)
            // The bodies of a run of tickets are read together: from a database, a query for
            // them all rather than one per message.
            for start in stride(from: 0, to: tickets.count, by: Self.ticketsPerRead) {
                let run = tickets[start..<min(start + Self.ticketsPerRead, tickets.count)]
                let messages = run.map(\.messages)
                var bodies = try log.texts(of: messages.flatMap { $0.map(\.body) })[...]
                for (ticket, messages) in zip(run, messages) {
                    bytes += json(ticket, messages: messages, bodies: bodies.prefix(messages.count), log: log, now: now, sla: sla)
                        .serialized()
                    bytes.append(10)
                    bodies = bodies.dropFirst(messages.count)
                }
            }
        case .csv:
            let writer = try CSVWriter(stream: .toMemory())
            try writer.write(row: Self.csvHeader)
            // CSV carries text as it came; only a person reading it on a terminal gets it made visible.
            let visible = output == nil && isatty(STDOUT_FILENO) == 1
            for ticket in tickets {
                let cells = row(ticket, desk: log.desk)
                try writer.write(row: visible ? cells.map { VisibleText.sanitize($0, keepNewlines: true) } : cells)
            }
            writer.stream.close()
            let data = writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
            bytes = [UInt8](data) + (data.isEmpty ? [] : [10])
        }
        let sink = try Sink(path: output)
        sink.write(bytes)
        sink.close()
    }

    private func row(_ ticket: Ticket, desk: Desk) -> [String] {
        let customer = desk.customer(ticket.customerID)
        func time(_ date: Date?) -> String { date.map(Timestamp.format) ?? "" }
        return [
            String(ticket.id), ticket.subject, ticket.status.rawValue, ticket.priority.rawValue, ticket.channel.rawValue,
            ticket.assignee ?? "", String(ticket.tier), ticket.tags.joined(separator: " "), String(ticket.customerID),
            customer?.name ?? "", customer?.email ?? "", customer?.phone ?? "", customer?.organisation ?? "",
            time(ticket.createdAt), time(ticket.updatedAt), time(ticket.firstResponseAt),
            time(ticket.lastCustomerMessageAt), time(ticket.lastReplyAt), time(ticket.followUp?.due),
            ticket.rating.map { String($0.score) } ?? "", ticket.rating?.comment ?? "", String(ticket.messages.count),
            String(ticket.attachments.count),
        ]
    }

    static let ticketsPerRead = 256

    /// A ticket's line: `messages` as the ticket has them, `bodies` their texts.
    private func json(_ ticket: Ticket, messages: [Message], bodies: ArraySlice<String>, log: DeskLog, now: Date,
                      sla: SLACalculator) -> JSONValue {
        guard case .object(var fields) = Output.ticketJSON(ticket, desk: log.desk, now: now, sla: sla) else { return .null }
        if let index = fields.firstIndex(where: { $0.0 == "customer" }) {
            fields[index].1 = Output.customerJSON(log.desk.customer(ticket.customerID), full: true)
        }
        var items: [JSONValue] = []
        for (offset, (message, body)) in zip(messages, bodies).enumerated() {
            let index = offset + 1
            var item: [(String, JSONValue)] = [
                ("kind", .string(message.kind.rawValue)), ("author", .string(message.author)),
                ("at", Output.time(message.at)), ("body", .string(body)),
            ]
            if let received = ticket.received(message: index) { item.append(("received", ChannelOutput.receivedJSON(received))) }
            if message.kind == .reply, let mail = ticket.outbound(message: index) {
                item.append(("delivery", ChannelOutput.deliveryJSON(mail)))
            }
            // Every message is exported, a note taken back by `undo` too, marked.
            if message.withdrawn { item.append(("withdrawn", .bool(true))) }
            items.append(.object(item))
        }
        fields.append(("messages", .array(items)))
        fields.append(("attachments", .array(ticket.attachments.map(ChannelOutput.attachmentJSON))))
        return .object(fields)
    }

    /// Standard output or a file.
    final class Sink {
        let handle: FileHandle
        let owned: Bool

        init(path: String?) throws {
            guard let path else {
                handle = FileHandle.standardOutput
                owned = false
                return
            }
            handle = try OutputFile.create(path)
            owned = true
        }

        func write(_ bytes: [UInt8]) { handle.write(Data(bytes)) }
        func close() { if owned { try? handle.close() } }
    }
}

/// `helpdesk import customers FILE.csv`.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import customers from a CSV file.",
        subcommands: [ImportCustomersCommand.self])
}

struct ImportCustomersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customers",
        abstract: "Create or update customers from a CSV file with a header row.",
        discussion: """
            Columns are found by their header, whatever its case: email (also e-mail, mail), name \
            (full name, contact), phone (telephone, mobile), organisation (organization, company), \
            notes (comments). Other columns are ignored. A row whose email is new creates a customer; \
            one whose email is known updates the fields given. Bad rows (no or a bad email, the same \
            email twice) are reported with their row number and not taken; the good rows are taken \
            together in one record. --dry-run reports and takes nothing. Exit 1 when some rows were bad.
            """)

    @OptionGroup var desk: DeskOptions
    @Argument(help: "The CSV file (UTF-8, comma-separated, header row first).") var file: String
    @Flag(help: "Report what would happen, and change nothing.") var dryRun = false

    func run() throws {
        guard let data = try PersonsGroup.run(file, { FileManager.default.contents(atPath: file) }) else {
            throw UserError(message: "cannot read \(file)", code: ExitStatus.noLog)
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }  // spreadsheets write a BOM
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            throw UserError(message: "\(file): not CSV: \(error)", code: ExitStatus.damaged)
        }
        guard let header = reader.headerRow else { throw UserError(message: "\(file) is empty", code: ExitStatus.damaged) }
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        if let error = reader.error {
            throw UserError(message: "\(file): not CSV after row \(rows.count): \(error)", code: ExitStatus.damaged)
        }

        let plan: CustomerImport.Plan
        if dryRun {
            let log = try DeskLog(location: desk.location, writable: false).reportingRepairs()
            let identity = try Identity.resolve(actingAs: desk.actAs)
            plan = try makePlan(header: header, rows: rows, actor: identity.actor, desk: log.desk, now: SystemClock.now())
        } else {
            let service = try desk.service()
            // A file without an email column is refused before the log's lock is taken.
            _ = try makePlan(header: header, rows: [], actor: service.identity.actor, desk: service.log.desk,
                             now: service.clock())
            let performed = try service.perform(.importCustomers(header: header, rows: rows))
            guard case .customerImport(let made)? = performed.outcome else {
                preconditionFailure("an import decides its plan")
            }
            plan = made
        }
        report(plan)
        if !plan.bad.isEmpty {
            throw UserError(message: "\(plan.bad.count) bad row\(plan.bad.count == 1 ? "" : "s") "
                            + (dryRun ? "would not be taken" : "not taken; the others were"))
        }
    }

    private func makePlan(header: [String], rows: [[String]], actor: String, desk: Desk, now: Date) throws
        -> CustomerImport.Plan {
        do {
            return try CustomerImport.plan(header: header, rows: rows, by: actor, at: now, on: desk)
        } catch let missing as CustomerImport.MissingEmailColumn {
            throw UserError(message: "\(file): \(missing.description)", code: ExitStatus.damaged)
        }
    }

    private func report(_ plan: CustomerImport.Plan) {
        var created = 0, updated = 0, unchanged = 0
        for outcome in plan.rows {
            switch outcome {
            case .created: created += 1
            case .updated: updated += 1
            case .unchanged: unchanged += 1
            case .bad: break
            }
        }
        for (row, reason) in plan.bad {
            // Row N is line N + 1 of the file (the header is line 1) unless a field spans lines.
            Output.warn("row \(row) (line \(row + 1)): \(reason)")
        }
        if !plan.ignoredColumns.isEmpty {
            Output.say("ignored columns: \(plan.ignoredColumns.joined(separator: ", "))")
        }
        let verb = dryRun ? "would create" : "created"
        print("\(verb) \(created), \(dryRun ? "would update" : "updated") \(updated), unchanged \(unchanged), bad \(plan.bad.count)")
    }
}
