import Foundation

/// One run of one SLA clock on a ticket: the first response, one next response (each time the
/// customer writes again after a reply), or the resolution (opened → solved, counted across
/// reopenings).
public struct SLAClock: Equatable, Sendable {
    public enum State: String, Sendable {
        /// Counting now.
        case running
        /// Not counting: the ticket is pending or on hold (until its follow-up falls due).
        case paused
        /// Done: replied (responses) or solved (resolution). Late if `breachedAt` is set.
        case met
        /// The ticket was solved or closed before the clock was met (e.g. no reply was needed).
        case stopped
    }

    public var target: SLATarget
    public var state: State
    /// The target for the ticket's current priority, in business seconds.
    public var limit: TimeInterval
    /// Business seconds counted so far (until it was met or stopped, or until now).
    public var used: TimeInterval
    public var startedAt: Date
    /// The record that started the clock.
    public var startSeq: Int
    /// When it falls (or fell) due: for a running clock, and for a breached one that is not met.
    public var due: Date?
    public var breachedAt: Date?
    public var metAt: Date?

    public var isBreached: Bool { breachedAt != nil }
    /// Business seconds left (negative once over).
    public var left: TimeInterval { limit - used }
    /// What share of the target is left: 1 at the start, 0 at the due time, negative after.
    public var fractionLeft: Double { limit > 0 ? left / limit : 0 }
    /// Still to be met: running or paused.
    public var isOpen: Bool { state == .running || state == .paused }

    /// Calendar time until the clock falls due (negative once breached); nil without a due time.
    public func timeLeft(now: Date) -> TimeInterval? {
        due.map { $0.timeIntervalSince(now) }
    }

    /// Counting, under a quarter of the target left and not yet breached: about to breach.
    /// (A paused clock cannot breach until it runs again.)
    public var isAtRisk: Bool { state == .running && !isBreached && fractionLeft < 0.25 }
}

/// One link in the chain of events behind a ticket's clocks (`helpdesk sla why`).
public struct SLAStep: Equatable, Sendable {
    public var at: Date
    /// The record behind it; nil for a moment reached by time alone (a breach, a follow-up falling due).
    public var seq: Int?
    public var text: String
}

/// A ticket's SLA clocks at one moment.
public struct TicketSLA: Equatable, Sendable {
    public var ticket: Int
    /// The current (latest) run of each target that has started, in target order.
    public var clocks: [SLAClock]
    /// Every run, next responses included, in the order they started (for metrics).
    public var runs: [SLAClock]
    /// Why the clocks say what they say; empty unless asked for.
    public var steps: [SLAStep]

    public func clock(_ target: SLATarget) -> SLAClock? { clocks.first { $0.target == target } }

    /// The targets whose current run is breached.
    public var breached: [SLATarget] { clocks.filter(\.isBreached).map(\.target) }

    /// When a target falls due: nil where it does not apply (met, stopped, never started,
    /// or paused without having breached).
    public func due(_ target: SLATarget) -> Date? { clock(target)?.due }

    /// The clock that needs attention first: the open one with the earliest due time (a
    /// breached one before any other). Nil when no clock is counting toward a due time.
    public var pressing: SLAClock? {
        clocks.filter { $0.isOpen && $0.due != nil }.min { $0.due! < $1.due! }
    }

    /// Breached and still to be met (what the wallboard lists as breached).
    public var openBreaches: [SLAClock] { clocks.filter { $0.isOpen && $0.isBreached } }
}

/// Computes clocks: a pure function of a ticket's history, the policy and the moment asked
/// about. Holds the policy's calendar, so many tickets can be computed with its running totals.
public struct SLACalculator: Sendable {
    public let policy: SLAPolicy
    public let calendar: BusinessCalendar

    public init(policy: SLAPolicy) {
        self.policy = policy
        calendar = BusinessCalendar(policy: policy)
    }

    /// The ticket's clocks at `now`; with `explain`, also the steps that led there.
    public func evaluate(_ ticket: Ticket, now: Date, explain: Bool = false) -> TicketSLA {
        var walk = ClockWalk(calculator: self, explain: explain)
        for entry in ticket.history {
            guard entry.at <= now else { break }
            walk.advance(to: entry.at)
            walk.apply(entry)
        }
        walk.advance(to: now)
        return walk.result(ticket: ticket.id, now: now)
    }

    /// Whether the ticket's clocks are counting at a moment, given its status and follow-up.
    static func counts(status: Status, followUpDue: Date?, at time: Date) -> Bool {
        switch status {
        case .new, .open: return true
        case .pending, .onHold: return followUpDue.map { $0 <= time } ?? false
        case .solved, .closed: return false
        }
    }
}

/// The walk through one ticket's history, time segment by time segment.
private struct ClockWalk {
    struct Run {
        var target: SLATarget
        var startedAt: Date
        var startSeq: Int
        var used: TimeInterval = 0
        var breachedAt: Date?
        var metAt: Date?
    }

    /// The run of each target that counts now, by target (a dictionary's hashing was a tenth of
    /// the walk, which runs for every ticket a report or a screen shows).
    struct CurrentRuns {
        private var firstResponse, nextResponse, resolution: Int?

        subscript(target: SLATarget) -> Int? {
            get {
                switch target {
                case .firstResponse: firstResponse
                case .nextResponse: nextResponse
                case .resolution: resolution
                }
            }
            set {
                switch target {
                case .firstResponse: firstResponse = newValue
                case .nextResponse: nextResponse = newValue
                case .resolution: resolution = newValue
                }
            }
        }

        var isEmpty: Bool { firstResponse == nil && nextResponse == nil && resolution == nil }
    }

    let calculator: SLACalculator
    let explain: Bool
    var runs: [Run] = []
    var current = CurrentRuns()
    var status: Status = .new
    var priority: Priority = .normal {
        didSet { targets = calculator.policy.targets(for: priority) }
    }
    /// The policy's targets for `priority`, looked up once per priority rather than per step.
    private var targets: SLATargets
    var followUpDue: Date?
    var replied = false
    var cursor: Date?
    /// A reference, so noting a step is not a mutation of the walk (its text is built lazily).
    final class Notes { var steps: [SLAStep] = [] }
    let notes = Notes()

    init(calculator: SLACalculator, explain: Bool) {
        self.calculator = calculator
        self.explain = explain
        targets = calculator.policy.targets(for: priority)
    }

    var policy: SLAPolicy { calculator.policy }
    var calendar: BusinessCalendar { calculator.calendar }

    func limit(_ target: SLATarget) -> TimeInterval { targets[target] }

    /// Only built when asked for (`sla why`): the walk runs for every ticket on every screen.
    func note(_ at: Date, _ seq: Int?, _ text: @autoclosure () -> String) {
        if explain { notes.steps.append(SLAStep(at: at, seq: seq, text: text())) }
    }

    func amount(_ seconds: TimeInterval) -> String { DurationText.format(seconds) }

    /// Counts business time from the cursor to `time` on every open run.
    mutating func advance(to time: Date) {
        guard let from = cursor, time > from else { return }
        cursor = time
        let start: Date
        switch status {
        case .new, .open: start = from
        case .pending, .onHold:
            guard let due = followUpDue, due < time else { return }
            start = max(from, due)
            if due >= from, !current.isEmpty { note(due, nil, "the follow-up fell due: clocks resume") }
        case .solved, .closed: return
        }
        var counted: TimeInterval?
        for index in runs.indices where runs[index].metAt == nil && isCurrent(index) {
            let business = counted ?? calendar.businessTime(from: start, to: time)
            counted = business
            let limit = self.limit(runs[index].target)
            if runs[index].breachedAt == nil, runs[index].used + business > limit {
                let at = calendar.date(adding: max(0, limit - runs[index].used), to: start)
                runs[index].breachedAt = at
                note(at, nil, "\(runs[index].target.name) breached: \(amount(limit)) used up")
            }
            runs[index].used += business
        }
    }

    func isCurrent(_ index: Int) -> Bool { current[runs[index].target] == index }

    mutating func start(_ target: SLATarget, at: Date, seq: Int) {
        runs.append(Run(target: target, startedAt: at, startSeq: seq))
        current[target] = runs.count - 1
    }

    mutating func apply(_ entry: HistoryEntry) {
        let at = entry.at, seq = entry.seq
        if cursor == nil { cursor = at }
        let event = entry.event
        if case .ticketOpened(_, _, _, _, let opened) = event {
            priority = opened
            status = .new
            start(.firstResponse, at: at, seq: seq)
            start(.resolution, at: at, seq: seq)
            note(at, seq, "opened (\(priority.rawValue)): first response within \(amount(limit(.firstResponse))), "
                 + "resolution within \(amount(limit(.resolution)))" + hoursNote)
        } else if case .messageAdded(_, .customer, _) = event {
            if replied, current[.nextResponse].map({ runs[$0].metAt != nil }) ?? true {
                start(.nextResponse, at: at, seq: seq)
                note(at, seq, "the customer wrote again: next response within \(amount(limit(.nextResponse)))")
            }
        } else if case .messageAdded(_, .reply, _) = event {
            replied = true
            for target in [SLATarget.firstResponse, .nextResponse] {
                guard let index = current[target], runs[index].metAt == nil else { continue }
                runs[index].metAt = at
                let run = runs[index]
                note(at, seq, "replied: \(target.name) met after \(amount(run.used))"
                     + (run.breachedAt.map { " (late: due \(Timestamp.format($0)))" } ?? " (in time)"))
            }
        } else if case .priorityChanged(_, let from, let to) = event {
            priority = to
            if explain {
                var text = "priority \(from.rawValue) → \(to.rawValue)"
                let open = SLATarget.allCases.filter { target in current[target].map { runs[$0].metAt == nil } ?? false }
                if !open.isEmpty {
                    text += ": " + open.map { target in
                        "\(target.name) \(amount(limit(target))) (\(amount(runs[current[target]!].used)) used)"
                    }.joined(separator: ", ")
                }
                note(at, seq, text)
            }
        } else if case .statusChanged(_, let from, let to) = event {
            status = to
            let wasCounting = from.isActive && from != .pending && from != .onHold
            switch to {
            case .solved, .closed:
                if let index = current[.resolution], runs[index].metAt == nil {
                    runs[index].metAt = at
                    let run = runs[index]
                    note(at, seq, "\(to.rawValue): resolution met after \(amount(run.used))"
                         + (run.breachedAt != nil ? " (late)" : " (in time)"))
                } else {
                    note(at, seq, "\(to.rawValue): clocks stop")
                }
            case .pending, .onHold:
                let due = followUpDue
                note(at, seq, "\(to.rawValue): clocks pause" + (due.map { " until the follow-up at \(Timestamp.format($0))" } ?? ""))
            case .new, .open:
                if from == .solved || from == .closed {
                    if let index = current[.resolution] { runs[index].metAt = nil }
                    note(at, seq, "reopened: clocks resume")
                } else if !wasCounting {
                    note(at, seq, "\(to.rawValue) again: clocks resume")
                }
            }
        } else if case .followUpScheduled(_, let due, _) = event {
            followUpDue = due
        } else if case .followUpCleared = event {
            followUpDue = nil
        } else if case .escalated(_, let tier, let reason) = event, entry.actor == SLAEscalation.actor {
            note(at, seq, "escalated to tier \(tier) by the desk: \(reason)")
        }
        // A tighter target (a priority raised) can be over at once.
        for index in runs.indices where runs[index].metAt == nil && isCurrent(index) && runs[index].breachedAt == nil {
            if runs[index].used > limit(runs[index].target) {
                runs[index].breachedAt = at
                note(at, nil, "\(runs[index].target.name) breached: \(amount(runs[index].used)) used, target now "
                     + amount(limit(runs[index].target)))
            }
        }
    }

    var hoursNote: String {
        guard let hours = policy.hours else { return "" }
        return " of business time (\(hours.text), \(hours.timeZoneID))"
    }

    func result(ticket: Int, now: Date) -> TicketSLA {
        let counting = SLACalculator.counts(status: status, followUpDue: followUpDue, at: now)
        var all: [SLAClock] = []
        var latest: [SLAClock] = []
        for (index, run) in runs.enumerated() {
            let limit = self.limit(run.target)
            let state: SLAClock.State
            if run.metAt != nil { state = .met }
            else if !status.isActive { state = .stopped }
            else if counting && isCurrent(index) { state = .running }
            else if isCurrent(index) { state = .paused }
            else { state = .stopped }
            var due: Date?
            switch state {
            case .running:
                // Whole milliseconds, as every input is: `now + (limit - used)` carries `now`'s
                // rounding error, which tipped the printed time a millisecond early, run to run.
                let counted = calendar.date(adding: limit - run.used, to: now).timeIntervalSince1970
                due = run.breachedAt ?? Timestamp.date(milliseconds: Int64((counted * 1000).rounded()))
            case .paused: due = run.breachedAt
            case .met, .stopped: due = nil
            }
            let clock = SLAClock(target: run.target, state: state, limit: limit, used: run.used, startedAt: run.startedAt,
                                 startSeq: run.startSeq, due: due, breachedAt: run.breachedAt, metAt: run.metAt)
            all.append(clock)
            if isCurrent(index) { latest.append(clock) }
        }
        latest.sort { SLATarget.allCases.firstIndex(of: $0.target)! < SLATarget.allCases.firstIndex(of: $1.target)! }
        return TicketSLA(ticket: ticket, clocks: latest, runs: all, steps: notes.steps)
    }
}

extension Desk {
    /// A ticket's clocks under the desk's policy (build one `SLACalculator` for many tickets).
    public func sla(of ticket: Ticket, now: Date, explain: Bool = false) -> TicketSLA {
        SLACalculator(policy: slaPolicy).evaluate(ticket, now: now, explain: explain)
    }
}
