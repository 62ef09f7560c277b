import Foundation
import XCTest

/// SQLite is loaded by the first call into it (Sources/CTerminalAndSearchLibraries), not at start:
/// on a machine that lacks it every command but a search runs, a write leaves the index for the
/// next search to catch up, and `search` fails with one line naming the library, as a library
/// missing at start-up would.
final class SearchLibraryLoadingTests: CLITestCase {
    func testOnlySearchNeedsSQLite() throws {
        let sqlite = try HiddenLibrary("libsqlite3.so.0")
        try cli.setUpDesk(agents: [("alice", [])])
        try cli.newTicket("jane@example.com", subject: "Printer jams", stdin: "The paper jam happens every morning.")
        XCTAssertEqual(try found("paper"), [1], "the index is built")

        let shown = try sqlite.run(["show", "1"], in: cli.desk)
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.hasPrefix("#1 "), shown.stdout)
        let noted = try sqlite.run(["note", "1", "--body", "The toner is low too."], in: cli.desk)
        XCTAssertEqual(noted.status, 0, "a write does without the index: \(noted.stderr)")

        let searched = try sqlite.run(["search", "toner"], in: cli.desk)
        XCTAssertEqual(searched.status, 127, "exits as the dynamic loader would")
        XCTAssertTrue(searched.stderr.hasPrefix("helpdesk: cannot load the shared library libsqlite3.so.0: "), searched.stderr)
        XCTAssertEqual(searched.stderr.filter { $0 == "\n" }.count, 1, "one line: \(searched.stderr)")
        XCTAssertEqual(searched.stdout, "", "nothing half-answered")
        XCTAssertEqual(try found("toner"), [1], "with SQLite back, the index catches up with the note")
    }

    private func found(_ words: String) throws -> [Int] {
        try cli.array("search", words, "--json").compactMap { $0["id"] as? Int }
    }
}
