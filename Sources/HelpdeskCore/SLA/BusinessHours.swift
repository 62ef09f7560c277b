import Foundation

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
                throw Refusal(.invalid, "business hours overlap on \(Weekday.names[day]): \(format(a)) and \(format(b))")
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
            guard let found = Weekday.index(name) else {
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
        guard ends.count == 2, let start = ClockTime(ends[0], allowingEndOfDay: true)?.minutes,
              let end = ClockTime(ends[1], allowingEndOfDay: true)?.minutes else {
            throw Refusal(.invalid, "bad time range '\(text)': \(help)")
        }
        guard start < end else { throw Refusal(.invalid, "the time range '\(text)' ends before it starts") }
        return Window(start: start, end: end)
    }

    static func format(_ window: Window) -> String {
        "\(ClockTime(minutes: window.start).text)-\(ClockTime(minutes: window.end).text)"
    }
}
