import Foundation
import XCTest

/// `init` and `agent add / list / set`.
final class RosterTests: CLITestCase {
    func testInitCreatesTheLogWithMode0660AndASecondInitIsRefused() throws {
        // --log to a directory that does not exist yet, without HELPDESK_LOG.
        let path = cli.directory.appendingPathComponent("desks/support/desk.log").path
        let created = try cli.run(["init", "--log", path], logInEnvironment: false)
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertEqual(created.stdout, "created the desk at \(path) with root as its supervisor\n")
        XCTAssertEqual(created.stderr, "")

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o660, "mode of the new log")
        XCTAssertEqual(attributes[.type] as? FileAttributeType, .typeRegular)

        let again = try cli.run(["init", "--log", path], logInEnvironment: false)
        let line = cli.assertOneLineError(again, status: 1, ["init", "--log", path])
        XCTAssertEqual(line, "helpdesk: a desk log already exists at \(path)")

        // Still the one desk, with root its only supervisor.
        let roster = try XCTUnwrap(JSONSerialization.jsonObject(
            with: try cli.run(["agent", "list", "--json", "--log", path], logInEnvironment: false).stdoutData) as? [[String: Any]])
        XCTAssertEqual(roster.count, 1)
        XCTAssertEqual(roster.first?["account"] as? String, "root")
        XCTAssertEqual(roster.first?["role"] as? String, "supervisor")
        XCTAssertEqual(roster.first?["tier"] as? Int, 3)
        XCTAssertEqual(roster.first?["active"] as? Bool, true)
    }

    func testReservedNamesAreRefusedByAgentAddAndInit() throws {
        try cli.ok("init")
        for name in ["desk", "mail", "intake", "customer"] {
            let line = try cli.refused("agent", "add", name)
            XCTAssertTrue(line.hasPrefix("helpdesk: '\(name)' is reserved"), line)
        }
        XCTAssertEqual(try cli.array("agent", "list", "--json").count, 1, "nobody was added")
        // Root creating a desk as one of them is refused before any file is made.
        let path = cli.directory.appendingPathComponent("other.log").path
        let refused = try cli.run(["init", "--log", path, "--as", "mail"], logInEnvironment: false)
        XCTAssertTrue(cli.assertOneLineError(refused, status: 1, ["init"]).contains("'mail' is reserved"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testAgentAddListAndSet() throws {
        try cli.ok("init", "--name", "Root Admin")
        XCTAssertEqual(try cli.ok("agent", "add", "alice").stdout, "added agent alice at tier 1\n")
        XCTAssertEqual(try cli.ok("agent", "add", "bob", "--role", "supervisor", "--tier", "2", "--name", "Bob Builder").stdout,
                       "added supervisor bob at tier 2\n")

        let roster = try cli.array("agent", "list", "--json")
        XCTAssertEqual(roster.map { Set($0.keys) }, Array(repeating: ["account", "name", "role", "tier", "active"], count: 3))
        XCTAssertEqual(roster.map { $0["account"] as? String }, ["root", "alice", "bob"])
        XCTAssertEqual(roster.map { $0["name"] as? String }, ["Root Admin", "alice", "Bob Builder"])
        XCTAssertEqual(roster.map { $0["role"] as? String }, ["supervisor", "agent", "supervisor"])
        XCTAssertEqual(roster.map { $0["tier"] as? Int }, [3, 1, 2])
        XCTAssertEqual(roster.map { $0["active"] as? Bool }, [true, true, true])

        let table = try cli.ok("agent", "list").stdoutLines
        XCTAssertEqual(table.count, 4)
        XCTAssertEqual(table[0].split(separator: " ", omittingEmptySubsequences: true), ["ACCOUNT", "NAME", "ROLE", "TIER", "ACTIVE"])
        XCTAssertTrue(table[2].hasPrefix("alice "), table[2])
        XCTAssertTrue(table[2].hasSuffix("yes"), table[2])

        XCTAssertEqual(try cli.ok("agent", "set", "alice", "--tier", "2").stdout, "changed agent alice\n")
        try cli.ok("agent", "set", "bob", "--role", "agent", "--name", "Bob")
        try cli.ok("agent", "set", "alice", "--no-active")

        let changed = try cli.array("agent", "list", "--json")
        XCTAssertEqual(changed.map { $0["account"] as? String }, ["root", "alice", "bob"])
        XCTAssertEqual(changed[1]["tier"] as? Int, 2)
        XCTAssertEqual(changed[1]["active"] as? Bool, false)
        XCTAssertEqual(changed[2]["role"] as? String, "agent")
        XCTAssertEqual(changed[2]["name"] as? String, "Bob")
        XCTAssertEqual(changed[2]["tier"] as? Int, 2)
        XCTAssertTrue(try cli.ok("agent", "list").stdoutLines[2].hasSuffix("no"))

        // An inactive agent cannot work the desk, and is told how to get back on.
        try cli.newTicket()
        let inactive = try cli.refused("take", "1", "--as", "alice")
        XCTAssertTrue(inactive.contains("inactive"), inactive)
        XCTAssertTrue(inactive.contains("helpdesk agent set alice --active"), inactive)
        try cli.ok("agent", "set", "alice", "--active")
        XCTAssertEqual(try cli.ok("take", "1", "--as", "alice").stdout, "took ticket 1\n")

        // Nothing to change is refused; so is an unknown agent.
        XCTAssertTrue(try cli.refused("agent", "set", "alice", "--tier", "2").contains("nothing to change"))
        XCTAssertTrue(try cli.refused("agent", "set", "zed", "--tier", "2").contains("no agent zed"))
    }

    func testOnlySupervisorsChangeTheRoster() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        let line = try cli.refused("agent", "add", "carol", "--as", "alice")
        XCTAssertEqual(line, "helpdesk: only supervisors may add agents; alice is an agent")
        XCTAssertTrue(try cli.refused("agent", "set", "alice", "--tier", "3", "--as", "alice").contains("only supervisors"))
        XCTAssertEqual(try cli.array("agent", "list", "--json").map { $0["account"] as? String }, ["root", "alice"])
        XCTAssertEqual(try cli.array("agent", "list", "--json")[1]["tier"] as? Int, 1)

        // Rules on what is added.
        XCTAssertTrue(try cli.refused("agent", "add", "alice").contains("already on the roster"))
        XCTAssertTrue(try cli.refused("agent", "add", "dave", "--tier", "4").contains("bad tier 4"))
        XCTAssertTrue(try cli.refused("agent", "add", "Not A User").contains("bad account name"))
        XCTAssertTrue(try cli.refused("agent", "set", "root", "--role", "agent").contains("last active supervisor"))
        XCTAssertEqual(try cli.run("agent", "add", "erin", "--role", "boss").status, 64)

        // A promoted agent may add agents.
        try cli.ok("agent", "set", "alice", "--role", "supervisor")
        try cli.ok("agent", "add", "carol", "--as", "alice")
        XCTAssertEqual(try cli.array("agent", "list", "--json").map { $0["account"] as? String }, ["root", "alice", "carol"])
    }
}
