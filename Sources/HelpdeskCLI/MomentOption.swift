import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

/// `--at TIME` on the commands that read: the desk exactly as the log had it at that moment.
struct MomentOption: ParsableArguments {
    @Option(name: .customLong("at"), help: ArgumentHelp(
        "Show the desk as it was then, read-only: a time (2026-11-29 14:05, 14:05, yesterday 09:00, RFC 3339) "
            + "or how long ago (3h, 2d).", valueName: "time"))
    var text: String?

    /// The moment asked for; nil: now.
    func moment(now: Date) throws -> Date? { try Self.moment(text, now: now) }

    /// The moment `--at text` asks for; nil: now.
    static func moment(_ text: String?, now: Date) throws -> Date? {
        guard let text else { return nil }
        let moment = try TimeText.parse(text, now: now, timeZone: .current, durations: .ago)
        guard moment <= now else { throw Refusal(.invalid, "--at \(text) is in the future") }
        return moment
    }

    /// " at TIME" for a desk opened at a moment, so a refusal says it was looking at the past.
    static func then(_ log: DeskLog) -> String {
        log.moment.map { " at \(Timestamp.format($0))" } ?? ""
    }

    /// Ticket `id` of the desk opened, or a refusal that names the moment looked at.
    static func ticket(_ id: Int, of log: DeskLog) throws -> Ticket {
        guard let ticket = log.desk.ticket(id) else { throw Refusal(.notFound, "no ticket \(id)" + then(log)) }
        return ticket
    }
}

extension DeskChoosing {
    /// The desk now (with the escalations due noticed), or at `--at`'s moment; and the time its
    /// clocks are read at.
    func open(at option: MomentOption) throws -> (log: DeskLog, now: Date) { try open(atMoment: option.text) }

    /// The same, for `--at text` (nil: now).
    func open(atMoment text: String?) throws -> (log: DeskLog, now: Date) {
        let now = SystemClock.now()
        guard let moment = try MomentOption.moment(text, now: now) else { return (try openNoticingBreaches(now: now), now) }
        // Who may read is the roster's say now, not at the moment looked at.
        if case .file = location { try DeskAdmission.check(logPath: logPath) }
        let log = try DeskLog.loadingShowingProgress({ try DeskLog(location: location, asOf: moment, progress: $0) },
                                                    log: { $0 }).reportingRepairs()
        if case .file = location {} else { try DeskAdmission.check(log.desk, logPath: logPath) }
        return (log, moment)
    }
}
