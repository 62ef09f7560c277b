import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `A` in a real console says available; the agent's last console ending (`q`, or a hang-up as
/// an SSH drop gives) makes them away, unless they said `available --for` from the shell.
final class ConsoleAvailabilityE2ETests: ConsoleE2ECase {
    private func isAvailable(_ account: String) throws -> Bool {
        let groups = try XCTUnwrap(JSONSerialization.jsonObject(with: try cli("group", "list", "--json").stdoutData) as? [[String: Any]])
        let members = groups.first?["members"] as? [[String: Any]] ?? []
        return members.first { $0["agent"] as? String == account }?["available"] as? Bool ?? false
    }

    /// The demo desk with `agent` in the group billing, and a tmux server that outlives consoles.
    private func makeDemoDeskWithGroupOf(_ agent: String) throws {
        try makeDemoDesk()
        try cli("group", "add", "billing")
        try cli("group", "member", "add", "billing", agent)
        try tmux.newSession("keep", command: "sleep 60")
    }

    func testAToggleAndTheLastConsoleEndingMakesTheAgentAway() throws {
        try makeDemoDeskWithGroupOf("root")
        let pidFile = directory.appendingPathComponent("console.pid").path
        try openConsole(pidFile: pidFile)
        try waitForScreen(contains: "mine · away")
        try tmux.type("main", "A")
        try waitForScreen(contains: "you are available")
        XCTAssertTrue(try isAvailable("root"))

        try openConsole(session: "second")
        try waitForScreen(contains: "also here: root")  // the first console sees the second
        XCTAssertEqual(kill(try pid(in: pidFile), SIGHUP), 0, "the SSH connection drops")
        try waitForScreen(contains: "EXITED")
        XCTAssertTrue(try isAvailable("root"), "another console of root's is still open")
        try tmux.type("second", "q")
        try waitForScreen("second", contains: "EXITED")
        XCTAssertFalse(try isAvailable("root"), "the last console ended: away")

        try cli("available", "--for", "1h")
        try openConsole(session: "third")
        try waitForScreen("third", contains: "mine · available")
        try tmux.type("third", "q")
        try waitForScreen("third", contains: "EXITED")
        XCTAssertTrue(try isAvailable("root"), "said from the shell for an hour: the console ending leaves it")
    }

    /// A console killed outright says nothing: another console finds its process gone on the
    /// presence board and, once it was the agent's last, the desk records the agent away.
    func testAConsoleKilledOutrightLeavesItsAgentAwayOnceAnotherConsoleFindsIt() throws {
        try desk.requireFileStore("a database desk's presence rows say any account (see DatabasePresenceBoard.takeLost)")
        try makeDemoDeskWithGroupOf("alice")
        let first = directory.appendingPathComponent("alice-1.pid").path
        let second = directory.appendingPathComponent("alice-2.pid").path
        try openConsole(["console", "--as", "alice"], session: "alice", pidFile: first)
        try tmux.type("alice", "A")
        try waitForScreen("alice", contains: "you are available")
        try openConsole(["console", "--as", "alice"], session: "alice2", pidFile: second)
        try openConsole(["console", "--as", "bob"], session: "bob")
        try select(2, in: "alice2")
        try select(2, in: "bob")

        XCTAssertEqual(kill(try pid(in: first), SIGKILL), 0)
        try waitForScreen("alice", contains: "EXITED")
        // bob's console has looked at the board since (it shows the live one) and leaves alice be.
        try tmux.type("alice2", "j")
        try waitForScreen("bob", lacks: "also here: alice")
        try tmux.type("alice2", "k")
        try waitForScreen("bob", contains: "also here: alice")
        XCTAssertTrue(try isAvailable("alice"), "another console of alice's is still open")

        XCTAssertEqual(kill(try pid(in: second), SIGKILL), 0)
        try waitFor("alice away after her last console was killed") { (try? self.isAvailable("alice")) == false }
        let record = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(try cli("events", "--json").stdout.split(separator: "\n").last!.utf8)) as? [String: Any])
        XCTAssertEqual(record["actor"] as? String, "desk")
        XCTAssertEqual(record["via"] as? String, "root", "the account behind the console that found it")
        XCTAssertEqual((record["events"] as? [[String: Any]])?.first?["type"] as? String, "agent.away")
        XCTAssertEqual((record["events"] as? [[String: Any]])?.first?["agent"] as? String, "alice")
    }
}
