import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog
import HelpdeskSearch

/// `helpdesk ingest --json`: one message per line, each taken in its own record, so a retried
/// batch (after exit 75, or a webhook sent twice) adds each message once: (channel, external_id)
/// is remembered like a Message-ID.
struct JSONIntake {
    let location: StoreLocation
    let lockTimeout: TimeInterval

    /// A bad line: which field, and what is wrong with it.
    struct LineError: Error {
        var field: String?
        var message: String
    }

    /// Lines taken under one hold of the log's lock and made durable by one sync: large enough
    /// that a big import is not one fsync per line, small enough that other writers barely wait.
    static let linesPerBatch = 256

    func run() throws {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let log: DeskLog
        do {
            log = try DeskLog(location: location, writable: true).reportingRepairs()
        } catch {
            throw temporaryFailure(error)
        }
        log.lockTimeout = lockTimeout
        log.onNotice = { FileHandle.standardError.write(Data("helpdesk: \($0)\n".utf8)) }
        let desk = DeskService(log: log, identity: Identity(actor: Intake.intakeActor, via: try? Identity.currentAccount()),
                               clock: SystemClock.now)
        // Refreshing the snapshot and the search index after every batch took most of a long
        // run's time: the snapshot is refreshed at a pace, the index once, and both at the end.
        log.snapshotPacing = SnapshotPacing()
        desk.refreshesSearchIndex = false
        let firstSeq = log.desk.lastSeq
        defer {  // the next command starts from all this run took
            log.snapshotPacing = nil
            log.refreshSnapshotIfDue(now: SystemClock.now())
            SearchIndex.refreshAfterWrite(log, most: 1000 + log.desk.lastSeq - firstSeq)
        }
        var bad = 0
        let lines = Self.lines(of: data)
        var start = 0
        while start < lines.count {
            let chunk = lines[start..<min(start + Self.linesPerBatch, lines.count)]
            start = chunk.endIndex
            bad += try take(chunk, into: desk)
        }
        if bad > 0 {
            throw UserError(message: "\(bad) bad line\(bad == 1 ? "" : "s") not taken; the others were", code: ExitStatus.damaged)
        }
    }

    /// The lines that are not blank, numbered from 1, without their CR LF or LF.
    static func lines(of data: Data) -> [(number: Int, bytes: [UInt8])] {
        data.withUnsafeBytes { raw in
            let all = raw.bindMemory(to: UInt8.self)
            var lines: [(number: Int, bytes: [UInt8])] = []
            var start = 0
            var number = 0
            while start <= all.count {
                let end = all[start...].firstIndex(of: 10) ?? all.count
                number += 1
                let line = all[start..<end].last == 13 ? all[start..<end - 1] : all[start..<end]
                if !line.allSatisfy({ $0 == 32 || $0 == 9 }) { lines.append((number, Array(line))) }
                start = end + 1
            }
            return lines
        }
    }

    /// Takes one batch of lines, each in its own record, and reports every line once the batch
    /// is on disk. Returns how many lines were bad.
    private func take(_ chunk: ArraySlice<(number: Int, bytes: [UInt8])>, into desk: DeskService) throws -> Int {
        var parsed: [Result<InboundMessage, LineError>] = []
        var messages: [InboundMessage] = []
        for line in chunk {
            do {
                let message = try Self.message(from: line.bytes)
                parsed.append(.success(message))
                messages.append(message)
            } catch {
                parsed.append(.failure(error))
            }
        }
        var results = [IntakeResult?](repeating: nil, count: messages.count)
        var batch: DeskLog.Batch
        do {
            let taken = try desk.performEach(messages.count) { index, _, _ in
                .takeIn(messages[index], settings: IntakeSettings())
            }
            batch = taken.batch
            for (index, outcome) in taken.outcomes.enumerated() {
                if case .intake(let result)? = outcome { results[index] = result }
            }
        } catch {
            batch = DeskLog.Batch(outcomes: [], stoppedBy: error)
        }
        var bad = 0
        var taken = 0
        for (line, parse) in zip(chunk, parsed) {
            if case .failure(let error) = parse {
                bad += 1
                report(line.number, error: error, stderr: true)
                continue
            }
            guard taken < batch.outcomes.count else {
                // The log is locked or cannot be written: stop here; what was taken stays taken.
                let error = batch.stoppedBy ?? LogError.io(path: location.description, operation: "append", errno: EIO)
                report(line.number, error: LineError(field: nil, message: "\(error)"), stderr: false)
                throw temporaryFailure(error)
            }
            let index = taken
            taken += 1
            switch batch.outcomes[index] {
            case .failure(let refusal):
                bad += 1
                let field: String? = switch refusal.subject {
                case .noSuchTicket?: "ticket"
                case .badEmail?: "customer.email"
                default: nil
                }
                report(line.number, error: LineError(field: field, message: refusal.message), stderr: true)
            case .success:
                switch results[index] {
                case .duplicate(let ticket)?: report(line.number, ticket: ticket, result: "duplicate")
                case .added(let ticket, _)?: report(line.number, ticket: ticket, result: "added")
                case .opened(let ticket)?: report(line.number, ticket: ticket, result: "opened")
                case .setAside(Intake.blockedReason)?:
                    // Not a bad line: the desk refuses the sender on purpose, and a retry would change nothing.
                    report(line.number, error: LineError(field: "customer.email", message: Intake.blockedReason), stderr: false)
                case .setAside, nil: report(line.number, ticket: nil, result: "ignored")
                }
            }
        }
        return bad
    }

    private func report(_ line: Int, ticket: Int?, result: String) {
        Output.printJSON(.object([("line", JSONValue(line)), ("ticket", JSONValue(ticket)), ("result", .string(result))]))
    }

    private func report(_ line: Int, error: LineError, stderr: Bool) {
        Output.printJSON(.object([("line", JSONValue(line)), ("error", .string(error.message)),
                                  ("field", JSONValue(error.field))]))
        if stderr {
            let field = error.field.map { "field '\($0)': " } ?? ""
            Output.warn("line \(line): \(field)\(error.message)")
        }
    }

    /// Refuses what RFC 8259 lets a parser take but a message must not hold, naming the field: a
    /// key given twice (which one would count?) and a NUL character (`\u0000`) in text.
    static func refuseAmbiguities(_ value: JSONValue, at path: String?) throws(LineError) {
        switch value {
        case .object(let members):
            var seen = Set<String>()
            for (key, member) in members {
                let field = path.map { "\($0).\(key)" } ?? key
                guard !key.utf8.contains(0) else { throw LineError(field: field, message: "a key holds a NUL character (\\u0000)") }
                guard seen.insert(key).inserted else { throw LineError(field: field, message: "given twice") }
                try refuseAmbiguities(member, at: field)
            }
        case .array(let items):
            for (index, item) in items.enumerated() { try refuseAmbiguities(item, at: "\(path ?? "")[\(index)]") }
        case .string(let text):
            if text.utf8.contains(0) { throw LineError(field: path, message: "holds a NUL character (\\u0000)") }
        default:
            break
        }
    }

    /// Reads and checks one line, naming the field that is wrong.
    static func message(from bytes: [UInt8]) throws(LineError) -> InboundMessage {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw LineError(field: nil, message: "not JSON: \(error)")
        }
        guard case .object = value else { throw LineError(field: nil, message: "not a JSON object") }
        try refuseAmbiguities(value, at: nil)

        func text(_ field: String, in object: JSONValue? = nil, path: String? = nil, required: Bool) throws(LineError) -> String? {
            let name = path ?? field
            guard let item = (object ?? value)[field], !item.isNull else {
                if required { throw LineError(field: name, message: "missing") }
                return nil
            }
            let string: String
            switch item {
            case .string(let s): string = s
            case .int(let n): string = String(n)
            default: throw LineError(field: name, message: "should be a string")
            }
            let trimmed = string.trimmingWhitespaceAndNewlines()
            if required, trimmed.isEmpty { throw LineError(field: name, message: "is empty") }
            return trimmed.isEmpty ? nil : string
        }

        let channelName = try text("channel", required: true)!
        guard let channel = Channel(rawValue: channelName.lowercased()) else {
            throw LineError(field: "channel", message: "unknown channel '\(channelName)'; use one of "
                            + Channel.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let customer = value["customer"], !customer.isNull else { throw LineError(field: "customer", message: "missing") }
        guard case .object = customer else { throw LineError(field: "customer", message: "should be an object with email, name, phone") }
        let email = try text("email", in: customer, path: "customer.email", required: true)!
        let name = try text("name", in: customer, path: "customer.name", required: false)
        let phone = try text("phone", in: customer, path: "customer.phone", required: false)
        let externalID = try text("external_id", required: true)!
        let body = try text("body", required: true)!
        var ticket: Int?
        if let item = value["ticket"], !item.isNull {
            guard let id = item.int, id > 0 else { throw LineError(field: "ticket", message: "should be a ticket id (a whole number)") }
            ticket = id
        }
        let subject = try text("subject", required: ticket == nil) ?? ""
        do {
            _ = try Intake.validEmail(email)
        } catch {
            throw LineError(field: "customer.email", message: error.message)
        }
        return InboundMessage(channel: channel, externalID: externalID, fromAddress: email, fromName: name, phone: phone,
                              subject: subject, body: body, ticket: ticket)
    }
}
