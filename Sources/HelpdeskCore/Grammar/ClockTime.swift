/// A time of day as people type it, "09:00" or "9:00": minutes after midnight.
public struct ClockTime: Equatable, Sendable {
    public var minutes: Int

    public init(minutes: Int) { self.minutes = minutes }

    /// "H:MM" or "HH:MM", 00:00 to 23:59; with `allowingEndOfDay`, 24:00 too (where a business
    /// window ends). Nil for anything else.
    public init?(_ text: some StringProtocol, allowingEndOfDay: Bool = false) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), minute < 60,
              hour < 24 || (allowingEndOfDay && hour == 24 && minute == 0) else { return nil }
        minutes = hour * 60 + minute
    }

    /// "09:00"
    public var text: String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}
