import XCTest
@testable import HelpdeskCore

/// The table behind `Desk.lastTicketChanged` answers as a dictionary would, past the sizes at
/// which it grows, with keys that differ only in case or collide in its slots.
final class LastTicketChangedTests: XCTestCase {
    func testAnswersAsADictionaryThroughGrowthAndOverwrites() {
        var table = LastTicketChanged()
        var expected: [String: Int] = [:]
        let accounts = (0..<300).map { "agent\($0)" } + ["Root", "root", "", "élodie", "a-very-long-account-name-beyond-fifteen"]
        for step in 0..<5_000 {
            let account = accounts[step * 7_919 % accounts.count]  // every account, in a scattered order
            table.set(step, for: account)
            expected[account] = step
            XCTAssertEqual(table[account], expected[account], "after setting \(account)")
        }
        XCTAssertEqual(table.dictionary, expected)
        for account in accounts { XCTAssertEqual(table[account], expected[account], account) }
        XCTAssertEqual(LastTicketChanged(expected), table)
        XCTAssertNil(table["nobody"])
    }

    /// Runs of one account (a record's events), broken by others, across the table's growth.
    func testRunsOfOneAccountAnswerAsADictionary() {
        var table = LastTicketChanged()
        var expected: [String: Int] = [:]
        for step in 0..<3_000 {
            let account = step % 5 == 4 ? "Root" : "agent\(step / 5 % 97)"
            table.set(step, for: account)
            expected[account] = step
            XCTAssertEqual(table[account], step)
        }
        XCTAssertEqual(table.dictionary, expected)
        XCTAssertNil(table["root"], "case counts")
    }
}
