import Foundation
import HelpdeskCore
import HelpdeskLog

/// Something the agent should hear of at once: a ticket given to them, a customer writing on
/// one of theirs, one of theirs about to breach, a note naming them. Never their own doing.
public struct Notice: Equatable, Sendable {
    public var ticket: Int
    public var text: String
}

/// How a console tells its agent (`notify:` in ~/.config/helpdesk/config.yaml; the bell unless said).
public enum NotifyStyle: String, CaseIterable, Sendable {
    case bell, desktop, both, none

    var rings: Bool { self == .bell || self == .both }
    var showsOnDesktop: Bool { self == .desktop || self == .both }
}

extension Console {
    /// How soon before a breach the agent is told.
    public static let breachWarning: TimeInterval = 15 * 60

    /// The notices in the records applied after `seq`, on the tickets they touched.
    func notice(after seq: Int, touched: Set<Int>) {
        for id in touched.sorted() {
            guard let ticket = desk.ticket(id) else { continue }
            for entry in ticket.history.reversed() {
                guard entry.seq > seq else { break }
                if let text = noticeText(entry, ticket: ticket) { tell(Notice(ticket: id, text: text)) }
            }
        }
        noticeComingBreaches()
    }

    private func noticeText(_ entry: HistoryEntry, ticket: Ticket) -> String? {
        guard entry.actor != me else { return nil }
        let by = entry.actor == SLAEscalation.actor ? "the desk" : entry.actor
        switch entry.event {
        case .assigned(_, me, _):
            return "#\(ticket.id) is yours now (given by \(by)): \(ticket.subject)"
        case .messageAdded(_, .customer, _) where ticket.assignee == me:
            return "#\(ticket.id): the customer wrote: \(ticket.subject)"
        case .messageAdded(_, .note, let body):
            guard let text = try? log.text(of: body), Self.mentions(me, in: text) else { return nil }
            return "#\(ticket.id): \(by) mentioned you in a note"
        default:
            return nil
        }
    }

    /// Whether `@account` stands in `text` as a word of its own (not in an address such as a@account.com).
    static func mentions(_ account: String, in text: String) -> Bool {
        var rest = text[...]
        while let range = rest.range(of: "@" + account) {
            let before = rest[..<range.lowerBound].last
            let after = rest[range.upperBound...].first
            let startsWord = before.map { !($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") } ?? true
            let endsWord = after.map { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "@") } ?? true
            if startsWord, endsWord, after != "." || rest[range.upperBound...].dropFirst().first.map({ !$0.isLetter }) ?? true {
                return true
            }
            rest = rest[range.upperBound...]
        }
        return false
    }

    /// `noticeComingBreaches` on the loop's timer: at most once a minute (the timer wakes every 2 s
    /// while other consoles are here).
    public func noticeComingBreachesIfDue() {
        if let last = lastBreachLook, now.timeIntervalSince(last) < 60 { return }
        noticeComingBreaches()
    }

    /// Tells of each of the agent's tickets whose SLA clock will run out within `breachWarning`, once per clock run.
    public func noticeComingBreaches() {
        lastBreachLook = now
        guard travel == nil else { return }  // the past gives no notices
        let calculator = SLACalculator(policy: desk.slaPolicy)
        let now = self.now
        for ticket in desk.activeTickets where ticket.assignee == me {
            for clock in calculator.evaluate(ticket, now: now).clocks where clock.state == .running && !clock.isBreached {
                guard let due = clock.due, due > now, due.timeIntervalSince(now) <= Self.breachWarning else { continue }
                let key = "\(ticket.id) \(clock.target.rawValue) \(due.timeIntervalSince1970)"
                guard !warnedBreaches.contains(key) else { continue }
                warnedBreaches.insert(key)
                tell(Notice(ticket: ticket.id, text: "#\(ticket.id) breaches its \(clock.target.name) SLA in "
                            + "\(DurationText.format(due.timeIntervalSince(now))): \(ticket.subject)"))
            }
        }
    }

    private func tell(_ notice: Notice) {
        notices.append(notice)
        state.message = StatusMessage(text: notice.text, isError: false)
    }

    /// The notices not yet given to the terminal (the bell, a desktop notification), oldest first.
    public func takeNotices() -> [Notice] {
        defer { notices = [] }
        return notices
    }
}
