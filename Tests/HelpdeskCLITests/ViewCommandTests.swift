import Foundation
import XCTest

/// `helpdesk view save|list|remove` and `list --view` through the real binary.
final class ViewCommandTests: CLITestCase {
    func testSaveListUseAndRemove() throws {
        try cli.setUpDesk(agents: [("alice", []), ("bob", [])])
        try cli.newTicket(subject: "One", ["--priority", "urgent"])
        try cli.newTicket(subject: "Two", ["--priority", "urgent"])
        try cli.newTicket(subject: "Three", ["--priority", "low"])
        try cli.ok("take", "1", "--as", "alice")
        try cli.ok("take", "2", "--as", "bob")
        try cli.ok("tag", "1", "vip", "--as", "alice")

        XCTAssertEqual(try cli.ok("view", "save", "my-urgent", "--mine", "--priority", "urgent", "--sort", "newest").stdout,
                       "saved the view my-urgent: --mine --priority urgent --sort newest\n")
        try cli.ok("view", "save", "vip", "--tag", "VIP", "--status", "all")
        XCTAssertEqual(try cli.listedIDs("--view", "my-urgent", "--as", "alice"), [1], "--mine is whoever uses the view")
        XCTAssertEqual(try cli.listedIDs("--view", "my-urgent", "--as", "bob"), [2])
        XCTAssertEqual(try cli.listedIDs("--view", "vip"), [1])

        let list = try cli.array("view", "list", "--json")
        XCTAssertEqual(list.map { $0["name"] as? String }, ["my-urgent", "vip"])
        XCTAssertEqual(list[0]["mine"] as? Bool, true)
        XCTAssertEqual(list[0]["priority"] as? String, "urgent")
        XCTAssertEqual(list[0]["sort"] as? String, "newest")
        XCTAssertTrue(isNull(list[0]["status"]))
        XCTAssertEqual(list[1]["status"] as? String, "all")
        XCTAssertEqual(list[1]["tags"] as? [String], ["vip"])
        XCTAssertEqual(list[1]["arguments"] as? [String], ["--status", "all", "--tag", "vip"])
        XCTAssertEqual(try cli.ok("view", "list").stdoutLines.count, 3, "a header and two views")
        XCTAssertTrue(try cli.ok("events", "--json").stdoutLines.last?.contains(#""type":"view.saved""#) == true, "in the log")

        XCTAssertEqual(try cli.ok("view", "remove", "vip").stdout, "removed the view vip\n")
        XCTAssertEqual(try cli.array("view", "list", "--json").map { $0["name"] as? String }, ["my-urgent"])
    }

    func testBadInputIsNamedAndChangesNothing() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        try cli.newTicket()
        try cli.ok("view", "save", "open")
        XCTAssertEqual(try cli.refused("view", "save", "mine", "--as", "alice"),
                       "helpdesk: only supervisors may save views; alice is an agent")
        XCTAssertEqual(try cli.refused("view", "remove", "open", "--as", "alice"),
                       "helpdesk: only supervisors may remove views; alice is an agent")
        XCTAssertEqual(try cli.refused("view", "save", "open", "--tier", "2"),
                       "helpdesk: a view named open exists already; replace it or choose another name")
        try cli.ok("view", "save", "open", "--tier", "2", "--replace")
        XCTAssertEqual(try cli.refused("view", "save", "two words"),
                       "helpdesk: bad view name 'two words': one word of letters, digits, '-', '_' or '.' (at most 64)")
        XCTAssertEqual(try cli.refused("view", "remove", "absent"), "helpdesk: no view absent")
        XCTAssertEqual(try cli.refused("list", "--view", "absent"), "helpdesk: no view absent")
        let both = try cli.run("list", "--view", "open", "--tier", "1")
        XCTAssertEqual(both.status, 64)
        XCTAssertTrue(both.stderr.contains("give --view or filters, not both"), both.stderr)
        XCTAssertEqual(try cli.array("view", "list", "--json").map { $0["tier"] as? Int }, [2])
    }
}
