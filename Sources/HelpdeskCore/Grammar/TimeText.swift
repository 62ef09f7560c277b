import Foundation

/// Points in time as people type them, read in their time zone: RFC 3339, "2026-12-01 14:30",
/// "2026-12-01", "14:30", "today", "tomorrow 09:00", "fri", "fri 14:00"; and, where the command
/// says so, a duration ("7d", "1h30m") back from now or ahead of it. A day without a time means
/// its 00:00; a time without a day means its next occurrence; a weekday means the next one
/// (a week ahead when it is today).
public enum TimeText {
    /// What a duration means where a time is asked for.
    public enum Durations: Sendable {
        /// Not a time: refused.
        case refused
        /// That long ago (`--since 7d`).
        case ago
        /// That long from now (a follow-up in `2h`).
        case ahead
    }

    public static func parse(_ text: String, now: Date, timeZone: TimeZone,
                             durations: Durations = .refused) throws(Refusal) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch durations {
        case .refused: break
        case .ago: if let back = try? DurationText.parse(trimmed) { return now.addingTimeInterval(-back) }
        case .ahead: if let ahead = try? DurationText.parse(trimmed) { return now.addingTimeInterval(ahead) }
        }
        if let exact = Timestamp.parse(trimmed) { return exact }
        let bad = Refusal(.invalid, "bad time '\(text)': use e.g. 2026-12-01 14:30, 2026-12-01, 14:30, tomorrow 09:00, fri"
            + (durations == .refused ? " or an RFC 3339 time" : ", an RFC 3339 time or a duration such as 2h or 7d"))
        let words = trimmed.split(whereSeparator: \.isWhitespace)
        guard let first = words.first, words.count <= 2 else { throw bad }
        let today = CivilDay(now, in: timeZone)
        if words.count == 1, let clock = ClockTime(first) {
            guard let todayAt = today.at(clock, in: timeZone) else { throw bad }
            if todayAt > now { return todayAt }
            guard let tomorrowAt = CivilDay(number: today.number + 1).at(clock, in: timeZone) else { throw bad }
            return tomorrowAt
        }
        var clock: ClockTime?
        if words.count == 2 {
            guard let given = ClockTime(words[1]) else { throw bad }
            clock = given
        }
        guard let day = self.day(first, today: today), let result = day.at(clock, in: timeZone) else { throw bad }
        return result
    }

    private static func day(_ word: Substring, today: CivilDay) -> CivilDay? {
        switch word.lowercased() {
        case "today": return today
        case "tomorrow": return CivilDay(number: today.number + 1)
        default: break
        }
        if let weekday = Weekday.index(word) {
            let ahead = (weekday - today.weekday + 6) % 7 + 1
            return CivilDay(number: today.number + ahead)
        }
        return CivilDay(text: word)
    }
}
