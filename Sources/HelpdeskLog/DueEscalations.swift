import Foundation
import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

extension DeskLog {
    /// Records the SLA escalations due at `now`, if any, as one record by the desk ("via" the
    /// account that noticed). Decided under the lock against the caught-up desk, so of several
    /// processes noticing the same breach only the first writes it. Returns the events written.
    /// Only `tickets` are re-decided under the lock (those a scan made before it found due), so
    /// the lock is not held for a scan of the whole desk.
    @discardableResult
    public func escalateDueBreaches(via: String?, now clock: @autoclosure () -> Date = Date(),
                                    tickets: [Int]) throws -> Int {
        let appended = try append(actor: SLAEscalation.actor, via: via, now: clock()) { desk, now throws(Refusal) in
            SLAEscalation.events(on: desk, now: now, tickets: tickets)
        }
        return appended.record?.events.count ?? 0
    }
}

/// For a process that only reads the desk (a listing, the wallboard): notices SLA breaches that
/// are due and records their escalations through a writable handle of its own, opened the first
/// time one is due. An account that may not write the log only shows the breach.
public final class BreachWatch {
    public let path: String
    /// The account whose process noticed (the record's `via`).
    public let via: String?
    /// How long to wait for the log's lock before leaving the escalation to someone else.
    public var lockTimeout: TimeInterval
    /// The last failure to record an escalation (the reader carries on regardless).
    public private(set) var lastError: Error?
    private var writer: DeskLog?
    /// Told about repairs its writer makes on the way (a torn tail cut off), as `DeskLog.onNotice`.
    public var onNotice: ((String) -> Void)?

    public init(path: String, via: String?, lockTimeout: TimeInterval = 10) {
        self.path = path
        self.via = via
        self.lockTimeout = lockTimeout
    }

    /// Looks at the desk as the reader has it; when an escalation is due, appends it (decided
    /// again under the lock against the fresh log). Returns true when it wrote a record.
    @discardableResult
    public func check(_ reader: DeskLog, now: Date = Date()) -> Bool {
        let due = reader.dueBreachTickets(now: now)
        guard !due.isEmpty, access(path, W_OK) == 0 else { return false }
        do {
            let log = try writer ?? DeskLog(path: path, writable: true)
            writer = log
            log.onNotice = onNotice
            log.lockTimeout = lockTimeout
            lastError = nil
            return try log.escalateDueBreaches(via: via, now: now, tickets: due) > 0
        } catch {
            lastError = error
            return false
        }
    }
}
