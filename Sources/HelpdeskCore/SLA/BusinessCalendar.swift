import Foundation

/// Business time under a policy: how much of it passes between two moments, and when a given
/// amount of it will have passed. Without business hours every second counts.
///
/// Days are the business hours' local days, so clock changes (a 23- or 25-hour day) and
/// holidays fall where people expect them. Whole days are summed once and kept (a running total
/// per day), so a clock spanning months costs a binary search, not a walk over every day.
/// Pure: no clock is read; the same policy always gives the same answers.
public final class BusinessCalendar: @unchecked Sendable {
    public let hours: BusinessHours?
    /// nil without business hours: days are UTC days (and making a `TimeZone` costs a small
    /// command a few percent of its whole process).
    private let zone: TimeZone?
    private let holidays: Set<Int>
    private let lock = NSLock()
    /// cumulative[i]: business seconds in the local days base ..< base + i.
    private var base = 0
    private var cumulative: [Double] = []

    public init(policy: SLAPolicy) {
        hours = policy.hours.flatMap { $0.weeklySeconds > 0 ? $0 : nil }
        zone = hours?.timeZone
        holidays = Set(policy.holidays.compactMap { CivilDay(text: $0)?.number })
    }

    /// Around the clock: every second is business time.
    public var isContinuous: Bool { hours == nil }

    // MARK: Local days

    private func offset(_ seconds: Double) -> Double {
        zone.map { Double($0.secondsFromGMT(for: Date(timeIntervalSince1970: seconds))) } ?? 0
    }

    /// The local day (days since 1970-01-01 in the hours' time zone) a moment falls on.
    public func day(of date: Date) -> Int {
        let t = date.timeIntervalSince1970
        return Int(((t + offset(t)) / 86_400).rounded(.down))
    }

    /// The moment of a local wall-clock time (minutes after midnight; 1440 is the next midnight).
    /// A time skipped by a clock change falls just after the change.
    func moment(day: Int, minutes: Int) -> Double {
        let local = Double(day) * 86_400 + Double(minutes) * 60
        let first = offset(local)
        var utc = local - first
        let second = offset(utc)
        if second != first { utc = local - second }
        return utc
    }

    /// The business windows of a local day, as moments.
    func windows(day: Int) -> [(Double, Double)] {
        guard let hours, !holidays.contains(day) else { return [] }
        let weekday = CivilDay(number: day).weekday
        return hours.days[weekday].compactMap { window in
            let start = moment(day: day, minutes: window.start), end = moment(day: day, minutes: window.end)
            return end > start ? (start, end) : nil
        }
    }

    private func overlap(_ windows: [(Double, Double)], from a: Double, to b: Double) -> Double {
        var total = 0.0
        for (start, end) in windows {
            let s = max(start, a), e = min(end, b)
            if e > s { total += e - s }
        }
        return total
    }

    /// Business seconds in local days first ..< last (the running totals, extended as needed).
    private func wholeDays(_ first: Int, _ last: Int) -> Double {
        guard last > first else { return 0 }
        lock.lock()
        defer { lock.unlock() }
        ensure(first, last)
        return cumulative[last - base] - cumulative[first - base]
    }

    /// Makes `cumulative` cover days lo ... hi (both as indices into it). Call with the lock held.
    private func ensure(_ lo: Int, _ hi: Int) {
        if cumulative.isEmpty {
            base = lo
            cumulative = [0]
        }
        if lo < base {
            // Rarely needed (a clock that starts before any asked so far): start again lower.
            let oldBase = base, oldCount = cumulative.count
            base = lo
            cumulative = [0]
            extend(to: oldBase + oldCount - 1)
        }
        extend(to: hi)
    }

    private func extend(to hi: Int) {
        while base + cumulative.count - 1 < hi {
            let day = base + cumulative.count - 1
            cumulative.append(cumulative[cumulative.count - 1] + overlap(windows(day: day), from: -.infinity, to: .infinity))
        }
    }

    // MARK: Business time

    /// Business seconds between two moments (0 when `end` is not after `start`).
    public func businessTime(from start: Date, to end: Date) -> TimeInterval {
        let a = start.timeIntervalSince1970, b = end.timeIntervalSince1970
        guard b > a else { return 0 }
        guard hours != nil else { return b - a }
        let first = day(of: start), last = day(of: end)
        if first == last { return overlap(windows(day: first), from: a, to: b) }
        return overlap(windows(day: first), from: a, to: .infinity) + wholeDays(first + 1, last)
            + overlap(windows(day: last), from: -.infinity, to: b)
    }

    /// The moment at which `seconds` of business time will have passed since `start`.
    /// `start` itself for none; `Date.distantFuture` if the hours never open again.
    public func date(adding seconds: TimeInterval, to start: Date) -> Date {
        guard seconds > 0 else { return start }
        guard hours != nil else { return start.addingTimeInterval(seconds) }
        let t = start.timeIntervalSince1970
        let first = day(of: start)
        let today = windows(day: first)
        let available = overlap(today, from: t, to: .infinity)
        if seconds <= available { return Date(timeIntervalSince1970: walk(today, from: t, seconds)) }
        let needed = seconds - available
        // The first later day by whose end enough business time has passed.
        var limit = first + 8
        while wholeDays(first + 1, limit + 1) < needed {
            guard limit < first + 366 * 100 else { return .distantFuture }
            limit = first + (limit - first) * 2
        }
        var lo = first + 1, hi = limit
        while lo < hi {
            let mid = (lo + hi) / 2
            if wholeDays(first + 1, mid + 1) >= needed { hi = mid } else { lo = mid + 1 }
        }
        let before = wholeDays(first + 1, lo)
        return Date(timeIntervalSince1970: walk(windows(day: lo), from: -.infinity, needed - before))
    }

    private func walk(_ windows: [(Double, Double)], from t: Double, _ amount: Double) -> Double {
        var left = amount
        var last = t
        for (start, end) in windows {
            let s = max(start, t)
            guard end > s else { continue }
            if end - s >= left { return s + left }
            left -= end - s
            last = end
        }
        return last
    }

    /// Whether business time is passing at this moment.
    public func isOpen(at date: Date) -> Bool {
        guard hours != nil else { return true }
        let t = date.timeIntervalSince1970
        return windows(day: day(of: date)).contains { $0.0 <= t && t < $0.1 }
    }
}
