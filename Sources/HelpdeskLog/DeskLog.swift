import Foundation
import HelpdeskCore

/// The desk as one process sees it: the log (a file, or a database: see `LogStore`) and the
/// state of every record read from it.
///
/// Reading never takes the lock: intact records are applied, an incomplete tail is left for
/// later. Appending takes the lock, catches up, lets the caller decide against that fresh
/// state, writes one record with one write(), syncs it, and reads it back like any other.
public final class DeskLog {
    /// The log's file, or its database's URL without the password: how messages name it.
    public let path: String
    public let location: StoreLocation
    public let writable: Bool
    public private(set) var desk = Desk()
    /// Offset just past the last record applied.
    public private(set) var readOffset: Int64 = 0
    /// Called with each record as it is applied, for followers that print or redraw.
    public var onRecord: ((Record) -> Void)?
    /// Told about repairs made on the way (a torn tail cut off, a damaged snapshot removed), in
    /// words for people; what happened before it was set (while the log was opened) is told then.
    public var onNotice: ((String) -> Void)? {
        didSet {
            guard let onNotice else { return }
            let told = untoldNotices
            untoldNotices = []
            told.forEach(onNotice)
        }
    }
    private var untoldNotices: [String] = []
    /// How long an append waits for another process's lock before giving up.
    public var lockTimeout: TimeInterval = 10
    /// When an append refreshes the snapshot beside the log.
    public var snapshotPolicy = SnapshotPolicy()
    /// For a process that appends for a long while: refreshes due are spaced out (nil: each is written).
    public var snapshotPacing: SnapshotPacing?
    /// Replays of at least this many bytes run on two threads (see `PipelinedScan`).
    public var pipelinedReplayBytes: Int64 = DeskLog.defaultPipelinedReplayBytes
    public static let defaultPipelinedReplayBytes: Int64 = 16 << 20
    /// What the snapshot this process loaded or wrote covers (zeros: none).
    public private(set) var snapshotCovers: (seq: Int, offset: Int64) = (0, 0)
    /// Events applied since the snapshot (all of them without one).
    private var eventsSinceSnapshot = 0
    /// Opened from a checkpoint, the snapshot being missing or unusable: a new one is due
    /// however few records came after the checkpoint.
    public private(set) var snapshotMissing = false
    /// Told how far a replay has read (bytes done, bytes in all) while the log is opened.
    private var replayProgress: ((Int64, Int64) -> Void)?
    /// When each ticket could next have an SLA escalation due (from the snapshot, or worked out
    /// the first time it is needed), and the tickets changed since (see `dueBreachTickets`).
    private var breachSchedule: BreachSchedule?
    private var ticketsChangedSinceSchedule = Set<Int>()
    /// Whether to note the tickets each applied record touches, for `takeTouchedTickets`.
    public var notesTouchedTickets = false
    private var touchedTickets = Set<Int>()

    let file: any LogStore
    /// Where this process keeps its snapshot of the desk (nil: none).
    let snapshotPath: String?
    /// The moment a desk opened `asOf` stays at: records after it are never applied.
    public private(set) var moment: Date?
    /// The snapshot whose checkpoints this desk may read (a desk opened `asOf` writes no snapshot,
    /// yet reads the checkpoints beside it).
    var checkpointsOf: String? { snapshotPath ?? pastSnapshotPath }
    private var pastSnapshotPath: String?
    /// When the last record applied was written (nil: none applied by this process yet).
    public private(set) var lastAppliedAt: Date?

    private init(file: any LogStore, location: StoreLocation, writable: Bool, snapshotPath: String?) {
        self.path = file.path
        self.location = location
        self.file = file
        self.writable = writable
        self.snapshotPath = snapshotPath
    }

    /// Opens an existing log and replays it, telling `onRecord` of each record applied,
    /// during the replay and every catch-up after it. Without `onRecord`, the desk starts from
    /// the snapshot beside the log when one fits it, and only the records after it are replayed.
    /// A desk from a snapshot reads each ticket from it when asked for, unless `holdEveryTicket`
    /// (for a process that looks at every ticket again and again, like the console).
    public convenience init(path: String, writable: Bool, onRecord: ((Record) -> Void)? = nil,
                            snapshots: Bool = true, holdEveryTicket: Bool = false,
                            pipelinedReplayBytes: Int64 = DeskLog.defaultPipelinedReplayBytes,
                            progress: ((_ done: Int64, _ total: Int64) -> Void)? = nil) throws {
        try self.init(location: .file(path: path), writable: writable, onRecord: onRecord, snapshots: snapshots,
                      holdEveryTicket: holdEveryTicket, pipelinedReplayBytes: pipelinedReplayBytes, progress: progress)
    }

    /// Opens the desk at `location` (see the other initialiser); a database's snapshot is this
    /// account's own, in its cache folder.
    public convenience init(location: StoreLocation, writable: Bool, onRecord: ((Record) -> Void)? = nil,
                            snapshots: Bool = true, holdEveryTicket: Bool = false,
                            pipelinedReplayBytes: Int64 = DeskLog.defaultPipelinedReplayBytes,
                            progress: ((_ done: Int64, _ total: Int64) -> Void)? = nil) throws {
        let opened = try StoreOpening.open(location, writable: writable)
        self.init(file: opened.store, location: location, writable: writable, snapshotPath: opened.snapshotPath)
        self.onRecord = onRecord
        self.pipelinedReplayBytes = pipelinedReplayBytes
        replayProgress = progress
        defer { replayProgress = nil }
        if onRecord == nil, snapshots, let snapshotPath,
           let snapshot = loadSnapshot(snapshotPath, holdEveryTicket: holdEveryTicket) {
            desk = snapshot.desk
            breachSchedule = snapshot.breaches
            readOffset = snapshot.offset
            snapshotCovers = (desk.lastSeq, readOffset)
            do {
                try catchUp()
                return
            } catch {
                // The records after the snapshot do not follow from it: the log alone decides.
                desk = Desk()
                breachSchedule = nil
                ticketsChangedSinceSchedule = []
                readOffset = 0
                snapshotCovers = (0, 0)
                eventsSinceSnapshot = 0
                snapshotMissing = false
            }
        }
        try catchUp()
    }

    /// A handle that may append to the same store, starting from this desk as read (no second
    /// replay); nil when the store opened for writing is not the one read (its first bytes, or
    /// those before the offset read to, differ: the log was replaced meanwhile). It never writes a
    /// snapshot: that is left to this reader, which sees its records by catching up.
    public func writableCopy() throws -> DeskLog? {
        guard moment == nil, onRecord == nil else { return nil }
        let opened = try StoreOpening.open(location, writable: true)
        guard let read = try? SnapshotFile.fingerprint(of: file, upTo: readOffset),
              let written = try? SnapshotFile.fingerprint(of: opened.store, upTo: readOffset),
              read == written else { return nil }
        let copy = DeskLog(file: opened.store, location: location, writable: true, snapshotPath: opened.snapshotPath)
        copy.desk = desk
        copy.readOffset = readOffset
        copy.lastAppliedAt = lastAppliedAt
        copy.breachSchedule = breachSchedule
        copy.ticketsChangedSinceSchedule = ticketsChangedSinceSchedule
        copy.snapshotPolicy.enabled = false
        copy.lockTimeout = lockTimeout
        return copy
    }

    /// How long opening waits for another process writing the snapshot, when there is none it can
    /// use: a command started while the one before it writes the snapshot opens from it rather
    /// than replaying the whole log again.
    public static let snapshotWriterWait: TimeInterval = 10

    private func loadSnapshot(_ path: String, holdEveryTicket: Bool) -> (desk: Desk, breaches: BreachSchedule?, offset: Int64)? {
        func load() -> (desk: Desk, breaches: BreachSchedule?, offset: Int64)? {
            SnapshotFile.load(from: path, for: file, holdEveryTicket: holdEveryTicket, notice: { [weak self] in self?.notice($0) })
        }
        if let snapshot = load() { return snapshot }
        // The newest checkpoint and the records since cost about what the snapshot would: no
        // need to replay the whole log, or to wait for another process writing the snapshot.
        if let checkpoint = newestCheckpoint(of: path, before: .distantFuture, holdEveryTicket: holdEveryTicket) {
            snapshotMissing = true
            return checkpoint
        }
        // Nothing of its own (an account new to a database desk): the snapshot its users share.
        if let database = file as? PostgresStore, let header = database.fetchSharedSnapshot(to: path) {
            if let snapshot = load() { return snapshot }
            database.dropSharedSnapshot(header: header)
            unlink(path)  // in this account's own cache folder (see `StoreOpening.cachedSnapshotPath`)
            notice("the database's shared snapshot was damaged; it was set aside")
        }
        return SnapshotWriter.waitForWriter(of: path, timeout: Self.snapshotWriterWait) ? load() : nil
    }

    /// The newest checkpoint beside the snapshot at `path` whose last record is at or before
    /// `moment` and that fits the log; one that does not (damaged, of another log or format) is
    /// passed over.
    private func newestCheckpoint(of path: String, before moment: Date,
                                  holdEveryTicket: Bool = false) -> (desk: Desk, breaches: BreachSchedule?, offset: Int64)? {
        for checkpoint in Checkpoints.paths(snapshotPath: path, before: moment) {
            if let saved = SnapshotFile.load(from: checkpoint, for: file, holdEveryTicket: holdEveryTicket,
                                             notice: { [weak self] in self?.notice($0) }) {
                return saved
            }
        }
        return nil
    }

    /// The desk as the log had it at `moment`: the records written at or before it, from the
    /// newest checkpoint that fits (see `Checkpoints`), else from the start. Read-only; it never
    /// writes a snapshot, and catching up never goes past the moment.
    public convenience init(location: StoreLocation, asOf moment: Date,
                            progress: ((_ done: Int64, _ total: Int64) -> Void)? = nil) throws {
        let opened = try StoreOpening.open(location, writable: false)
        self.init(file: opened.store, location: location, writable: false, snapshotPath: nil)
        self.moment = moment
        pastSnapshotPath = opened.snapshotPath
        replayProgress = progress
        defer { replayProgress = nil }
        if let saved = opened.snapshotPath.flatMap({ newestCheckpoint(of: $0, before: moment) }) {
            desk = saved.desk
            readOffset = saved.offset
            snapshotCovers = (desk.lastSeq, readOffset)
        }
        try catchUp()
    }

    /// Creates a new log whose first record creates the desk, with `actor` as its supervisor.
    public static func create(path: String, actor: String, displayName: String?, now: Date) throws -> DeskLog {
        try create(at: .file(path: path), actor: actor, displayName: displayName, now: now)
    }

    /// Creates a new desk at `location` (a new file, or the tables in an empty database).
    public static func create(at location: StoreLocation, actor: String, displayName: String?, now: Date) throws -> DeskLog {
        let created = try StoreOpening.create(location)
        let log = DeskLog(file: created.store, location: location, writable: true, snapshotPath: created.snapshotPath)
        _ = try log.append(actor: actor, now: now) { desk, now throws(Refusal) in
            try Rules.decide(.createDesk(displayName: displayName), by: actor, at: now, on: desk)
        }
        return log
    }

    private func notice(_ text: String) {
        if let onNotice { onNotice(text) } else { untoldNotices.append(text) }
    }

    /// The database role this process acts as, for a desk kept in a database (see
    /// `Desk.actingRoles`); nil for a file.
    public var databaseRole: String? { (file as? PostgresStore)?.role }

    /// The account that owns the log file (who may act as any agent, since they can write it
    /// anyway); nil for a database.
    public func ownerUID() throws -> UInt32? { try file.ownerUID() }

    /// Applies every intact record written since the last call. Returns how many were applied.
    @discardableResult
    public func catchUp() throws -> Int {
        try catchUp(underLock: false)
    }

    private func catchUp(underLock: Bool) throws -> Int {
        var applied = 0
        var progress = try ScanProgress(replayProgress, file: file, from: readOffset)
        if let moment { return try catchUp(until: moment, progress: &progress) }
        if !underLock, try file.size() - readOffset >= pipelinedReplayBytes {
            let end = try PipelinedScan.run(file, from: readOffset, lookAhead: ticketPrefetch) { record, offset, length in
                progress.reached(offset)
                try apply(record, at: offset)
                readOffset = offset + Int64(length)
                applied += 1
            }
            readOffset = end.validEnd
            return applied
        }
        let end = try LogScanner(file: file).scan(from: readOffset) { line, offset in
            progress.reached(offset)
            try apply(try decode(line, at: offset), at: offset)
            readOffset = offset + Int64(line.count) + 1  // so a later call resumes after it, even if this one throws
            applied += 1
        }
        readOffset = end.validEnd
        // Only a writer holding the lock knows no one is still writing the tail: cut it off.
        if underLock, end.hasTail {
            try file.truncate(to: end.validEnd)
            notice("cut off \(end.size - end.validEnd) bytes at the end of \(path) left by an interrupted write (\(end.tailReason ?? "incomplete"))")
        }
        return applied
    }

    /// A desk at a moment: applies the records up to the first written after it, and stops there.
    private func catchUp(until moment: Date, progress: inout ScanProgress) throws -> Int {
        struct PastTheMoment: Error {}
        var applied = 0
        if try file.size() - readOffset >= pipelinedReplayBytes {
            do {
                _ = try PipelinedScan.run(file, from: readOffset, lookAhead: ticketPrefetch) { record, offset, length in
                    progress.reached(offset)
                    guard record.at <= moment else { throw PastTheMoment() }
                    try apply(record, at: offset)
                    readOffset = offset + Int64(length)
                    applied += 1
                }
            } catch is PastTheMoment {}
            return applied
        }
        do {
            _ = try LogScanner(file: file).scan(from: readOffset) { line, offset in
                progress.reached(offset)
                let record = try decode(line, at: offset)
                guard record.at <= moment else { throw PastTheMoment() }
                try apply(record, at: offset)
                readOffset = offset + Int64(line.count) + 1
                applied += 1
            }
        } catch is PastTheMoment {}
        return applied
    }

    /// Where the desk's tickets are now, for the replay to fetch those of records ahead.
    private func ticketPrefetch() -> TicketPrefetch {
        TicketPrefetch(desk.ticketsMemory)
    }

    private func decode(_ line: UnsafeBufferPointer<UInt8>, at offset: Int64) throws -> Record {
        do {
            return try RecordCodec.decode(line, bodies: .referenced(offset: offset))
        } catch {
            throw LogError.unreadable(path: path, offset: offset, error)
        }
    }

    private func apply(_ record: Record, at offset: Int64) throws {
        try desk.apply(record, at: offset, of: path)
        lastAppliedAt = record.at
        eventsSinceSnapshot += record.events.count
        if breachSchedule != nil || notesTouchedTickets {
            for event in record.events {
                for id in event.ticketIDs {
                    if breachSchedule != nil { ticketsChangedSinceSchedule.insert(id) }
                    if notesTouchedTickets { touchedTickets.insert(id) }
                }
            }
        }
        onRecord?(record)
    }

    /// The tickets touched since `takeTouchedTickets` was last called, leaving them to it.
    public var touchedSoFar: Set<Int> { touchedTickets }

    /// The tickets the records applied since the last call touched (with `notesTouchedTickets`):
    /// a view that keeps something per ticket redoes these rather than look at every ticket.
    public func takeTouchedTickets() -> Set<Int> {
        defer { touchedTickets = [] }
        return touchedTickets
    }

    /// The tickets with an SLA escalation due at `now` on the desk as read so far. Only the
    /// tickets the breach schedule says may be due, or that changed since it was made, have
    /// their clocks walked; the schedule is reworked for them as it goes.
    public func dueBreachTickets(now: Date) -> [Int] {
        let candidates = currentBreachSchedule(now: now).candidates(at: now, ticketCount: desk.tickets.count)
        let due = SLAEscalation.dueTickets(on: desk, now: now, among: candidates)
        // A candidate not due after all (a paused clock) moves on to its next moment, so the
        // schedule's next moment stays ahead of now.
        let notDue = Set(candidates).subtracting(due)
        if !notDue.isEmpty, var schedule = breachSchedule {
            breachSchedule = nil  // so the update below does not copy every ticket's moment
            schedule.update(notDue, desk: desk, now: now)
            breachSchedule = schedule
        }
        return due
    }

    /// The next moment after `now` an SLA escalation can fall due on the desk as read so far
    /// (see `BreachSchedule.nextMoment`): when a process recording them must look again.
    public func nextBreachMoment(after now: Date) -> Date? {
        currentBreachSchedule(now: now).nextMoment(after: now)
    }

    /// The breach schedule brought up to date with the desk (made whole the first time, or
    /// when the SLA policy changed).
    private func currentBreachSchedule(now: Date) -> BreachSchedule {
        if var schedule = breachSchedule, schedule.fits(desk) {
            breachSchedule = nil  // so the update below does not copy every ticket's moment
            schedule.update(ticketsChangedSinceSchedule, desk: desk, now: now)
            breachSchedule = schedule
        } else {
            breachSchedule = BreachSchedule(desk: desk, now: now)
        }
        ticketsChangedSinceSchedule = []
        return breachSchedule!
    }

    /// What an append did.
    public struct Appended: Sendable {
        /// The new record, or nil when the decision was that nothing needs to change.
        public var record: Record?
        /// The desk right after the record was applied.
        public var desk: Desk
    }

    /// A record written first under the same hold of the lock, when it decides any events (the
    /// SLA escalations due, by the desk): the main decision then sees the desk with it.
    public struct Prelude {
        public var actor: String
        public var via: String?
        public var decide: (Desk, Date) -> [Event]

        public init(actor: String, via: String?, decide: @escaping (Desk, Date) -> [Event]) {
            self.actor = actor
            self.via = via
            self.decide = decide
        }
    }

    /// Under the lock: catches up, writes `prelude`'s record if it has events, asks `decide` for
    /// events against that fresh state, and writes them as one durable record; then `postlude`'s
    /// record, if it has events (what the desk does after any change: hand out waiting tickets).
    /// Returns once the records are on disk and applied (`desk` is the desk after them all). `lockWait` (default `lockTimeout`) is how long to wait for
    /// another process's lock; 0 tries once, for a caller that must not block (it gets
    /// `LogError.lockTimeout`).
    public func append(actor: String, via: String? = nil, now clock: () -> Date,
                       lockWait: TimeInterval? = nil, prelude: Prelude? = nil, postlude: Prelude? = nil,
                       _ decide: (Desk, Date) throws(Refusal) -> [Event]) throws -> Appended {
        var appended = try underLock(prelude: prelude, postlude: postlude, now: clock,
                                     lockWait: lockWait ?? lockTimeout) { now in
            let events = try decide(desk, now)
            guard !events.isEmpty else { return Appended(record: nil, desk: desk) }
            let record = Record(seq: desk.lastSeq + 1, at: now, actor: actor, via: via, events: events)
            try write(record)
            return Appended(record: record, desk: desk)
        }
        appended.desk = desk
        // After the lock is released, so other writers never wait for it.
        if appended.record != nil { refreshSnapshotIfDue(now: clock()) }
        return appended
    }

    /// `append` at a moment fixed beforehand.
    public func append(actor: String, via: String? = nil, now: Date, lockWait: TimeInterval? = nil,
                       _ decide: (Desk, Date) throws(Refusal) -> [Event]) throws -> Appended {
        try append(actor: actor, via: via, now: { now }, lockWait: lockWait, decide)
    }

    /// What one item of `appendEach` came to: its record (nil when nothing needed to change), or
    /// why it was refused.
    public typealias ItemOutcome = Result<Record?, Refusal>

    /// What `appendEach` did: the outcome of each item taken, in order, all durable; and, when
    /// the log could not be written part-way through, why the items after them were not taken.
    public struct Batch {
        public var outcomes: [ItemOutcome]
        public var stoppedBy: Error?

        public init(outcomes: [ItemOutcome], stoppedBy: Error?) {
            self.outcomes = outcomes
            self.stoppedBy = stoppedBy
        }
    }

    /// Appends up to `count` items as records of their own under one hold of the lock: item `i`
    /// is decided against the desk with the records of the items before it applied, and one
    /// sync at the end makes them all durable (a group commit). A refused item is reported and
    /// skipped. Returns once every record is on disk and applied; the lock is held for the whole
    /// batch, so keep batches to a few hundred small items.
    public func appendEach(_ count: Int, actor: String, via: String? = nil, now clock: () -> Date,
                           prelude: Prelude? = nil, postlude: Prelude? = nil,
                           _ decide: (Int, Desk, Date) throws(Refusal) -> [Event]) throws -> Batch {
        let batch = try underLock(prelude: prelude, postlude: postlude, now: clock, lockWait: lockTimeout) { now in
            var batch = Batch(outcomes: [], stoppedBy: nil)
            for index in 0..<count {
                let events: [Event]
                do throws(Refusal) {
                    events = try decide(index, desk, now)
                } catch {
                    batch.outcomes.append(.failure(error))
                    continue
                }
                guard !events.isEmpty else { batch.outcomes.append(.success(nil)); continue }
                let record = Record(seq: desk.lastSeq + 1, at: now, actor: actor, via: via, events: events)
                do {
                    try write(record, sync: false)
                } catch {
                    batch.stoppedBy = error  // the items before it are still made durable below
                    break
                }
                batch.outcomes.append(.success(record))
            }
            try file.sync()
            return batch
        }
        if batch.outcomes.contains(where: { (try? $0.get()) != nil }) { refreshSnapshotIfDue(now: clock()) }
        return batch
    }

    /// Takes the lock, catches up, writes the prelude's record, and runs `body` with the moment
    /// of its records; then commits. A database's turn that fails undoes its records, and this
    /// desk forgets them too; one whose connection was lost is tried again, on a new connection
    /// (the store knows whether the lost COMMIT went through: see `PostgresStore.commit`).
    private func underLock<T>(prelude: Prelude?, postlude: Prelude? = nil, now clock: () -> Date, lockWait: TimeInterval,
                              _ body: (Date) throws -> T) throws -> T {
        precondition(writable, "append on a read-only log")
        var attempt = 0
        while true {
            do {
                return try oneTurnUnderLock(prelude: prelude, postlude: postlude, now: clock, lockWait: lockWait, body)
            } catch LogError.unreachable(let store, let reason) where file.undoesFailedTurns && attempt < 3 && lockWait > 0 {
                // (A caller that must not block, lockWait 0, hears of it at once and tries later.)
                attempt += 1
                notice("lost the connection to \(store) (\(reason)); trying again")
                usleep(UInt32(200_000 << attempt))
            }
        }
    }

    private func oneTurnUnderLock<T>(prelude: Prelude?, postlude: Prelude?, now clock: () -> Date, lockWait: TimeInterval,
                                     _ body: (Date) throws -> T) throws -> T {
        try file.lock(timeout: lockWait)
        defer { file.unlock() }
        _ = try catchUp(underLock: true)
        // Only a store that undoes a failed turn needs the desk as it was; held otherwise, it would
        // make the first record applied copy every ticket (a whole desk per batch of an import).
        let before = file.undoesFailedTurns ? (desk: desk, readOffset: readOffset, events: eventsSinceSnapshot) : nil
        do {
            let now = Timestamp.truncated(clock())
            try writeDecided(by: prelude, now: now)
            let result = try body(now)
            try writeDecided(by: postlude, now: now)
            try file.commit()
            return result
        } catch {
            if let before {
                (desk, readOffset, eventsSinceSnapshot) = before
            }
            throw error
        }
    }

    /// Writes the record a prelude or postlude decides on the desk as it is, if it has events.
    private func writeDecided(by lude: Prelude?, now: Date) throws {
        guard let lude else { return }
        let events = lude.decide(desk, now)
        guard !events.isEmpty else { return }
        try write(Record(seq: desk.lastSeq + 1, at: now, actor: lude.actor, via: lude.via, events: events))
    }

    /// Writes one record and reads it back. Call with the lock held, caught up.
    private func write(_ record: Record, sync: Bool = true) throws {
        try file.append(RecordCodec.encode(record), record: record, expectedEnd: readOffset, sync: sync)
        _ = try catchUp(underLock: true)
    }

    /// Writes a snapshot of the desk as this process has it, unless another process is writing
    /// one (or already wrote a newer one). Returns whether it wrote it.
    @discardableResult
    public func writeSnapshot(now: Date) throws -> Bool {
        guard let prepared = try prepareSnapshot(now: now) else { return false }
        defer { prepared.release() }
        try prepared.write()
        return true
    }

    /// Takes the snapshot writer's lock and reads from the log what a snapshot of the desk as this
    /// process has it needs, for the caller to write (now, or in a child after answering); nil
    /// when another process is writing one or already wrote one as new. From then on this process
    /// counts the snapshot as written.
    public func prepareSnapshot(now: Date) throws -> PreparedSnapshot? {
        guard let snapshotPath,
              let prepared = try SnapshotWriter.prepare(desk, breaches: currentBreachSchedule(now: now), offset: readOffset,
                                                        log: file, to: snapshotPath, checkpointAt: lastAppliedAt)
        else { return nil }
        prepared.sharedIn = (file as? PostgresStore)?.url
        snapshotCovers = (desk.lastSeq, readOffset)
        eventsSinceSnapshot = 0
        snapshotMissing = false
        return prepared
    }

    /// `prepareSnapshot` when one is due (see `snapshotIsDue`); nil otherwise, and when it
    /// cannot be written (see `refreshSnapshotIfDue`).
    public func prepareSnapshotIfDue(now: Date) -> PreparedSnapshot? {
        guard snapshotIsDue else { return nil }
        do {
            if let prepared = try prepareSnapshot(now: now) { return prepared }
        } catch {
            noticeIfUnsafe(error)
        }
        snapshotCovers = (desk.lastSeq, readOffset)
        eventsSinceSnapshot = 0
        snapshotMissing = false
        return nil
    }

    /// Whether so much was replayed past the snapshot (or without one) that the next process
    /// would do better from a new one; or the snapshot is missing and a checkpoint stood in.
    public var snapshotIsDue: Bool {
        snapshotPath != nil && (snapshotMissing && snapshotPolicy.enabled
            || snapshotPolicy.isDue(records: desk.lastSeq - snapshotCovers.seq, events: eventsSinceSnapshot,
                                    bytes: readOffset - snapshotCovers.offset))
    }

    /// Writes the snapshot when it is due (see `snapshotIsDue`), for a process that only read
    /// the desk, so that the next command starts from it. A snapshot that cannot be written is
    /// left, as after an append.
    public func refreshSnapshotIfDue(now: Date) {
        guard snapshotIsDue else { return }
        let started = ContinuousClock.now
        if let snapshotPacing, !snapshotPacing.allows(at: started) { return }
        defer { snapshotPacing?.note(refreshStarted: started, ended: .now) }
        // A snapshot only saves time: one that cannot be written (a directory this account may
        // not write in, a full disk) leaves the log, the only source of truth, as it is.
        guard let prepared = prepareSnapshotIfDue(now: now) else { return }
        defer { prepared.release() }
        do {
            try prepared.write()
        } catch {
            noticeIfUnsafe(error)
        }
    }

    /// A snapshot not written because of a planted file is worth saying: someone should remove it.
    private func noticeIfUnsafe(_ error: Error) {
        if let error = error as? LogError, case .unsafe = error { notice("no snapshot written: \(error)") }
    }

    /// The text of a message, read from the log when it is kept there.
    public func text(of body: MessageBody) throws -> String {
        try file.text(of: body)
    }

    /// The texts of several messages, in the order given: for a database desk a few queries
    /// for them all rather than one each.
    public func texts(of bodies: [MessageBody]) throws -> [String] {
        try file.texts(of: bodies)
    }
}
