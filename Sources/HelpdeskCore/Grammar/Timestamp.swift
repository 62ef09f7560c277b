import Foundation

/// RFC 3339 times in UTC with milliseconds ("2026-11-22T15:58:02.123Z"), the one form the log
/// and the JSON output use. Hand-rolled because it sits on the replay path, where
/// ISO8601DateFormatter costs more than the rest of a record's decoding.
public enum Timestamp {
    /// Rounds to what the log keeps, so that a time survives a round trip unchanged.
    public static func truncated(_ date: Date) -> Date {
        self.date(milliseconds: milliseconds(date))
    }

    /// Whole milliseconds since 1970: the last one whose time (made as `parse` makes it) is not
    /// after `date`. Multiplying by 1000 alone can land just below a millisecond `date` holds
    /// exactly (2038-02-27T10:22:02.180Z gave .179), so a truncated time would not survive.
    static func milliseconds(_ date: Date) -> Int64 {
        var millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        while self.date(milliseconds: millis + 1) <= date { millis += 1 }
        while self.date(milliseconds: millis) > date { millis -= 1 }
        return millis
    }

    /// The time `milliseconds` after 1970 began, made as `parse` makes every time.
    public static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    public static func format(_ date: Date) -> String {
        let millis = milliseconds(date)
        var days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let inDay = millis - days * 86_400_000
        let (year, month, day) = civil(fromDays: &days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(inDay / 3_600_000, 2)):"
            + "\(pad(inDay / 60_000 % 60, 2)):\(pad(inDay / 1000 % 60, 2)).\(pad(inDay % 1000, 3))Z"
    }

    /// Parses RFC 3339: "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)", also with a space for the `T`.
    /// Nil when it is not one.
    public static func parse(_ text: String) -> Date? {
        var utf8 = Array(text.utf8)
        if utf8.count > 10, utf8[10] == UInt8(ascii: " ") { utf8[10] = UInt8(ascii: "T") }
        return parse(bytes: utf8)
    }

    /// The same, straight from bytes (the log's records, without making a `String` per time).
    @inlinable
    public static func parse<Bytes: RandomAccessCollection<UInt8>>(bytes: Bytes) -> Date? where Bytes.Index == Int {
        let start = bytes.startIndex
        let count = bytes.count
        @inline(__always) func at(_ i: Int) -> UInt8 { bytes[start + i] }
        guard count >= 20 else { return nil }
        func number(_ from: Int, _ width: Int) -> Int64? {
            var value: Int64 = 0
            for i in from..<from + width {
                let digit = at(i) &- 48
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard at(4) == 45, at(7) == 45, at(10) == 84 || at(10) == 116, at(13) == 58, at(16) == 58,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var millis: Int64 = 0
        if at(i) == 46 {
            i += 1
            var scale: Int64 = 100
            while i < count, at(i) &- 48 < 10 {
                millis += Int64(at(i) - 48) * scale
                scale /= 10
                i += 1
            }
        }
        var offset: Int64 = 0
        guard i < count else { return nil }
        if at(i) == 90 || at(i) == 122 {
            i += 1
        } else if at(i) == 43 || at(i) == 45, i + 6 == count, at(i + 3) == 58,
                  let oh = number(i + 1, 2), let om = number(i + 4, 2) {
            offset = (oh * 60 + om) * 60_000 * (at(i) == 43 ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == count else { return nil }
        let days = daysFromCivil(year, month, day)
        let total = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis - offset
        return date(milliseconds: total)
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    public static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: inout Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
