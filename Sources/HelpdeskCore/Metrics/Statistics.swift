import Foundation

/// Medians and percentiles of durations, as the report and the wallboard give them.
public struct Distribution: Equatable, Sendable {
    public var count: Int
    /// The middle value (the mean of the two middle values for an even count); nil when empty.
    public var median: TimeInterval?
    /// The nearest-rank 90th percentile: the smallest value with at least 90 % of values at or below it.
    public var p90: TimeInterval?

    public init(_ values: [TimeInterval]) {
        let sorted = values.sorted()
        count = sorted.count
        median = Distribution.median(sorted)
        p90 = Distribution.percentile(sorted, 0.9)
    }

    static func median(_ sorted: [TimeInterval]) -> TimeInterval? {
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func percentile(_ sorted: [TimeInterval], _ p: Double) -> TimeInterval? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

/// What happened to one ticket's status over time: each change, from the history.
struct StatusTimeline {
    /// (when, the status from then on), the opening first.
    var changes: [(at: Date, status: Status, actor: String)] = []

    init(_ ticket: Ticket) {
        changes.append((ticket.createdAt, .new, ""))
        for entry in ticket.history {
            if case .statusChanged(_, _, let to) = entry.event { changes.append((entry.at, to, entry.actor)) }
        }
    }

    /// The status at a moment; nil before the ticket existed.
    func status(at time: Date) -> Status? {
        var result: Status?
        for change in changes {
            guard change.at <= time else { break }
            result = change.status
        }
        return result
    }

    /// Solves (changes to `solved`) within [from, to].
    func solves(from: Date, to: Date) -> [(at: Date, actor: String)] {
        changes.filter { $0.status == .solved && $0.at >= from && $0.at <= to }.map { ($0.at, $0.actor) }
    }

    /// Whether it was reopened (solved → an active status) after `time`, up to `until`.
    func reopened(after time: Date, until: Date) -> Bool {
        var wasSolved = false
        for change in changes where change.at <= until {
            if change.at >= time, wasSolved, change.status.isActive { return true }
            wasSolved = change.status == .solved || change.status == .closed
        }
        return false
    }
}

extension Ticket {
    /// The agent who wrote the first reply, if any.
    var firstResponder: String? { messages.first { $0.kind == .reply }?.author }
}
