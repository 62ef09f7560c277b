import Foundation
import XCTest

/// Marks in the real console: `Space` on three tickets, then `s` solves the three in one record.
final class ConsoleBulkE2ETests: ConsoleE2ECase {
    func testBulkSolveThreeMarkedTickets() throws {
        try makeDemoDesk()
        try openConsole()
        let screen = try waitForScreen(for: "a queue of at least three tickets") { Self.queueIDs($0).count >= 3 }
        let ids = Array(Self.queueIDs(screen).prefix(3))
        try select(ids[0])
        let recordsBefore = try cli("events", "--json").stdoutLines.count
        try tmux.press("main", "Space")
        try tmux.press("main", "Space")
        try tmux.press("main", "Space")
        let marked = try waitForScreen(contains: "3 marked")
        for id in ids {
            XCTAssertTrue(Self.queueRow(marked, id)?.contains("*") ?? false, "#\(id) shows its mark:\n\(marked)")
        }
        try tmux.type("main", "s")
        try waitForScreen(contains: "solved 3 tickets")
        for id in ids { XCTAssertEqual(try ticket(id).string("status"), "solved", "#\(id)") }
        XCTAssertEqual(try cli("events", "--json").stdoutLines.count, recordsBefore + 1, "one record for the three")
        try waitForScreen(lacks: "3 marked")
    }
}
