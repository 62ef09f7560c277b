import Foundation
@_exported import HelpdeskTestSupport  // for every file of these tests
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The base of the console's end-to-end tests: a temporary folder with a desk, a private tmux
/// server, the CLI to change and read the desk, and waiting on the screen with a deadline.
class ConsoleE2ECase: XCTestCase {
    var desk: TemporaryDesk!
    var directory: URL! { desk?.url }
    var logPath: String! { desk?.logPath }
    var tmux: Tmux!

    override func setUpWithError() throws {
        try super.setUpWithError()
        desk = try TemporaryDesk("helpdesk-e2e")
        tmux = try Tmux(directory: desk.path)
    }

    override func tearDownWithError() throws {
        tmux?.kill()
        desk?.remove()
        try super.tearDownWithError()
    }

    // MARK: The CLI

    @discardableResult
    func cli(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> Ran {
        try desk.ok(arguments, file: file, line: line)
    }

    /// The demo desk: tickets 1…12, root the supervisor, agents alice, bob, carol, dave.
    func makeDemoDesk(file: StaticString = #filePath, line: UInt = #line) throws {
        try cli("demo", "--log", logPath, "--no-console", file: file, line: line)
        try desk.moveFileFixtureIntoStore()
    }

    /// The demo desk, the console open on it, and ticket `id` selected: where most tests start.
    func openDemoConsole(selecting id: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        try makeDemoDesk(file: file, line: line)
        try openConsole(file: file, line: line)
        try select(id, file: file, line: line)
    }

    /// `show ID --json`.
    func ticket(_ id: Int, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let result = try cli("show", String(id), "--json", file: file, line: line)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any],
                             "not a JSON object: \(result.stdout)", file: file, line: line)
    }

    /// `list --status all --json`.
    func allTickets(file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let result = try cli("list", "--status", "all", "--json", file: file, line: line)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]],
                             "not a JSON array: \(result.stdout)", file: file, line: line)
    }

    // MARK: The console in tmux

    /// The shell command a tmux pane runs: the console with a clean environment, then a marker
    /// with its exit status, then a long sleep so the pane (and what it shows) stays.
    func consoleCommand(_ arguments: [String] = [], term: String = "tmux-256color", environment: [String: String] = [:],
                        pidFile: String? = nil, after: String = "") -> String {
        var variables = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": directory.path, "LANG": "C.UTF-8",
                         "TERM": term, "TZ": "UTC", "HELPDESK_LOG": logPath!]
        if let store = desk.store { variables["HELPDESK_STORE"] = store }
        for (key, value) in environment { variables[key] = value }
        let assignments = variables.sorted { $0.key < $1.key }.map { shellQuoted("\($0.key)=\($0.value)") }
        let program = ([BuiltProducts.helpdesk] + arguments).map(shellQuoted).joined(separator: " ")
        var run = "env -i " + assignments.joined(separator: " ") + " " + program
        if let pidFile {
            // The inner shell writes its pid, then becomes the console: that pid is the console's.
            run = "sh -c " + shellQuoted("echo $$ > \(shellQuoted(pidFile)); exec \(run)")
        }
        return run + "; echo EXITED $?; " + after + "sleep 60"
    }

    /// Opens the console (as `helpdesk` alone unless `arguments` say otherwise) in a new session
    /// and waits for its queue.
    func openConsole(_ arguments: [String] = [], session: String = "main", columns: Int = 120, rows: Int = 40,
                     environment: [String: String] = [:], pidFile: String? = nil, after: String = "",
                     file: StaticString = #filePath, line: UInt = #line) throws {
        try tmux.newSession(session, command: consoleCommand(arguments, environment: environment, pidFile: pidFile, after: after),
                            columns: columns, rows: rows)
        try waitForScreen(session, contains: "Queue · ", file: file, line: line)
    }

    @discardableResult
    func waitForScreen(_ session: String = "main", for what: String, timeout: TimeInterval = 10,
                       file: StaticString = #filePath, line: UInt = #line,
                       until condition: (String) -> Bool) throws -> String {
        try tmux.waitForScreen(session, for: what, timeout: timeout, file: file, line: line, until: condition)
    }

    @discardableResult
    func waitForScreen(_ session: String = "main", contains text: String, timeout: TimeInterval = 10,
                       file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try waitForScreen(session, for: "\"\(text)\"", timeout: timeout, file: file, line: line) { $0.contains(text) }
    }

    @discardableResult
    func waitForScreen(_ session: String = "main", lacks text: String, timeout: TimeInterval = 10,
                       file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try waitForScreen(session, for: "\"\(text)\" to go", timeout: timeout, file: file, line: line) { !$0.contains(text) }
    }

    // MARK: Reading the screen (the wide layout: queue on the left, ticket pane beside it)

    /// The ticket ids of the queue's rows, top to bottom.
    static func queueIDs(_ screen: String) -> [Int] {
        screen.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
            guard line.hasPrefix("#") else { return nil }
            return Int(line.dropFirst().prefix { $0.isNumber })
        }
    }

    /// The row of ticket `id` in the queue.
    static func queueRow(_ screen: String, _ id: Int) -> String? {
        screen.split(separator: "\n").map(String.init).first { $0.hasPrefix("#\(id) ") }
    }

    /// The ticket the ticket pane shows (its title on the first line, after the separator).
    static func shownTicket(_ screen: String) -> Int? {
        guard let first = screen.split(separator: "\n", omittingEmptySubsequences: false).first,
              let range = first.range(of: "│ #") else { return nil }
        return Int(first[range.upperBound...].prefix { $0.isNumber })
    }

    /// The number the queue's title gives (" Queue · VIEW · N · by …").
    static func queueCount(_ screen: String) -> Int? {
        guard let first = screen.split(separator: "\n", omittingEmptySubsequences: false).first else { return nil }
        let parts = first.components(separatedBy: " · ")
        guard parts.count >= 3 else { return nil }
        return Int(parts[2].trimmingCharacters(in: .whitespaces))
    }

    /// Moves the selection to ticket `id` with j/k, as an agent would, and waits for its pane.
    func select(_ id: Int, in session: String = "main", file: StaticString = #filePath, line: UInt = #line) throws {
        let screen = tmux.capture(session)
        let ids = Self.queueIDs(screen)
        guard let target = ids.firstIndex(of: id) else {
            XCTFail("ticket #\(id) is not in the queue:\n\(screen)", file: file, line: line)
            throw TestStop("no #\(id)")
        }
        let current = Self.shownTicket(screen).flatMap { ids.firstIndex(of: $0) } ?? 0
        if target != current {
            try tmux.type(session, String(repeating: target > current ? "j" : "k", count: abs(target - current)))
        }
        try waitForScreen(session, for: "the ticket pane on #\(id)", file: file, line: line) { Self.shownTicket($0) == id }
    }

    /// The pid a `pidFile` holds, once the console has written it.
    func pid(in pidFile: String, file: StaticString = #filePath, line: UInt = #line) throws -> pid_t {
        var pid: pid_t?
        try waitFor("the pid in \(pidFile)", file: file, line: line) {
            pid = (try? String(contentsOfFile: pidFile, encoding: .utf8))
                .flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            return pid != nil
        }
        return pid!
    }

    /// The exit status a pane's marker line shows (`EXITED n`).
    func exitStatus(_ session: String = "main", file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let screen = try waitForScreen(session, contains: "EXITED ", file: file, line: line)
        let marker = screen.split(separator: "\n").first { $0.contains("EXITED ") }!
        let after = marker[marker.range(of: "EXITED ")!.upperBound...]
        return Int(after.prefix { $0.isNumber }) ?? -1
    }
}

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) -> String? { self[key] as? String }
    func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
}
