import Foundation

/// The calendar periods a trend report is cut into: days, ISO weeks (Monday first) or months,
/// in one time zone.
public enum PeriodLength: String, CaseIterable, Sendable {
    case day, week, month

    /// How far back a trend report goes when no start is given: a month of days, a quarter of weeks, a year of months.
    public var defaultSpan: String {
        switch self {
        case .day: "30d"
        case .week: "12w"
        case .month: "365d"
        }
    }

    func calendar(in timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2  // ISO 8601: weeks start on Monday; week 1 holds the year's first Thursday
        calendar.minimumDaysInFirstWeek = 4
        return calendar
    }

    /// The start of the period `date` falls in.
    public func start(of date: Date, in timeZone: TimeZone) -> Date {
        let calendar = calendar(in: timeZone)
        switch self {
        case .day: return calendar.startOfDay(for: date)
        case .week: return calendar.dateInterval(of: .weekOfYear, for: date)!.start
        case .month: return calendar.dateInterval(of: .month, for: date)!.start
        }
    }

    /// The start of the next period.
    public func next(after start: Date, in timeZone: TimeZone) -> Date {
        let calendar = calendar(in: timeZone)
        let component: Calendar.Component = switch self {
        case .day: .day
        case .week: .weekOfYear
        case .month: .month
        }
        return calendar.date(byAdding: component, value: 1, to: start)!
    }

    /// How a period is named: 2026-11-30, 2026-W49 (the ISO week), 2026-11.
    public func label(of start: Date, in timeZone: TimeZone) -> String {
        let calendar = calendar(in: timeZone)
        let parts = calendar.dateComponents([.year, .month, .day, .weekOfYear, .yearForWeekOfYear], from: start)
        func two(_ number: Int?) -> String { String(format: "%02d", number ?? 0) }
        switch self {
        case .day: return "\(parts.year!)-\(two(parts.month))-\(two(parts.day))"
        case .week: return "\(parts.yearForWeekOfYear!)-W\(two(parts.weekOfYear))"
        case .month: return "\(parts.year!)-\(two(parts.month))"
        }
    }

    /// The boundaries of the periods from the one holding `since` to the one holding `now`: the
    /// first is that period's start, the last is `now` (the current period is cut there).
    public func boundaries(since: Date, now: Date, in timeZone: TimeZone) -> [Date] {
        var result = [start(of: min(since, now), in: timeZone)]
        while true {
            let next = next(after: result[result.count - 1], in: timeZone)
            guard next < now else { break }
            result.append(next)
        }
        result.append(now)
        return result
    }
}
