import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

/// Where a console opened at a moment (`helpdesk --at TIME`) is looking: read-only, its clock
/// that moment, stepped through the log with [ ] { } (each step opens `DeskLog(asOf:)` anew,
/// from the newest checkpoint before it).
public struct DeskMoment {
    public var moment: Date
    /// The wall clock: the moment in words is said from it, and Esc goes to it.
    public let realClock: () -> Date
    public let timeZone: TimeZone

    public init(moment: Date, realClock: @escaping () -> Date, timeZone: TimeZone = .current) {
        self.moment = moment
        self.realClock = realClock
        self.timeZone = timeZone
    }

    /// "14:05 yesterday".
    public var words: String { MomentWords.words(moment, now: realClock(), timeZone: timeZone) }
}

extension Console {
    /// The actions that change the desk (the key table's assign, write and change groups), which
    /// a console looking at the past refuses.
    static let changingActions = Set(KeyTable.standard.rows.filter { [.assign, .write, .change].contains($0.group) }.map(\.action))

    /// A console on the desk as `log` (opened `asOf` the moment) has it: it changes nothing.
    public convenience init(past log: DeskLog, at moment: DeskMoment, me: String) {
        self.init(log: log, me: me, externalEditor: false, clock: { moment.moment })
        travel = moment
    }

    /// True (and says why) when `action` would change a desk this console only looks at.
    func refusesInThePast(_ action: Action) -> Bool {
        guard let travel, Console.changingActions.contains(action) else { return false }
        let back = live == nil ? "" : " (Esc: back to now)"
        state.message = StatusMessage(text: "looking at \(travel.words): read-only\(back)", isError: true)
        return true
    }

    /// [ ] { }: the desk one record or an hour back or forward. From the live desk, `[` and `{`
    /// step into the past (the live road kept aside until `Esc` comes back to it).
    func step(_ action: Action) {
        guard let travel else { return stepIntoThePast(action) }
        do {
            let target: Date?
            switch action {
            case .recordBack: target = try log.recordTimesAroundMoment().previous
            case .recordForward: target = try log.recordTimesAroundMoment().next
            case .hourBack: target = travel.moment.addingTimeInterval(-3600)
            default: target = min(travel.moment.addingTimeInterval(3600), travel.realClock())
            }
            guard let target else {
                let side = action == .recordBack ? "before" : "after"
                state.message = StatusMessage(text: "no record \(side) \(travel.words)", isError: true)
                return
            }
            try look(at: target)
        } catch {
            state.message = StatusMessage(text: "\(error)", isError: true)
        }
    }

    /// The live console's `[` or `{`: the desk before its newest record was written, or an hour
    /// ago, read-only, with nothing of the live desk's (escalations, catching up, a change waiting
    /// for the log's lock) done while it looks.
    private func stepIntoThePast(_ action: Action) {
        guard action == .recordBack || action == .hourBack else {
            state.message = StatusMessage(text: "already at now: [ or { steps back into the past", isError: true)
            return
        }
        guard !isWaitingForLog else {
            state.message = StatusMessage(text: "a change is waiting for the log's lock: step back once it is written", isError: true)
            return
        }
        do {
            let target: Date?
            if action == .hourBack {
                target = service.clock().addingTimeInterval(-3600)
            } else {
                target = try log.recordTimesAroundMoment().previous
            }
            guard let target else {
                state.message = StatusMessage(text: "no record before the newest", isError: true)
                return
            }
            let kept = LiveDesk(service: service, queue: queue, customers: customers)
            travel = DeskMoment(moment: target, realClock: service.clock)
            live = kept
            do {
                try look(at: target)
            } catch {
                backToLive(kept)
                throw error
            }
        } catch {
            state.message = StatusMessage(text: "\(error)", isError: true)
        }
    }

    /// Esc with nothing to clear: back to the live desk when the console stepped into the past
    /// from it; else (opened `--at`) the desk now, still read-only.
    func lookAtNow() {
        guard let travel else { return }
        if let live {
            backToLive(live)
            state.message = StatusMessage(text: "back to now: the live desk", isError: false)
            return
        }
        do {
            try look(at: travel.realClock())
            state.message = StatusMessage(text: "now, still read-only: quit and run helpdesk for the live desk", isError: false)
        } catch {
            state.message = StatusMessage(text: "\(error)", isError: true)
        }
    }

    /// The live desk again, as it was left (its queue and customer index kept), then caught up
    /// with what was written meanwhile; the agents whose consoles were found dead meanwhile made away.
    func backToLive(_ kept: LiveDesk) {
        service = kept.service
        queue = kept.queue
        customers = kept.customers
        live = nil
        travel = nil
        state.conversationScroll = 0
        if let selected = state.selected, desk.ticket(selected) == nil { state.selected = nil }
        catchUp()
        if !lostConsoles.isEmpty { consolesLost([]) }
        refresh()
    }

    /// Opens the desk as it was at `moment`, keeping the view, sort, filter and the selected
    /// ticket (when it existed then).
    func look(at moment: Date) throws {
        let past = try DeskLog(location: log.location, asOf: moment)
        past.notesTouchedTickets = true
        let service = DeskService(log: past, identity: self.service.identity, clock: { moment })
        service.escalatesDueBreaches = false
        self.service = service
        travel?.moment = moment
        queue = QueueView()
        customers = CustomerTickets(desk: past.desk)
        customers.startReading()
        if let selected = state.selected, desk.ticket(selected) == nil { state.selected = nil }
        state.conversationScroll = 0
        refresh()
    }
}

/// What a live console keeps while it looks at the past: its road to the live desk, and the
/// queue and customer index it had built of it.
struct LiveDesk {
    let service: DeskService
    let queue: QueueView
    let customers: CustomerTickets
}
