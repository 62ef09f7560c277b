import Foundation
import HelpdeskCore

/// Reads times in the one form the log writes ("2026-11-22T16:07:42.424Z") straight from the
/// record's bytes: `Timestamp.parse` takes a `String`, and making one per record cost more than
/// the rest of the time's parsing. The same checks and arithmetic as `Timestamp.parse`; any
/// other form goes to it instead.
enum CanonicalTime {
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Date? {
        guard b.count == 24, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "."),
              b[23] == UInt8(ascii: "Z") else { return nil }
        func digits(_ from: Int, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for k in from..<from + count {
                let digit = b[k] &- 48
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
              let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
              let millis = digits(20, 3), (1...12).contains(month), (1...31).contains(day),
              hour < 24, minute < 60, second < 61 else { return nil }
        let days = Timestamp.daysFromCivil(year, month, day)
        let total = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis
        return Date(timeIntervalSince1970: Double(total) / 1000)
    }
}
