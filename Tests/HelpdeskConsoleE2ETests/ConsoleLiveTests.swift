import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Other processes change the desk; the console shows it without a key press.
final class ConsoleLiveTests: ConsoleE2ECase {
    func testChangesFromTheCLIShowWithoutAKeyPress() throws {
        // Wide enough that the queue keeps its CUSTOMER column beside a quarter of it for the subject.
        try makeDemoDesk()
        try openConsole(columns: 160)
        try select(6)

        // A new urgent ticket goes to the top of the queue; the selection stays on #6.
        let id = try cli("new", "--customer", "ops@example.org", "--customer-name", "Night Ops",
                         "--subject", "Printer on fire in the server room", "--priority", "urgent", "--body", "Help")
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let newID = try XCTUnwrap(Int(id), "new prints the id")
        var screen = try waitForScreen(for: "the new ticket #\(newID)", timeout: 5) { Self.queueRow($0, newID) != nil }
        XCTAssertTrue(Self.queueRow(screen, newID)?.contains("Night Ops") ?? false, screen)
        XCTAssertEqual(Self.queueIDs(screen).prefix(2).last, newID, "urgent, after the older urgent #2:\n\(screen)")
        XCTAssertEqual(Self.queueCount(screen), 11, screen)
        XCTAssertEqual(Self.shownTicket(screen), 6, "the selection stays on the same ticket:\n\(screen)")

        // Another agent takes the selected ticket: its row and its header change.
        try cli("take", "6", "--as", "bob")
        screen = try waitForScreen(for: "#6 assigned to bob", timeout: 5) {
            $0.contains("assigned to bob") && (Self.queueRow($0, 6)?.contains("bob") ?? false)
        }
        XCTAssertEqual(Self.shownTicket(screen), 6, screen)

        // A customer message arrives on it.
        try cli("message", "6", "--body", "Any news on the upgrade? Giulia")
        try waitForScreen(contains: "Any news on the upgrade? Giulia", timeout: 5)
    }

    /// Two agents on one ticket each see the other within 2 s; the name goes when one leaves,
    /// whether it quits or dies without saying so.
    func testTwoConsolesOnOneTicketSeeEachOther() throws {
        try makeDemoDesk()
        try openConsole(["console", "--as", "alice"], session: "alice")
        try openConsole(["console", "--as", "bob"], session: "bob")
        try select(7, in: "alice")
        try select(7, in: "bob")
        try waitForScreen("alice", contains: "also here: bob", timeout: 2.5)
        try waitForScreen("bob", contains: "also here: alice", timeout: 2.5)

        // Bob moves on: alice's line goes with him.
        try tmux.type("bob", "j")
        try waitForScreen("bob", for: "bob leaving #7") { Self.shownTicket($0) != 7 }
        try waitForScreen("alice", lacks: "also here: bob", timeout: 3)
        try tmux.type("bob", "k")
        try waitForScreen("alice", contains: "also here: bob", timeout: 2.5)

        // Bob quits.
        try tmux.type("bob", "q")
        XCTAssertEqual(try exitStatus("bob"), 0)
        try waitForScreen("alice", lacks: "also here: bob", timeout: 3)
        let left = try desk.presence(of: "bob")
        XCTAssertTrue(left.isEmpty, "bob's presence is gone: \(left)")

        // Carol's console is killed outright (no chance to clean up): alice notices within seconds.
        let pidFile = directory.appendingPathComponent("carol.pid").path
        try openConsole(["console", "--as", "carol"], session: "carol", pidFile: pidFile)
        try select(7, in: "carol")
        try waitForScreen("alice", contains: "also here: carol", timeout: 2.5)
        let pid = try pid(in: pidFile)
        XCTAssertEqual(kill(pid, SIGKILL), 0)
        try waitForScreen("alice", lacks: "also here: carol", timeout: 5)
    }
}
