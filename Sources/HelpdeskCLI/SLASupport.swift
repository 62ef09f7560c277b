import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

extension DeskChoosing {
    /// Opens the desk for reading, and first records any SLA escalation that is due (through a
    /// writable handle, when this account may write the log), so what is printed is current.
    func openNoticingBreaches(now: Date) throws -> DeskLog {
        let log = try openForReading()
        let watch = BreachWatch(location: location, via: try? Identity.currentAccount())
        watch.onNotice = { Output.warn($0) }
        watch.writesFromTheReader = true
        watch.check(log, now: now)
        try log.catchUp()  // whichever process wrote an escalation, print the desk with it
        return log
    }

    /// Appends a change to the SLA policy (supervisors only, decided under the lock).
    @discardableResult
    func perform(policy command: SLAPolicyCommand) throws -> DeskService.Performed {
        try perform(.changePolicy(command))
    }
}

extension Output {
    /// `sla` in ticket JSON: each target's due time (null where it does not apply) and the
    /// targets breached. One calculator serves a whole command, so tickets share the calendar's totals.
    static func slaJSON(_ ticket: Ticket, now: Date, calculator: SLACalculator) -> JSONValue {
        let sla = calculator.evaluate(ticket, now: now)
        return .object([
            ("first_response_due", time(sla.due(.firstResponse))),
            ("next_response_due", time(sla.due(.nextResponse))),
            ("resolution_due", time(sla.due(.resolution))),
            ("breached", .array(sla.breached.map { .string($0.rawValue) })),
        ])
    }

    static func seconds(_ value: TimeInterval?) -> JSONValue {
        guard let value else { return .null }
        return value == value.rounded() ? .int(Int64(value)) : .double((value * 1000).rounded() / 1000)
    }

    static func ratio(_ value: Double?) -> JSONValue {
        value.map { .double(($0 * 10_000).rounded() / 10_000) } ?? .null
    }

    static func percent(_ value: Double?) -> String {
        guard let value else { return "-" }
        let tenths = (value * 1000).rounded() / 10
        return tenths == tenths.rounded() ? "\(Int(tenths))%" : "\(tenths)%"
    }

    static func duration(_ value: TimeInterval?) -> String {
        value.map { DurationText.format($0) } ?? "-"
    }
}
