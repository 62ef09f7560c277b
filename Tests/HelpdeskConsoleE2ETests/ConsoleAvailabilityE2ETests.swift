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

    func testAToggleAndTheLastConsoleEndingMakesTheAgentAway() throws {
        try makeDemoDesk()
        try cli("group", "add", "billing")
        try cli("group", "member", "add", "billing", "root")
        try tmux.newSession("keep", command: "sleep 60")  // keeps the server up between consoles
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
}
