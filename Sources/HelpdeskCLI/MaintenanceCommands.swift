import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

struct FsckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsck",
        abstract: "Check the log; with --repair, keep a copy and cut it back to its last good record.",
        discussion: """
            Exits 0 when the log is sound (or was repaired), 65 when it is damaged, 76 when it holds \
            intact records of a newer helpdesk (never cut off, even with --repair).
            """)
    @OptionGroup var desk: DeskOptions
    @Flag(help: "Copy the damaged log beside it, then truncate the log to its last valid record.") var repair = false

    func run() throws {
        if repair, DeskAdmission.rosterDecides(logPath: desk.logPath) {
            throw UserError(message: "fsck --repair of \(desk.logPath), which only the helpdesk binary may write, is for root",
                            code: ExitStatus.refused)
        }
        let line = ProgressLine("checking")
        let report = try LogCheck.run(desk.location, repair: repair, now: SystemClock.now()) { done, total in
            line.update(done >> 20, of: total >> 20, unit: "MB")
        }
        line.finish()
        Output.say("\(desk.location): \(report.records) records, last seq \(report.lastSeq), \(report.size) bytes")
        switch report.problem {
        case nil:
            print("ok")
        case .tornTail(let offset, let reason)?:
            Output.say("torn tail at byte \(offset): \(reason) (\(report.size - offset) bytes; the next write cuts it off)")
        case .damaged(let offset, let reason)?:
            Output.say("damaged at byte \(offset): \(reason)")
        case .newer(let offset, _)?:
            Output.say("unknown but intact at byte \(offset): a record of a newer helpdesk (kept as it is)")
        }
        if let copy = report.copy {
            Output.say("repaired: kept a copy at \(copy), cut the log to \(report.validEnd) bytes")
            return
        }
        if case .newer(_, let message)? = report.problem {
            throw UserError(message: message, code: ExitStatus.newer)
        }
        if case .damaged? = report.problem {
            throw UserError(message: "the log is damaged; run: helpdesk fsck --repair --log \(desk.logPath)",
                            code: ExitStatus.damaged)
        }
    }
}

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print the log's records, one line each; with --follow, keep printing new ones as they are written.")
    @OptionGroup var desk: DeskOptions
    @Flag(help: "Wait for new records (inotify) and print them as they come.") var follow = false
    @Option(help: "Only records after this sequence number.") var after: Int = 0
    @Flag(help: "Print each record as JSON, as the log holds it.") var json = false

    func run() throws {
        let path = desk.logPath
        // Watch before the first read, so nothing written in between is missed.
        let follower = follow ? try LogFollower(location: desk.location) : nil
        let after = self.after, json = self.json
        var log: DeskLog?
        // Records are printed a run at a time, so that the message bodies of a run are read
        // together (from a database, a few queries rather than one per message). Those replayed
        // while the log is being opened wait for it to be set (a JSON line needs it for bodies).
        var pending: [Record] = []
        // The records already written are one answer, printed once all of them are read (a
        // damaged record stops the command with nothing printed); those that follow, as they come.
        var answer: Answer? = Answer()
        func printPending(log: DeskLog) {
            for start in stride(from: 0, to: pending.count, by: EventsCommand.recordsPerRead) {
                let run = pending[start..<min(start + EventsCommand.recordsPerRead, pending.count)]
                for line in EventsCommand.lines(run, log: log, json: json) {
                    if answer != nil { answer?.line(line) } else { EventsCommand.emit(line) }
                }
            }
            pending.removeAll(keepingCapacity: true)
        }
        log = try DeskLog(location: desk.location, writable: false) { record in
            guard record.seq > after else { return }
            pending.append(record)
            if let log, pending.count >= EventsCommand.recordsPerRead { printPending(log: log) }
        }
        guard let log else { return }
        try DeskAdmission.check(log.desk, logPath: path)
        printPending(log: log)
        answer?.write()
        answer = nil
        guard let follower else { return }
        while true {
            follower.wait(timeout: -1)
            try log.catchUp()
            printPending(log: log)
        }
    }

    static let recordsPerRead = 512

    /// Unbuffered, so a follower's reader sees each record as soon as it is applied.
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// The lines of a run of records: one per event, or with `json` one per record, each message
    /// with its body (a body that cannot be read is left empty).
    static func lines(_ records: ArraySlice<Record>, log: DeskLog, json: Bool) -> [String] {
        guard json else { return records.flatMap(textLines) }
        let bodies = records.flatMap { $0.events.compactMap(\.messageBody) }
        let texts = (try? log.texts(of: bodies)) ?? bodies.map { (try? log.text(of: $0)) ?? "" }
        var next = texts.makeIterator()
        return records.map { jsonLine($0, nextBody: { next.next() ?? "" }) }
    }

    private static func jsonLine(_ record: Record, nextBody: () -> String) -> String {
        let events = record.events.map { event -> JSONValue in
            guard case .messageAdded = event, case .object(var fields) = EventCoding.encode(event)
            else { return EventCoding.encode(event) }
            let body = nextBody()
            if let index = fields.firstIndex(where: { $0.0 == "body" }) { fields[index].1 = .string(body) }
            return .object(fields)
        }
        var fields: [(String, JSONValue)] = [("seq", JSONValue(record.seq)), ("at", Output.time(record.at)),
                                             ("actor", .string(record.actor))]
        if let via = record.via { fields.append(("via", .string(via))) }
        fields.append(("events", .array(events)))
        return JSONValue.object(fields).serializedString()
    }

    private static func textLines(_ record: Record) -> [String] {
        record.events.map { event in
            let ticket = event.ticketID.map { "#\($0) " } ?? ""
            return VisibleText.sanitize("\(Timestamp.format(record.at))  \(record.seq)  \(record.actor)  \(ticket)\(event.summary)")
        }
    }
}

private extension Event {
    var messageBody: MessageBody? {
        if case .messageAdded(_, _, let body) = self { body } else { nil }
    }
}
