import Foundation

/// A calendar day without a time zone: days since 1970-01-01, and its "YYYY-MM-DD" spelling.
public struct CivilDay: Hashable, Comparable, Sendable {
    public var number: Int

    public init(number: Int) { self.number = number }

    /// "2026-12-25"; nil when it is not a real date.
    public init?(text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1, day <= CivilDay.daysIn(month: month, year: year) else { return nil }
        number = CivilDay.days(year: year, month: month, day: day)
    }

    public static func < (a: CivilDay, b: CivilDay) -> Bool { a.number < b.number }

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    public var weekday: Int { ((number + 4) % 7 + 7) % 7 }

    public var text: String {
        let (y, m, d) = CivilDay.civil(number)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days_from_civil.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(_ number: Int) -> (Int, Int, Int) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// When the desk is staffed: time windows per weekday in a time zone, written like
/// "mon-fri 09:00-17:00" or "mon-thu 08:00-12:00 13:00-17:00; fri 08:00-14:00; sat 10:00-12:00".
public struct BusinessHours: Equatable, Sendable {
    /// Minutes after local midnight; `end` may be 1440 (24:00).
    public struct Window: Equatable, Sendable {
        public var start: Int
        public var end: Int
    }

    /// Windows by weekday, Sunday first (0 = Sunday … 6 = Saturday), in order, not overlapping.
    public var days: [[Window]]
    /// An IANA time zone name: "Europe/Berlin".
    public var timeZoneID: String
    /// The schedule as written, tidied: what the log records and `sla show` prints.
    public var text: String

    public var timeZone: TimeZone { TimeZone(identifier: timeZoneID) ?? TimeZone(secondsFromGMT: 0)! }

    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// Business seconds in a normal week (no holidays, no clock change).
    public var weeklySeconds: Int { days.joined().reduce(0) { $0 + ($1.end - $1.start) * 60 } }

    public static func parse(_ text: String, timeZone zone: String) throws(Refusal) -> BusinessHours {
        let help = "write hours like \"mon-fri 09:00-17:00\" or \"mon-thu 08:00-12:00 13:00-17:00; fri 08:00-14:00\""
        guard TimeZone(identifier: zone) != nil else {
            throw Refusal(.invalid, "unknown time zone '\(zone)': use an IANA name such as Europe/Berlin or UTC")
        }
        var days = [[Window]](repeating: [], count: 7)
        var groups: [String] = []
        let cleaned = text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        for group in cleaned.split(separator: ";") {
            let words = group.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = words.first, words.count >= 2 else {
                throw Refusal(.invalid, "bad business hours '\(text)': \(help)")
            }
            let chosen = try weekdays(first, help: help)
            var windows: [Window] = []
            for word in words.dropFirst() {
                for range in word.split(separator: ",") {
                    windows.append(try window(String(range), help: help))
                }
            }
            for day in chosen { days[day] += windows }
            groups.append(([first] + windows.map(format)).joined(separator: " "))
        }
        guard !groups.isEmpty else { throw Refusal(.invalid, "bad business hours '\(text)': \(help)") }
        for day in 0..<7 {
            days[day].sort { $0.start < $1.start }
            for (a, b) in zip(days[day], days[day].dropFirst()) where b.start < a.end {
                throw Refusal(.invalid, "business hours overlap on \(dayNames[day]): \(format(a)) and \(format(b))")
            }
        }
        return BusinessHours(days: days, timeZoneID: zone, text: groups.joined(separator: "; "))
    }

    /// "mon-fri", "mon,wed,fri", "sat-sun", "fri-mon", "daily", "weekdays", "weekends".
    private static func weekdays(_ text: String, help: String) throws(Refusal) -> [Int] {
        switch text {
        case "daily", "every", "all": return Array(0..<7)
        case "weekdays": return Array(1...5)
        case "weekends", "weekend": return [6, 0]
        default: break
        }
        var result: [Int] = []
        func index(_ name: Substring) throws(Refusal) -> Int {
            guard name.count >= 3, let found = dayNames.firstIndex(where: { name.hasPrefix($0) }) else {
                throw Refusal(.invalid, "bad day '\(name)' in business hours: \(help)")
            }
            return found
        }
        for item in text.split(separator: ",") {
            let ends = item.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count == 1 || ends.count == 2 else { throw Refusal(.invalid, "bad days '\(item)': \(help)") }
            let from = try index(ends[0])
            let to = ends.count == 2 ? try index(ends[1]) : from
            var day = from
            while true {
                if !result.contains(day) { result.append(day) }
                if day == to { break }
                day = (day + 1) % 7
            }
        }
        return result
    }

    private static func window(_ text: String, help: String) throws(Refusal) -> Window {
        let ends = text.split(separator: "-")
        guard ends.count == 2, let start = minutes(ends[0]), let end = minutes(ends[1]) else {
            throw Refusal(.invalid, "bad time range '\(text)': \(help)")
        }
        guard start < end else { throw Refusal(.invalid, "the time range '\(text)' ends before it starts") }
        return Window(start: start, end: end)
    }

    private static func minutes(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0..<60).contains(minute), (0...24).contains(hour), hour < 24 || minute == 0 else { return nil }
        return hour * 60 + minute
    }

    static func format(_ window: Window) -> String {
        func clock(_ minutes: Int) -> String {
            let h = minutes / 60, m = minutes % 60
            return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
        }
        return "\(clock(window.start))-\(clock(window.end))"
    }
}
