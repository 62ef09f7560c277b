import Foundation
import XCTest

/// On a desk kept in PostgreSQL, who acts is still the Unix account running the command. `--as`
/// stays root's, and a database role's that a supervisor named (`acting-role add`): connections
/// made as another role, by accounts that are not root, are refused as before.
final class DatabaseIdentityTests: TrustCase {
    private var server: TestPostgres!
    private var database: TestDatabase!
    private var gateway = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        server = try TestPostgres.server()
        database = try server.createDatabase()
        gateway = "gw_" + String(UUID().uuidString.prefix(8)).lowercased()
        try server.psql("CREATE ROLE \(gateway) LOGIN SUPERUSER", database: "postgres")
    }

    override func tearDownWithError() throws {
        if let database { try? server.dropDatabase(database) }
        if !gateway.isEmpty { _ = try? server.psql("DROP ROLE IF EXISTS \(gateway)", database: "postgres") }
        try super.tearDownWithError()
    }

    /// The database's URL with `role` as its user.
    private func url(as role: String) -> String {
        database.url.replacingOccurrences(of: "://helpdesk@", with: "://\(role)@")
    }

    func testOnlyARoleTheDeskNamesMayActAsAnotherAgent() throws {
        let desk = url(as: "helpdesk"), viaGateway = url(as: gateway)
        XCTAssertEqual(try runAsRoot("init", "--as", alice, "--name", "Alice", "--store", desk).status, 0)
        for command in [["agent", "add", bob], ["new", "--customer", "c@example.com", "--subject", "S", "--body", "b"]] {
            let ran = try run(alice, arguments: command + ["--store", desk])
            XCTAssertEqual(ran.status, 0, ran.stderr)
        }

        let early = try run(bob, "note", "1", "--as", alice, "--body", "as alice", "--store", viaGateway)
        XCTAssertEqual(early.status, 1, "no role is named yet: \(early.stderr)")
        XCTAssertTrue(early.stderr.contains("--as is only for root"), early.stderr)

        let byAgent = try run(bob, "acting-role", "add", gateway, "--store", desk)
        XCTAssertEqual(byAgent.status, 1, "only supervisors name acting roles: \(byAgent.stderr)")
        let byStranger = try run(mallory, "acting-role", "add", gateway, "--store", desk)
        XCTAssertEqual(byStranger.status, 1, byStranger.stderr)
        let named = try run(alice, "acting-role", "add", gateway, "--store", desk)
        XCTAssertEqual(named.status, 0, named.stderr)
        XCTAssertEqual(try run(alice, "acting-role", "list", "--json", "--store", desk).stdout, "[\"\(gateway)\"]\n")

        let acted = try run(bob, "note", "1", "--as", alice, "--body", "as alice", "--store", viaGateway)
        XCTAssertEqual(acted.status, 0, acted.stderr)
        let events = try run(alice, "events", "--json", "--store", desk).stdout.split(separator: "\n")
        XCTAssertTrue(events.last?.contains("\"actor\":\"\(alice)\",\"via\":\"\(bob)\"") == true,
                      "the record keeps who really wrote it: \(events.last ?? "")")

        let otherRole = try run(bob, "note", "1", "--as", alice, "--body", "again", "--store", desk)
        XCTAssertEqual(otherRole.status, 1, "a role the desk does not name: \(otherRole.stderr)")
        XCTAssertEqual(try run(alice, "acting-role", "remove", gateway, "--store", desk).status, 0)
        XCTAssertEqual(try run(bob, "note", "1", "--as", alice, "--body", "after", "--store", viaGateway).status, 1,
                       "no longer named")
    }
}
