import Foundation
@_exported import HelpdeskTestSupport  // for every file of these tests
import XCTest

/// What one run of the `helpdesk` binary did.
typealias CLIResult = Ran
/// A process started but not yet waited for (for the concurrency tests).
typealias RunningCLI = Started

/// Runs the real `helpdesk` binary against a log in a fresh temporary directory.
final class CLIHarness {
    static var binary: URL { URL(fileURLWithPath: BuiltProducts.helpdesk) }

    let desk: TemporaryDesk
    var directory: URL { desk.url }
    var logPath: String { desk.logPath }

    init() throws {
        desk = try TemporaryDesk("helpdesk-cli")
    }

    func remove() {
        desk.remove()
    }

    /// The environment every run gets: HELPDESK_LOG is this test's log (unless `logInEnvironment`
    /// is false), no editor, UTC, and `extra` on top.
    func environment(_ extra: [String: String] = [:], logInEnvironment: Bool = true) -> [String: String] {
        desk.environment(extra, logInEnvironment: logInEnvironment)
    }

    /// Starts the binary (or `executable`); stdin is `stdin`, else /dev/null.
    func start(_ arguments: [String], stdin: Data? = nil, environment extra: [String: String] = [:],
               logInEnvironment: Bool = true, executable: URL? = nil) throws -> RunningCLI {
        try desk.start(arguments, stdin: stdin, environment: extra, logInEnvironment: logInEnvironment, executable: executable?.path)
    }

    /// Runs the binary to the end.
    @discardableResult
    func run(_ arguments: [String], stdin: Data? = nil, environment extra: [String: String] = [:],
             logInEnvironment: Bool = true) throws -> CLIResult {
        try desk.run(arguments, stdin: stdin, environment: extra, logInEnvironment: logInEnvironment)
    }

    @discardableResult
    func run(_ arguments: String..., stdin: String? = nil) throws -> CLIResult {
        try run(arguments, stdin: stdin.map { Data($0.utf8) })
    }

    /// Runs a command that must succeed, failing the test (with its stderr) otherwise.
    @discardableResult
    func ok(_ arguments: String..., stdin: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> CLIResult {
        try desk.ok(arguments, stdin: stdin.map { Data($0.utf8) }, file: file, line: line)
    }

    /// Runs a command that a rule must refuse: exit 1 and exactly one line on stderr starting
    /// `helpdesk: `. Returns that line.
    @discardableResult
    func refused(_ arguments: String..., stdin: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try run(arguments, stdin: stdin.map { Data($0.utf8) })
        return assertOneLineError(result, status: 1, arguments, file: file, line: line)
    }

    /// `status` and exactly one `helpdesk: ` line on stderr, nothing on stdout. Returns the line.
    @discardableResult
    func assertOneLineError(_ result: CLIResult, status: Int32, _ arguments: [String],
                            file: StaticString = #filePath, line: UInt = #line) -> String {
        let command = "helpdesk \(arguments.joined(separator: " "))"
        XCTAssertEqual(result.status, status, "\(command): stderr \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stdout, "", "\(command) printed on stdout", file: file, line: line)
        XCTAssertTrue(result.stderr.hasSuffix("\n"), "\(command): stderr \(result.stderr)", file: file, line: line)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, 1, "\(command) should print one line on stderr: \(result.stderr)", file: file, line: line)
        let first = lines.first.map(String.init) ?? ""
        XCTAssertTrue(first.hasPrefix("helpdesk: "), "\(command): \(first)", file: file, line: line)
        return first
    }

    /// Runs a command that must succeed and print JSON; returns the parsed value.
    func json(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        let result = try run(arguments)
        XCTAssertEqual(result.status, 0, "helpdesk \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stdoutLines.count, 1, "JSON output is one line", file: file, line: line)
        return try JSONSerialization.jsonObject(with: result.stdoutData, options: [.fragmentsAllowed])
    }

    func object(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let result = try run(arguments)
        XCTAssertEqual(result.status, 0, "helpdesk \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any],
                             "not a JSON object: \(result.stdout)", file: file, line: line)
    }

    func array(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let result = try run(arguments)
        XCTAssertEqual(result.status, 0, "helpdesk \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]],
                             "not a JSON array of objects: \(result.stdout)", file: file, line: line)
    }

    /// The ids `list --json` with `arguments` prints.
    func listedIDs(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> [Int] {
        let result = try run(["list", "--json"] + arguments)
        XCTAssertEqual(result.status, 0, "list \(arguments): \(result.stderr)", file: file, line: line)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]], file: file, line: line)
        return rows.compactMap { $0["id"] as? Int }
    }

    /// `show ID --json`.
    func ticket(_ id: Int, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let result = try run(["show", String(id), "--json"])
        XCTAssertEqual(result.status, 0, "show \(id): \(result.stderr)", file: file, line: line)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any], file: file, line: line)
    }

    /// `init`, then `agent add` for each account (tier 1 agents unless given).
    func setUpDesk(agents: [(String, [String])] = []) throws {
        try ok("init")
        for (account, options) in agents {
            let result = try run(["agent", "add", account] + options)
            XCTAssertEqual(result.status, 0, "agent add \(account): \(result.stderr)")
        }
    }

    /// `new` with a customer and subject; returns the id it printed.
    @discardableResult
    func newTicket(_ customer: String = "ann@example.com", subject: String = "It is broken",
                   _ extra: [String] = [], stdin: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let result = try run(["new", "--customer", customer, "--subject", subject] + extra, stdin: stdin.map { Data($0.utf8) })
        XCTAssertEqual(result.status, 0, "new: \(result.stderr)", file: file, line: line)
        return try XCTUnwrap(Int(result.output), "new printed \(result.stdout)", file: file, line: line)
    }
}

/// RFC 3339 UTC with milliseconds, as the desk prints every time.
func parseTime(_ value: Any?, file: StaticString = #filePath, line: UInt = #line) -> Date? {
    guard let text = value as? String else {
        XCTFail("not a time: \(String(describing: value))", file: file, line: line)
        return nil
    }
    XCTAssertTrue(text.hasSuffix("Z"), "\(text) is not in UTC", file: file, line: line)
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    let date = formatter.date(from: text)
    XCTAssertNotNil(date, "\(text) is not RFC 3339", file: file, line: line)
    return date
}

func isNull(_ value: Any?) -> Bool {
    value is NSNull
}

/// Base class: a harness per test, its directory removed afterwards.
class CLITestCase: XCTestCase {
    var cli: CLIHarness!

    override func setUpWithError() throws {
        try super.setUpWithError()
        cli = try CLIHarness()
    }

    override func tearDown() {
        cli?.remove()
        cli = nil
        super.tearDown()
    }
}

extension CLIHarness {
    /// A long-running `helpdesk` whose stdout is read as it comes (`events --follow`).
    func startStreaming(_ arguments: [String]) throws -> Child {
        try Child(BuiltProducts.helpdesk, arguments, errorPath: desk.folder.file(".err-\(UUID().uuidString)"),
                  environment: environment(), directory: desk.path)
    }
}
