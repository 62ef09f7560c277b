import Foundation
import XCTest

/// On an idle desk, the open consoles and the wallboard record a breach when it falls due: no
/// command runs after the ticket is opened, and the three processes record it once between them.
final class IdleDeskEscalationTests: ConsoleE2ECase {
    private func escalations() throws -> [[String: Any]] {
        try cli("events", "--json").stdoutLines.compactMap { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }.filter { record in
            ((record["events"] as? [[String: Any]]) ?? []).contains { $0["type"] as? String == "ticket.escalated" }
        }
    }

    func testTwoConsolesAndAWallboardRecordABreachOnceWhenItFallsDue() throws {
        try cli("init", "--name", "Root")
        try cli("agent", "add", "alice")
        try cli("agent", "add", "bob")
        try cli("sla", "set", "urgent", "--first-response", "4s")
        try openConsole(["console", "--as", "alice"], session: "alice")
        try openConsole(["console", "--as", "bob"], session: "bob")
        try tmux.newSession("board", command: consoleCommand(["watch"]), columns: 120, rows: 30)
        try waitForScreen("board", contains: "live · record #")

        // The last command: the ticket breaches its first response 4 s from now.
        try cli("new", "--customer", "ops@example.org", "--subject", "Printer on fire", "--priority", "urgent",
                "--body", "Help")
        try waitFor("the breach recorded by an open console or the wallboard", timeout: 30) {
            try !escalations().isEmpty
        }
        // Every process has seen it once the wallboard and both consoles show tier 2.
        try waitForScreen("board", contains: "ESCALATED tier 2: 1")
        for session in ["alice", "bob"] {
            try waitForScreen(session, contains: "urgent · tier 2 ·")
        }
        let recorded = try escalations()
        XCTAssertEqual(recorded.count, 1, "\(recorded)")
        let record = try XCTUnwrap(recorded.first)
        XCTAssertEqual(record["actor"] as? String, "desk")
        XCTAssertTrue(["alice", "bob", "root"].contains(record["via"] as? String ?? ""), "\(record)")
    }
}
