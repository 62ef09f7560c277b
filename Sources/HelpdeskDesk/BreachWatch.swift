import Foundation
import HelpdeskCore
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// For a process that only reads the desk (a listing, the wallboard): notices SLA breaches that
/// are due and records their escalations through a writable desk of its own, opened the first
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

    /// Looks at the desk as the reader has it; when an escalation is due, records it (decided
    /// again under the lock against the fresh log). Returns true when it wrote a record.
    @discardableResult
    public func check(_ reader: DeskLog, now: Date) -> Bool {
        let due = reader.dueBreachTickets(now: now)
        guard !due.isEmpty, PersonsGroup.programMayWrite(path) else { return false }
        do {
            let log = try writer ?? DeskLog(path: path, writable: true)
            writer = log
            log.onNotice = onNotice
            log.lockTimeout = lockTimeout
            lastError = nil
            let desk = DeskService(log: log, identity: Identity(actor: SLAEscalation.actor, via: via), clock: { now })
            return try desk.perform(.escalateDueBreaches(tickets: due)).record != nil
        } catch {
            lastError = error
            return false
        }
    }
}
