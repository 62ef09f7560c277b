import XCTest
@testable import HelpdeskCore

/// The table behind `Desk.lastTicketChanged` answers as a dictionary would, past the sizes at
/// which it grows, with keys that differ only in case or collide in its slots.
final class LastTicketChangedTests: XCTestCase {
    func testAnswersAsADictionaryThroughGrowthOverwritesAndRemovals() {
        var table = LastTicketChanged()
        var expected: [String: Int] = [:]
        var generator = SystemRandomNumberGenerator()
        let accounts = (0..<300).map { "agent\($0)" } + ["Root", "root", "", "élodie", "a-very-long-account-name-beyond-fifteen"]
        for step in 0..<5_000 {
            let account = accounts.randomElement(using: &generator)!
            let value: Int? = step % 7 == 0 ? nil : step
            table[account] = value
            expected[account] = value
            XCTAssertEqual(table[account], expected[account], "after setting \(account)")
        }
        XCTAssertEqual(table.dictionary, expected)
        for account in accounts { XCTAssertEqual(table[account], expected[account], account) }
        XCTAssertEqual(LastTicketChanged(expected), table)
        XCTAssertNil(table["nobody"])
    }
}
