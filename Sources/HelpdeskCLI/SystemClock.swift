import Foundation

/// The time of the machine: the one clock the program passes to everything that needs one.
enum SystemClock {
    static func now() -> Date { Date() }
}
