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

        XCTAssertEqual(kill(try pid(in: pidFile), SIGHUP), 0, "the SSH connection drops")
        try waitForScreen(contains: "EXITED")
        XCTAssertFalse(try isAvailable("root"), "the last console ended: away")

        try cli("available", "--for", "1h")
        try tmux.run(["kill-session", "-t", "main"])
        try openConsole()
        try waitForScreen(contains: "mine · available")
        try tmux.type("main", "q")
        try waitForScreen(contains: "EXITED")
        XCTAssertTrue(try isAvailable("root"), "said from the shell for an hour: the console ending leaves it")
    }
}
