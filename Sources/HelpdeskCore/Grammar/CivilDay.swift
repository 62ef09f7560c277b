import Foundation

/// A calendar day without a time zone: days since 1970-01-01, and its "YYYY-MM-DD" spelling
/// (holidays, and a day typed alone where a time is asked for).
public struct CivilDay: Hashable, Comparable, Sendable {
    public var number: Int

    public init(number: Int) { self.number = number }

    public init(year: Int, month: Int, day: Int) {
        number = Int(Timestamp.daysFromCivil(Int64(year), Int64(month), Int64(day)))
    }

    /// "2026-12-25"; nil when it is not a real date.
    public init?(text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1, day <= CivilDay.daysIn(month: month, year: year) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day `date` falls on in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZone) {
        let seconds = Int((date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))).rounded(.down))
        number = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    public static func < (a: CivilDay, b: CivilDay) -> Bool { a.number < b.number }

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    public var weekday: Int { ((number + 4) % 7 + 7) % 7 }

    public var year: Int { components.year }
    public var month: Int { components.month }
    public var day: Int { components.day }

    var components: (year: Int, month: Int, day: Int) {
        var days = Int64(number)
        let (y, m, d) = Timestamp.civil(fromDays: &days)
        return (Int(y), Int(m), Int(d))
    }

    public var text: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// The moment `clock` (00:00 when nil) on this day in `timeZone`; in a gap that a clock
    /// change leaves, the first moment after it.
    public func at(_ clock: ClockTime?, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let minutes = clock?.minutes ?? 0
        return calendar.date(from: DateComponents(year: year, month: month, day: day,
                                                  hour: minutes / 60, minute: minutes % 60))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
