import Foundation
import XCTest

/// `helpdesk list --priority/--tag/--channel/--sort` through the real binary.
final class ListFilterTests: CLITestCase {
    /// #1 low email [vip], #2 urgent phone [vip billing], #3 normal email [billing], #4 urgent email, closed.
    private func setUpFourTickets() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        try cli.newTicket(subject: "One", ["--priority", "low"])
        try cli.newTicket(subject: "Two", ["--priority", "urgent", "--channel", "phone"])
        try cli.newTicket(subject: "Three")
        try cli.newTicket(subject: "Four", ["--priority", "urgent"])
        try cli.ok("tag", "1", "vip")
        try cli.ok("tag", "2", "+vip", "+Billing")
        try cli.ok("tag", "3", "billing")
        try cli.ok("close", "4")
    }

    func testFiltersAllMustMatch() throws {
        try setUpFourTickets()
        XCTAssertEqual(try cli.listedIDs("--priority", "urgent"), [2])
        XCTAssertEqual(try cli.listedIDs("--priority", "urgent", "--status", "all"), [2, 4])
        XCTAssertEqual(try cli.listedIDs("--tag", "vip"), [1, 2])
        XCTAssertEqual(try cli.listedIDs("--tag", "vip", "--tag", "billing"), [2])
        XCTAssertEqual(try cli.listedIDs("--tag", "VIP", "--channel", "email"), [1])
        XCTAssertEqual(try cli.listedIDs("--channel", "phone"), [2])
        XCTAssertEqual(try cli.listedIDs("--tag", "absent"), [])
        XCTAssertEqual(try cli.ok("list", "--tag", "absent").stdout.split(separator: "\n").count, 1, "the header only")
    }

    func testSorts() throws {
        try setUpFourTickets()
        try cli.ok("priority", "3", "high")
        XCTAssertEqual(try cli.listedIDs(), [1, 2, 3], "by id unless told")
        XCTAssertEqual(try cli.listedIDs("--sort", "id"), [1, 2, 3])
        XCTAssertEqual(try cli.listedIDs("--sort", "oldest", "--status", "all"), [1, 2, 3, 4])
        XCTAssertEqual(try cli.listedIDs("--sort", "newest", "--status", "all"), [4, 3, 2, 1])
        XCTAssertEqual(try cli.listedIDs("--sort", "updated", "--status", "all"), [3, 4, 2, 1])
        XCTAssertEqual(try cli.listedIDs("--sort", "urgency", "--status", "all"), [2, 3, 1, 4],
                       "as the console's queue: the SLA due soonest first (urgent, high, low), closed last")
    }

    func testBadValuesAreNamed() throws {
        try setUpFourTickets()
        for (arguments, word) in [(["--sort", "fastest"], "fastest"), (["--priority", "huge"], "huge"),
                                  (["--channel", "pigeon"], "pigeon")] {
            let result = try cli.run(["list"] + arguments)
            XCTAssertEqual(result.status, 64, "list \(arguments)")
            XCTAssertTrue(result.stderr.contains(word), result.stderr)
            XCTAssertEqual(result.stdout, "")
        }
    }
}
