import Foundation
import XCTest

/// A ticket another process gives the agent rings the terminal's bell and says so on the status line.
final class ConsoleNotificationE2ETests: ConsoleE2ECase {
    func testATicketGivenByAnotherProcessRingsTheAgentsBell() throws {
        try makeDemoDesk()
        let unassigned = try XCTUnwrap(try allTickets().first {
            $0.string("assignee") == nil && $0.int("tier") == 1 && ["new", "open"].contains($0.string("status") ?? "")
        }?.int("id"), "the demo desk has an unassigned active ticket at tier 1")
        // A new agent: none of their tickets can be near a breach, so nothing else rings.
        try cli("agent", "add", "erin", "--name", "Erin")
        try openConsole(["console", "--as", "erin"], session: "erin")
        XCTAssertEqual(try tmux.display("erin", "#{window_bell_flag}"), "0", "no bell before")

        try cli("give", String(unassigned), "erin")
        try waitForScreen("erin", contains: "#\(unassigned) is yours now (given by root)", timeout: 5)
        try waitFor("the bell flag of erin's window") { try self.tmux.display("erin", "#{window_bell_flag}") == "1" }
    }
}
