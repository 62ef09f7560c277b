/// Days of the week as people type them: "fri", "Friday", "thurs". 0 = Sunday … 6 = Saturday,
/// as `CivilDay.weekday` counts.
public enum Weekday {
    public static let names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
    static let fullNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    /// The day that `name` begins (three letters at least, any case); nil for anything else.
    public static func index(_ name: some StringProtocol) -> Int? {
        let name = name.lowercased()
        guard name.count >= 3 else { return nil }
        return fullNames.firstIndex { $0.hasPrefix(name) }
    }
}
