import Foundation
import HelpdeskCore
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// For a process that reads the desk (a listing, the wallboard, an open console): notices SLA
/// breaches that are due and records their escalations through a writable desk, its own
/// (opened the first time one is due) or the one the process already writes with. An account
/// that may not write the log only shows the breach.
public final class BreachWatch {
    public let location: StoreLocation
    /// The account whose process noticed (the record's `via`).
    public let via: String?
    /// How long to wait for the log's lock; 0 (for a loop that must not block) tries it once,
    /// and a lock held elsewhere leaves the escalation for the next try (`isWaitingForLock`).
    public var lockTimeout: TimeInterval
    /// The last failure to record an escalation (the reader carries on regardless).
    public private(set) var lastError: Error?
    /// The last try found the log's lock held by another process: the escalation is still due.
    public private(set) var isWaitingForLock = false
    /// The next moment an escalation can fall due, as of the last `tick`.
    public private(set) var nextMoment: Date?
    private var writer: DeskLog?
    /// Whether its own writer starts from the reader's desk (`DeskLog.writableCopy`) rather than
    /// replaying the log again, leaving the snapshot to the reader: for a command that reads once.
    public var writesFromTheReader = false
    /// Told about repairs its writer makes on the way (a torn tail cut off), as `DeskLog.onNotice`.
    public var onNotice: ((String) -> Void)?

    /// How soon a loop tries again while the log's lock is held elsewhere.
    public static let lockRetryInterval: TimeInterval = 0.5

    public convenience init(path: String, via: String?, lockTimeout: TimeInterval = 10) {
        self.init(location: .file(path: path), via: via, lockTimeout: lockTimeout)
    }

    public init(location: StoreLocation, via: String?, lockTimeout: TimeInterval = 10) {
        self.location = location
        self.via = via
        self.lockTimeout = lockTimeout
    }

    /// A watch for a loop that writes through `writer` already (the console's own log): it
    /// never waits for the lock.
    public init(writer: DeskLog, via: String?) {
        location = writer.location
        self.via = via
        lockTimeout = 0
        self.writer = writer
    }

    /// Looks at the desk as the reader has it; when an escalation is due, records it (decided
    /// again under the lock against the fresh log). Returns true when it wrote a record.
    @discardableResult
    public func check(_ reader: DeskLog, now: Date) -> Bool {
        isWaitingForLock = false
        let due = reader.dueBreachTickets(now: now)
        guard !due.isEmpty, location.filePath.map(PersonsGroup.programMayWrite) ?? true else { return false }
        do {
            let copy = writer == nil && writesFromTheReader ? try reader.writableCopy() : nil
            let log = try writer ?? copy ?? DeskLog(location: location, writable: true)
            writer = log
            if let onNotice { log.onNotice = onNotice }
            lastError = nil
            let desk = DeskService(log: log, identity: Identity(actor: SLAEscalation.actor, via: via), clock: { now })
            return try desk.perform(.escalateDueBreaches(tickets: due), lockWait: lockTimeout).record != nil
        } catch LogError.lockTimeout(_, _) {
            isWaitingForLock = true
            return false
        } catch {
            lastError = error
            return false
        }
    }

    /// `check`, for a loop whose timer wakes for escalations: then works out when to look
    /// again (`secondsToNextLook`).
    @discardableResult
    public func tick(_ reader: DeskLog, now: Date) -> Bool {
        let recorded = check(reader, now: now)
        nextMoment = reader.nextBreachMoment(after: now)
        return recorded
    }

    /// Seconds until the loop should `tick` again for escalations alone: soon while one waits
    /// for the lock, else at the next moment one can fall due; nil: not before the desk changes.
    public func secondsToNextLook(now: Date) -> TimeInterval? {
        if isWaitingForLock { return Self.lockRetryInterval }
        return nextMoment.map { max($0.timeIntervalSince(now), 0) }
    }
}
