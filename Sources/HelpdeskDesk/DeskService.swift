import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskSearch

/// The one road by which the desk changes, for every adapter (command line, console, wallboard,
/// mail and JSON intake): a `Command` is decided by `Rules` against the freshly caught-up desk
/// under the log's lock, and appended; first, as their own record by the desk, the SLA
/// escalations due; after, what follows an append: the reply's mail sent at once (when mail is
/// set up) and the snapshot refreshed (by the log).
public final class DeskService {
    public let log: DeskLog
    public let identity: Identity
    /// The desk's time: every record's moment, every due escalation, every mail's date.
    public let clock: () -> Date
    /// Whether a change first records the SLA escalations due (see `SLAEscalation`).
    public var escalatesDueBreaches = true
    /// Whether a change is followed by the desk handing out waiting tickets (see `AutoAssignment`).
    public var handsOutWaiting = true
    /// Whether a batch (`performEach`) is followed by bringing the search index up to date; a
    /// caller appending batch after batch may turn it off and do it once at its end.
    public var refreshesSearchIndex = true
    /// Where the mail configuration is, to send the mail a change queues at once; nil leaves it
    /// for `helpdesk deliver`.
    public var mail: MailSetup?

    public init(log: DeskLog, identity: Identity, clock: @escaping () -> Date, mail: MailSetup? = nil) {
        self.log = log
        self.identity = identity
        self.clock = clock
        self.mail = mail
    }

    /// Opens the log for writing and works out who acts: the account running the program, or
    /// `actingAs` for root alone.
    public convenience init(path: String, actingAs: String?, clock: @escaping () -> Date, mail: MailSetup? = nil,
                            progress: ((_ done: Int64, _ total: Int64) -> Void)? = nil) throws {
        try self.init(location: .file(path: path), actingAs: actingAs, clock: clock, mail: mail, progress: progress)
    }

    public convenience init(location: StoreLocation, actingAs: String?, clock: @escaping () -> Date, mail: MailSetup? = nil,
                            progress: ((_ done: Int64, _ total: Int64) -> Void)? = nil) throws {
        let log = try DeskLog(location: location, writable: true, progress: progress)
        self.init(log: log, identity: try Identity.resolve(actingAs: actingAs, databaseRole: log.databaseRole,
                                                           actingRoles: log.desk.actingRoles),
                  clock: clock, mail: mail)
    }

    /// The same desk and log, acted on by one of the desk's own actors (mail, intake), via the
    /// account behind this one.
    public func acting(asDesk actor: String) -> DeskService {
        acting(as: Identity(actor: actor, via: identity.actor == actor ? identity.via : identity.via ?? identity.actor))
    }

    /// The same desk and log, acted on by someone else.
    public func acting(as identity: Identity) -> DeskService {
        let other = DeskService(log: log, identity: identity, clock: clock, mail: mail)
        other.escalatesDueBreaches = escalatesDueBreaches
        other.handsOutWaiting = handsOutWaiting
        other.refreshesSearchIndex = refreshesSearchIndex
        return other
    }

    /// What a command came to.
    public struct Performed {
        /// The record (nil when nothing needed to change) and the desk right after it.
        public var appended: DeskLog.Appended
        /// What an intake or an import did, beyond its events.
        public var outcome: Rules.Decision.Outcome?
        /// What became of the mail the record queued (nil when it queued none).
        public var mail: MailSending?

        public var record: Record? { appended.record }
        public var desk: Desk { appended.desk }
    }

    /// Decides and appends `command`. `lockWait` 0 tries the lock once (`LogError.lockTimeout`
    /// when it is held), for a caller that must not block.
    @discardableResult
    public func perform(_ command: Command, lockWait: TimeInterval? = nil) throws -> Performed {
        try perform(lockWait: lockWait) { _, _ in command }
    }

    /// Decides and appends the command `make` builds from the fresh desk and the moment (a
    /// follow-up "in 2h", a draft checked against what arrived since it was begun). Without
    /// `sendingMail`, the mail it queues is left to the caller (see `mailDue(after:)`).
    @discardableResult
    public func perform(lockWait: TimeInterval? = nil, sendingMail: Bool = true,
                        _ make: (Desk, Date) throws(Refusal) -> Command) throws -> Performed {
        let actor = identity.actor
        var outcome: Rules.Decision.Outcome?
        let appended = try log.append(actor: actor, via: identity.via, now: clock, lockWait: lockWait,
                                      prelude: try duePrelude(now: clock()), postlude: handOut) { desk, now throws(Refusal) in
            let decision = try Rules.decision(try self.prepared(try make(desk, now), on: desk), by: actor, at: now, on: desk)
            outcome = decision.outcome
            return decision.events
        }
        if appended.record != nil { SearchIndex.refreshAfterWrite(log) }
        return Performed(appended: appended, outcome: outcome,
                         mail: sendingMail ? sendQueuedMail(of: appended.record) : nil)
    }

    /// What `performEach` did: the log's batch, and each item's outcome beside its record.
    public struct Batch {
        public var batch: DeskLog.Batch
        public var outcomes: [Rules.Decision.Outcome?]
    }

    /// Decides and appends `count` commands as records of their own under one hold of the lock
    /// and one sync (see `DeskLog.appendEach`): a refused one is reported and skipped.
    public func performEach(_ count: Int, _ make: (Int, Desk, Date) throws(Refusal) -> Command) throws -> Batch {
        let actor = identity.actor
        var outcomes = [Rules.Decision.Outcome?](repeating: nil, count: count)
        let batch = try log.appendEach(count, actor: actor, via: identity.via, now: clock,
                                       prelude: try duePrelude(now: clock()), postlude: handOut) { index, desk, now throws(Refusal) in
            let decision = try Rules.decision(try self.prepared(try make(index, desk, now), on: desk), by: actor, at: now,
                                               on: desk)
            outcomes[index] = decision.outcome
            return decision.events
        }
        if refreshesSearchIndex, batch.outcomes.contains(where: { (try? $0.get()) != nil }) { SearchIndex.refreshAfterWrite(log) }
        return Batch(batch: batch, outcomes: outcomes)
    }

    /// The waiting tickets handed out after the change, as a record by the desk (`via` the account
    /// whose change it follows), decided under the same hold of the lock on the desk with the
    /// change applied: of several processes, whichever appends next finds what is due, once.
    private var handOut: DeskLog.Prelude? {
        guard handsOutWaiting else { return nil }
        let actor = AutoAssignment.actor
        return DeskLog.Prelude(actor: actor, via: identity.via ?? identity.actor) { desk, now in
            (try? Rules.decide(.team(.handOutWaiting), by: actor, at: now, on: desk)) ?? []
        }
    }

    /// The escalations due, as a record the log writes first under the lock, by the desk (`via`
    /// the account that noticed). Which tickets may be due is worked out before the lock, on the
    /// desk as read so far (it can walk many clocks, too slow to make other writers wait); the
    /// decision itself is made again on the fresh desk, so of two processes noticing the same
    /// breach only one escalates it.
    private func duePrelude(now: Date) throws -> DeskLog.Prelude? {
        guard escalatesDueBreaches, identity.actor != SLAEscalation.actor else { return nil }
        try log.catchUp()
        let due = log.dueBreachTickets(now: Timestamp.truncated(now))
        guard !due.isEmpty else { return nil }
        let actor = SLAEscalation.actor
        return DeskLog.Prelude(actor: actor, via: identity.via ?? identity.actor) { desk, now in
            (try? Rules.decide(.escalateDueBreaches(tickets: due), by: actor, at: now, on: desk)) ?? []
        }
    }
}
