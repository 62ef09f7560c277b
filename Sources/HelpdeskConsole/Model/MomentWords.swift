import Foundation

/// A past moment in human words, seen from `now`: "14:05 today", "14:05:12 yesterday",
/// "09:00 Sun 29 Nov", "09:00 29 Nov 2025" (seconds only when there are any).
enum MomentWords {
    static func words(_ moment: Date, now: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.locale = Locale(identifier: "en_US_POSIX")
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: moment)
        var time = String(format: "%02d:%02d", parts.hour!, parts.minute!)
        if parts.second! != 0 { time += String(format: ":%02d", parts.second!) }
        let days = calendar.dateComponents([.day], from: calendar.startOfDay(for: moment), to: calendar.startOfDay(for: now)).day!
        switch days {
        case 0: return time + " today"
        case 1: return time + " yesterday"
        default:
            let month = calendar.shortMonthSymbols[parts.month! - 1]
            if days > 0, days < 300 {
                return "\(time) \(calendar.shortWeekdaySymbols[parts.weekday! - 1]) \(parts.day!) \(month)"
            }
            return "\(time) \(parts.day!) \(month) \(parts.year!)"
        }
    }
}
