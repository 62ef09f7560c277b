import Foundation
import XCTest

/// What one run of the `helpdesk` binary did.
struct CLIResult {
    var status: Int32
    var stdoutData: Data
    var stderrData: Data

    var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    var stderr: String { String(decoding: stderrData, as: UTF8.self) }
    /// stdout without its final newline (e.g. the id `new` prints).
    var output: String { stdout.hasSuffix("\n") ? String(stdout.dropLast()) : stdout }
    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
}

/// A process started but not yet waited for (for the concurrency tests).
final class RunningCLI: @unchecked Sendable {
    let process: Process
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()

    init(process: Process, stdout: Pipe, stderr: Pipe, stdin: Data?, stdinPipe: Pipe?) {
        self.process = process
        // Both pipes are drained on their own threads from the start, so a child can never block
        // on a full pipe while we wait for it or read the other one.
        for (pipe, isOut) in [(stdout, true), (stderr, false)] {
            group.enter()
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread { [self] in
                let data = handle.readDataToEndOfFile()
                lock.lock()
                if isOut { out = data } else { err = data }
                lock.unlock()
                group.leave()
            }
        }
        if let stdinPipe {
            let data = stdin ?? Data()
            Thread.detachNewThread {
                let handle = stdinPipe.fileHandleForWriting
                if !data.isEmpty { try? handle.write(contentsOf: data) }
                try? handle.close()
            }
        }
    }

    /// Reads both pipes to the end, then reaps the process.
    func wait() -> CLIResult {
        group.wait()
        process.waitUntilExit()
        lock.lock()
        defer { lock.unlock() }
        return CLIResult(status: process.terminationStatus, stdoutData: out, stderrData: err)
    }
}

/// Runs the real `helpdesk` binary against a log in a fresh temporary directory.
final class CLIHarness {
    /// The built `helpdesk` executable: next to the test bundle, else .build/debug under the package.
    static let binary: URL = {
        let fileManager = FileManager.default
        var candidates: [URL] = []
        let bundleURL = Bundle(for: CLIHarness.self).bundleURL
        candidates.append(bundleURL.deletingLastPathComponent().appendingPathComponent("helpdesk"))
        candidates.append(bundleURL.appendingPathComponent("helpdesk"))
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("helpdesk"))
        }
        // Tests/HelpdeskCLITests/CLIHarness.swift → the package root.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/helpdesk"))
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               fileManager.isExecutableFile(atPath: candidate.path) {
                return candidate.standardizedFileURL
            }
        }
        return candidates.last!
    }()

    let directory: URL
    let logPath: String

    init(file: StaticString = #filePath, line: UInt = #line) throws {
        let binary = Self.binary
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            XCTFail("no helpdesk binary at \(binary.path); run swift build", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("helpdesk-cli-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        logPath = directory.appendingPathComponent("desk.log").path
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The environment every run gets: HELPDESK_LOG is this test's log (unless `logInEnvironment`
    /// is false), no editor, UTC, and `extra` on top.
    func environment(_ extra: [String: String] = [:], logInEnvironment: Bool = true) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in ["VISUAL", "EDITOR", "HELPDESK_LOG", "XDG_DATA_HOME"] { environment[key] = nil }
        environment["TZ"] = "UTC"
        // Never the real home's desk, should a test forget the log.
        environment["HOME"] = directory.path
        if logInEnvironment { environment["HELPDESK_LOG"] = logPath }
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// Starts the binary (or `executable`); stdin is `stdin` through a pipe, else /dev/null.
    func start(_ arguments: [String], stdin: Data? = nil, environment extra: [String: String] = [:],
               logInEnvironment: Bool = true, executable: URL? = nil) throws -> RunningCLI {
        let process = Process()
        process.executableURL = executable ?? Self.binary
        process.arguments = arguments
        process.environment = environment(extra, logInEnvironment: logInEnvironment)
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        var inPipe: Pipe?
        if stdin != nil {
            let pipe = Pipe()
            process.standardInput = pipe
            inPipe = pipe
        } else {
            process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        }
        try process.run()
        return RunningCLI(process: process, stdout: out, stderr: err, stdin: stdin, stdinPipe: inPipe)
    }

    /// Runs the binary to the end.
    @discardableResult
    func run(_ arguments: [String], stdin: Data? = nil, environment extra: [String: String] = [:],
             logInEnvironment: Bool = true) throws -> CLIResult {
        try start(arguments, stdin: stdin, environment: extra, logInEnvironment: logInEnvironment).wait()
    }

    @discardableResult
    func run(_ arguments: String..., stdin: String? = nil) throws -> CLIResult {
        try run(arguments, stdin: stdin.map { Data($0.utf8) })
    }

    /// Runs a command that must succeed, failing the test (with its stderr) otherwise.
    @discardableResult
    func ok(_ arguments: String..., stdin: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> CLIResult {
        let result = try run(arguments, stdin: stdin.map { Data($0.utf8) })
        XCTAssertEqual(result.status, 0, "helpdesk \(arguments.joined(separator: " ")) failed: \(result.stderr)",
                       file: file, line: line)
        return result
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

/// Waits for `condition` until `deadline` passes, checking every few milliseconds.
func waitUntil(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
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

/// A long-running process whose stdout is read as it comes (`events --follow`).
final class StreamingCLI: @unchecked Sendable {
    let process: Process
    private let lock = NSLock()
    private var buffer = Data()
    private var errors = Data()
    private let done = DispatchGroup()

    init(process: Process, stdout: Pipe, stderr: Pipe) {
        self.process = process
        for (pipe, isOut) in [(stdout, true), (stderr, false)] {
            done.enter()
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread { [self] in
                while true {
                    let chunk = handle.availableData  // blocks until some bytes or the end
                    if chunk.isEmpty { break }
                    lock.lock()
                    if isOut { buffer.append(chunk) } else { errors.append(chunk) }
                    lock.unlock()
                }
                done.leave()
            }
        }
    }

    /// The complete lines printed so far.
    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        var text = String(decoding: buffer, as: UTF8.self)
        if let end = text.lastIndex(of: "\n") { text = String(text[..<end]) } else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    var stderr: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: errors, as: UTF8.self)
    }

    /// Waits until a complete line satisfies `match`, or `timeout` passes (or the process ends).
    func waitForLine(timeout: TimeInterval, where match: (String) -> Bool) -> String? {
        var found: String?
        _ = waitUntil(timeout: timeout) {
            found = lines.first(where: match)
            return found != nil || !process.isRunning
        }
        return found ?? lines.first(where: match)
    }

    /// SIGTERM, then reads the pipes to their end and reaps it.
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        _ = done.wait(timeout: .now() + 10)
        process.waitUntilExit()
        return process.terminationStatus
    }
}

extension CLIHarness {
    func startStreaming(_ arguments: [String]) throws -> StreamingCLI {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = environment()
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        return StreamingCLI(process: process, stdout: out, stderr: err)
    }
}
