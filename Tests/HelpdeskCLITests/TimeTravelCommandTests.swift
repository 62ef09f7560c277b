import Foundation
import XCTest

/// `--at TIME`: the read commands show the desk as the log had it then, read-only.
final class TimeTravelCommandTests: CLITestCase {
    func testEachReadCommandShowsTheDeskAsItWasThen() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        let id = try cli.newTicket()
        let opened = try XCTUnwrap(try cli.ticket(id)["updated_at"] as? String)
        try cli.ok("take", String(id), "--as", "alice")
        let taken = try XCTUnwrap(try cli.ticket(id)["updated_at"] as? String)
        try cli.ok("resolve", String(id), "--as", "alice")

        XCTAssertEqual(try cli.ticket(id)["status"] as? String, "solved")
        let then = try cli.object("show", String(id), "--at", opened, "--json")
        XCTAssertEqual(then["status"] as? String, "new")
        XCTAssertTrue(isNull(then["assignee"]))
        XCTAssertEqual(try cli.object("show", String(id), "--at", taken, "--json")["assignee"] as? String, "alice")
        XCTAssertEqual(try cli.listedIDs("--at", opened, "--status", "new"), [id])
        XCTAssertEqual(try cli.listedIDs("--status", "new"), [], "solved now")
        let status = try cli.object("status", "--at", taken, "--json")
        XCTAssertEqual((status["by_assignee"] as? [String: Any])?["alice"] as? Int, 1)
        XCTAssertEqual(try cli.array("history", String(id), "--at", opened, "--json").count, 1)
        XCTAssertTrue(try cli.ok("sla", "why", String(id), "--at", opened).stdout.contains("first response"))
        XCTAssertTrue(try cli.ok("customer", "ann@example.com", "--at", taken).stdout.contains("open"))
        XCTAssertEqual(try cli.object("report", "--at", taken, "--json")["solved"] as? Int, 0)
        XCTAssertEqual(try cli.object("report", "--json")["solved"] as? Int, 1)
    }

    func testAMomentBeforeTheDeskOrInTheFutureOrWithAChangeIsSaidPlainly() throws {
        try cli.setUpDesk()
        let id = try cli.newTicket()
        XCTAssertEqual(try cli.listedIDs("--at", "3h"), [], "three hours ago there was nothing")
        XCTAssertTrue(try cli.refused("show", String(id), "--at", "3h").contains("no ticket \(id) at "))
        XCTAssertTrue(try cli.refused("status", "--at", "tomorrow 09:00").contains("is in the future"))
        let change = try cli.run(["customer", "ann@example.com", "--at", "1h", "--name", "Ann"])
        XCTAssertEqual(change.status, 64)
        XCTAssertTrue(change.stderr.contains("read-only"), change.stderr)
        XCTAssertEqual(try cli.run(["list", "--at", "whenever"]).status, 1)
    }
}
