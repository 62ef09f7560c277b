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
        state.message = StatusMessage(text: "looking at \(travel.words): read-only", isError: true)
        return true
    }

    /// [ ] { }: the desk one record or an hour back or forward.
    func step(_ action: Action) {
        guard let travel else {
            state.message = StatusMessage(text: "[ ] { } step through the past in a console opened with --at TIME", isError: true)
            return
        }
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

    /// Esc with nothing to clear: the desk now, still read-only (a live console is `helpdesk` alone).
    func lookAtNow() {
        guard let travel else { return }
        do {
            try look(at: travel.realClock())
            state.message = StatusMessage(text: "now, still read-only: quit and run helpdesk for the live desk", isError: false)
        } catch {
            state.message = StatusMessage(text: "\(error)", isError: true)
        }
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
