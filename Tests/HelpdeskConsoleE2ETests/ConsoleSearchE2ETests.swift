import Foundation
import XCTest

/// `/` in the real console finds a ticket by a word that is only in one of its internal notes,
/// and the ticket pane shows the note.
final class ConsoleSearchE2ETests: ConsoleE2ECase {
    func testSlashFindsAWordOnlyInANote() throws {
        try makeDemoDesk()
        try cli("note", "4", "--body", "Vendor says the quixotic firmware needs a reflash.")
        let found = try JSONSerialization.jsonObject(with: try cli("search", "quixotic", "--json").stdoutData) as? [[String: Any]]
        XCTAssertEqual(found?.compactMap { $0.int("id") }, [4], "the note is indexed")
        try openConsole()
        try tmux.type("main", "/")
        try waitForScreen(contains: "/▏")
        try tmux.type("main", "quixo")
        let screen = try waitForScreen(for: "the queue narrowed to the ticket with the note") {
            $0.contains(" · /quixo") && Self.queueIDs($0) == [4]
        }
        XCTAssertEqual(Self.shownTicket(screen), 4, "the selection follows the filter")
        XCTAssertTrue(screen.contains("quixotic firmware"), "the note in the ticket pane:\n\(screen)")
        try tmux.type("main", "zzz")
        try waitForScreen(contains: "no ticket matches /quixozzz")
    }
}
