import Foundation

/// Points in time as people type them, read in their time zone:
/// RFC 3339, "2026-12-01 14:30", "2026-12-01", "14:30", "tomorrow", "tomorrow 09:00", "fri", "fri 14:00".
/// A day without a time means 09:00, the start of a working day.
public enum TimeText {
    static let weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public static func parse(_ text: String, now: Date, timeZone: TimeZone) throws(Refusal) -> Date {
        let bad = Refusal(.invalid,
            "bad time '\(text)': use e.g. 2026-12-01 14:30, 14:30, tomorrow 09:00, fri or an RFC 3339 time")
        if let exact = Timestamp.parse(text) { return exact }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let words = text.lowercased().split(separator: " ").map(String.init)
        guard let first = words.first, words.count <= 2 else { throw bad }
        var clock = (hour: 9, minute: 0)
        if words.count == 2 {
            guard let given = parseClock(words[1]) else { throw bad }
            clock = given
        }
        let day: Date
        if let given = parseClock(first), words.count == 1 {
            guard let today = at(given, on: now, calendar) else { throw bad }
            return today > now ? today : calendar.date(byAdding: .day, value: 1, to: today)!
        } else if first == "today" {
            day = now
        } else if first == "tomorrow" {
            day = calendar.date(byAdding: .day, value: 1, to: now)!
        } else if let weekday = weekdays.firstIndex(where: { first.hasPrefix($0) && $0.count >= 3 }) {
            let current = calendar.component(.weekday, from: now) - 1
            var ahead = (weekday - current + 7) % 7
            if ahead == 0 { ahead = 7 }
            day = calendar.date(byAdding: .day, value: ahead, to: now)!
        } else if let date = parseDate(first, calendar) {
            day = date
        } else {
            throw bad
        }
        guard let result = at(clock, on: day, calendar) else { throw bad }
        return result
    }

    private static func parseClock(_ text: String) -> (hour: Int, minute: Int)? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        return (hour, minute)
    }

    private static func parseDate(_ text: String, _ calendar: Calendar) -> Date? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]),
              let day = Int(parts[2]), (1...12).contains(month), (1...31).contains(day) else { return nil }
        let components = DateComponents(year: year, month: month, day: day, hour: 12)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day else { return nil }
        return date
    }

    private static func at(_ clock: (hour: Int, minute: Int), on day: Date, _ calendar: Calendar) -> Date? {
        calendar.date(bySettingHour: clock.hour, minute: clock.minute, second: 0, of: day)
    }
}
