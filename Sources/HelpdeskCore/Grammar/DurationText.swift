import Foundation

/// Durations as people type them: "90s", "15m", "2h", "3d", "1w", or combined, "1h30m".
public enum DurationText {
    static let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]

    public static func parse(_ text: String) throws(Refusal) -> TimeInterval {
        let bad = Refusal(.invalid, "bad duration '\(text)': use a number and a unit, like 90s, 15m, 2h or 3d")
        var total: TimeInterval = 0
        var digits = ""
        var sawUnit = false
        for character in text.trimmingCharacters(in: .whitespaces).lowercased() {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if let unit = units[character], let value = Int(digits) {
                total += TimeInterval(value) * unit
                digits = ""
                sawUnit = true
            } else {
                throw bad
            }
        }
        guard digits.isEmpty, sawUnit, total > 0 else { throw bad }
        return total
    }

    /// The largest one or two units: "45m", "3h", "2d 4h", "-20m".
    public static func format(_ interval: TimeInterval) -> String {
        let sign = interval < 0 ? "-" : ""
        var seconds = Int(abs(interval))
        if seconds < 60 { return "\(sign)\(seconds)s" }
        seconds /= 60
        if seconds < 60 { return "\(sign)\(seconds)m" }
        let (hours, minutes) = (seconds / 60, seconds % 60)
        if hours < 24 { return "\(sign)\(hours)h" + (minutes > 0 && hours < 10 ? " \(minutes)m" : "") }
        let (days, restHours) = (hours / 24, hours % 24)
        return "\(sign)\(days)d" + (restHours > 0 && days < 10 ? " \(restHours)h" : "")
    }
}
