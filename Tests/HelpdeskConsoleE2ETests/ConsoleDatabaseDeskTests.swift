import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The console and the wallboard on a desk kept in PostgreSQL: consoles on two "hosts" (each its
/// own HELPDESK_HOST and HOME) see each other's changes and presence live; a console killed
/// outright leaves the board within seconds; the database stopped and restarted under an open
/// console and wallboard: "reconnecting…", keys still work, a reply sent meanwhile stays a
/// draft, and after it is back what the CLI changed shows.
final class ConsoleDatabaseDeskTests: ConsoleE2ECase {
    private var server: TestPostgres!
    private var database: TestDatabase?
    private var store: String!

    override func tearDownWithError() throws {
        tmux?.kill()  // the consoles first, then their database
        if let server {
            if !server.accepting() { try? server.start() }  // a test stopped mid-outage
            if let database { try? server.dropDatabase(database) }
        }
        try super.tearDownWithError()
    }

    // MARK: Setting up

    /// A desk in a database of the test's own on the test server: root its supervisor, agents
    /// alice, bob and carol, tickets 1…3.
    private func makeDatabaseDesk() throws {
        server = try TestPostgres.server()
        let database = try server.createDatabase()
        self.database = database
        store = database.url
        try db("init")
        for agent in ["alice", "bob", "carol"] { try db("agent", "add", agent) }
        for (customer, subject) in [("ada@example.org", "Printer jams"), ("ben@example.org", "VPN drops"),
                                    ("cy@example.org", "Mail bounces")] {
            try db("new", "--customer", customer, "--subject", subject, "--body", "Please help with: \(subject)")
        }
    }

    /// `helpdesk ARGUMENTS` on the database desk, which must succeed.
    @discardableResult
    private func db(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> Ran {
        let result = try desk.run(arguments, environment: ["HELPDESK_STORE": store])
        XCTAssertEqual(result.status, 0, "helpdesk \(arguments.joined(separator: " ")) failed: \(result.stderr)", file: file, line: line)
        return result
    }

    /// The environment of a process on host `host`: the database desk, a home of the host's own.
    private func onHost(_ host: String) throws -> [String: String] {
        let home = directory.appendingPathComponent(host).path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        return ["HELPDESK_STORE": store, "HELPDESK_HOST": host, "HOME": home]
    }

    /// Opens `agent`'s console on `host` in a session named after the agent.
    private func openConsole(_ agent: String, on host: String, pidFile: String? = nil) throws {
        try openConsole(["console", "--as", agent], session: agent, environment: try onHost(host), pidFile: pidFile)
    }

    private func presenceRows(_ account: String) throws -> Int {
        Int(try server.psql("SELECT count(*) FROM helpdesk_presence WHERE account = '\(account)'", url: store)) ?? -1
    }

    private func statusLine(_ screen: String) -> String {
        screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).last { !$0.isEmpty } ?? ""
    }

    // MARK: Two hosts

    func testConsolesOnTwoHostsSeeEachOthersChangesAndPresence() throws {
        try makeDatabaseDesk()
        let records = try server.psql("SELECT count(*) FROM helpdesk_log", url: store)
        let pidFile = directory.appendingPathComponent("bob.pid").path
        try openConsole("alice", on: "north")
        try openConsole("bob", on: "south", pidFile: pidFile)
        try select(2, in: "alice")
        try select(2, in: "bob")

        // Each sees the other, with the other's host; moving away takes the name along.
        try waitForScreen("alice", contains: "also here: bob@south", timeout: 5)
        try waitForScreen("bob", contains: "also here: alice@north", timeout: 5)
        try tmux.type("bob", "j")
        try waitForScreen("alice", lacks: "also here: bob", timeout: 5)
        try tmux.type("bob", "k")
        try waitForScreen("alice", contains: "also here: bob@south", timeout: 5)
        // A console on alice's own host is named without it.
        try openConsole("carol", on: "north")
        try select(2, in: "carol")
        try waitForScreen("alice", contains: "also here: bob@south, carol", timeout: 5)
        try waitForScreen("bob", contains: "also here: alice@north, carol@north", timeout: 5)
        try tmux.type("carol", "q")
        try waitForScreen("carol", contains: "EXITED 0", timeout: 5)
        try waitForScreen("alice", lacks: ", carol", timeout: 5)
        XCTAssertEqual(try server.psql("SELECT count(*) FROM helpdesk_log", url: store), records,
                       "presence never reaches the log")

        // Changes made on one host show on the other without a key press.
        try tmux.type("alice", "t")
        try waitForScreen("bob", for: "#2 assigned to alice", timeout: 5) { Self.queueRow($0, 2)?.contains("alice") ?? false }
        try tmux.type("bob", "n")
        try waitForScreen("bob", contains: "writing: Ctrl-D or F2 sends")
        try tmux.type("bob", "Checked the VPN logs from the south office")
        try tmux.press("bob", "C-d")
        try waitForScreen("alice", contains: "Checked the VPN logs from the south office", timeout: 5)

        // Bob's console is killed outright: alice's screen forgets him within seconds, and his
        // row is swept from the board.
        let pid = try pid(in: pidFile)
        XCTAssertEqual(kill(pid, SIGKILL), 0)
        try waitForScreen("alice", lacks: "also here: bob", timeout: 10)
        try waitFor("bob's row to be swept", timeout: 15) { try self.presenceRows("bob") == 0 }
        XCTAssertEqual(try presenceRows("alice"), 1, "alice's console is still on the board")
    }

    /// A console that stops beating (frozen: its connection stays open) leaves the others'
    /// screens once its heartbeat is stale, and comes back by itself when it runs again.
    func testAFrozenConsoleLeavesTheBoardAndComesBackWhenItRunsAgain() throws {
        try makeDatabaseDesk()
        let pidFile = directory.appendingPathComponent("bob.pid").path
        try openConsole("alice", on: "north")
        try openConsole("bob", on: "south", pidFile: pidFile)
        try select(1, in: "bob")
        try waitForScreen("alice", contains: "also here: bob@south", timeout: 5)
        let pid = try pid(in: pidFile)
        XCTAssertEqual(kill(pid, SIGSTOP), 0)
        defer { kill(pid, SIGCONT) }
        try waitForScreen("alice", lacks: "also here: bob", timeout: 15)
        try waitFor("bob's stale row to be swept", timeout: 15) { try self.presenceRows("bob") == 0 }
        XCTAssertEqual(kill(pid, SIGCONT), 0)
        try waitForScreen("alice", contains: "also here: bob@south", timeout: 10)
    }

    // MARK: The database restarted

    func testDatabaseRestartedUnderAnOpenConsoleAndWallboard() throws {
        try makeDatabaseDesk()
        try openConsole("alice", on: "north")
        try select(2, in: "alice")
        try tmux.newSession("board", command: consoleCommand(["watch"], environment: try onHost("north")))
        try waitForScreen("board", contains: "record #")

        // The server goes down: both say so, and the console keeps working on what it has.
        try server.stop()
        var screen = try waitForScreen("alice", contains: "reconnecting…", timeout: 10)
        XCTAssertTrue(try styledStatusLine("alice").contains("43m"), "reconnecting… in the warning style (yellow)")
        try waitForScreen("board", contains: "reconnecting…", timeout: 10)
        try tmux.type("alice", "j")
        screen = try waitForScreen("alice", for: "the next ticket, with no database") { Self.shownTicket($0) == 3 }
        try tmux.type("alice", "k")
        try waitForScreen("alice", for: "#2 again") { Self.shownTicket($0) == 2 }

        // A reply written meanwhile is not written, and is kept.
        try tmux.type("alice", "r")
        try waitForScreen("alice", contains: "writing: Ctrl-D or F2 sends")
        try tmux.type("alice", "Written while the database was down")
        try tmux.press("alice", "C-d")
        screen = try waitForScreen("alice", contains: "the reply on #2 is kept as a draft")
        XCTAssertTrue(statusLine(screen).contains("reconnecting…"), screen)

        // Back: the console and the board catch up by themselves, and the outage is forgotten.
        try server.start()
        try waitForScreen("alice", lacks: "reconnecting…", timeout: 20)
        try waitForScreen("board", lacks: "reconnecting…", timeout: 20)
        try db("note", "2", "--body", "Noted after the database came back")
        try waitForScreen("alice", contains: "Noted after the database came back", timeout: 5)

        // pg_ctl restart: what the CLI changes afterwards shows too.
        let before = Int(try server.psql("SELECT max(seq) FROM helpdesk_log", url: store)) ?? -1
        try server.restart()
        try db("new", "--customer", "dee@example.org", "--subject", "Badge reader dead", "--body", "Door 4")
        try waitForScreen("alice", for: "the new ticket #4", timeout: 20) { Self.queueRow($0, 4) != nil }
        try waitForScreen("board", contains: "record #\(before + 1)", timeout: 20)

        // The reply typed during the outage goes out now, as written.
        try tmux.type("alice", "r")
        try waitForScreen("alice", contains: "Written while the database was down")
        try tmux.press("alice", "C-d")
        try waitForScreen("alice", contains: "sent the reply on #2")
        let shown = try XCTUnwrap(JSONSerialization.jsonObject(with: try db("show", "2", "--json").stdoutData) as? [String: Any])
        let replies = (shown["messages"] as? [[String: Any]] ?? []).filter { $0.string("kind") == "reply" }
        XCTAssertEqual(replies.compactMap { $0.string("body") }, ["Written while the database was down"])
        XCTAssertFalse(tmux.capture("alice").contains("EXITED"), "the console is still running")
        XCTAssertFalse(tmux.capture("board").contains("EXITED"), "the wallboard is still running")
    }

    /// The status line with its escape sequences, as tmux holds it.
    private func styledStatusLine(_ session: String) throws -> String {
        let lines = try tmux.run(["capture-pane", "-p", "-e", "-t", session]).stdout.split(separator: "\n").map(String.init)
        return lines.last { $0.contains("reconnecting") } ?? ""
    }

    // MARK: The wallboard

    func testWallboardOnADatabaseDeskUpdatesLive() throws {
        try makeDatabaseDesk()
        try tmux.newSession("board", command: consoleCommand(["watch"], environment: try onHost("east")))
        var screen = try waitForScreen("board", contains: "UNASSIGNED 3")
        XCTAssertTrue(screen.contains("live"), screen)
        try db("new", "--customer", "eve@example.org", "--subject", "Laptop stolen", "--body", "On the train")
        screen = try waitForScreen("board", contains: "UNASSIGNED 4", timeout: 5)
        try db("take", "1", "--as", "bob")
        try waitForScreen("board", contains: "UNASSIGNED 3", timeout: 5)
    }
}
