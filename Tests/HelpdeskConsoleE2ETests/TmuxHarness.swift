import Foundation
import TestProcesses
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A test step that did not happen; the failure itself is already recorded with its screen.
struct E2EStop: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

/// What one run of a program did.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var stdoutData: Data
}

/// Runs programs to the end with their output in files (never a pipe that could fill up).
/// posix_spawn and waitpid rather than Foundation's Process, whose exit detection can hang on
/// a child that leaves a daemon behind (the tmux client starting its server).
enum Runner {
    static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                    directory: URL) throws -> RunResult {
        let id = UUID().uuidString
        let outPath = directory.appendingPathComponent(".out-\(id)").path
        let errPath = directory.appendingPathComponent(".err-\(id)").path
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        let status = Processes.wait(try Processes.spawn(executable, arguments, environment: environment,
                                                        stdout: outPath, stderr: errPath))
        let outData = FileManager.default.contents(atPath: outPath) ?? Data()
        let errData = FileManager.default.contents(atPath: errPath) ?? Data()
        return RunResult(status: status,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self), stdoutData: outData)
    }

    /// The full path of a program on PATH (or the usual places), nil when it is not installed.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin", "/bin"]
        return folders.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Single-quotes a word for sh.
func shellQuoted(_ word: String) -> String {
    "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// The built `helpdesk` executable: beside the test bundle, else `.build/debug` of the package.
enum HelpdeskBinary {
    static let path: String = {
        let fileManager = FileManager.default
        func isProgram(_ url: URL) -> Bool {
            var isDirectory: ObjCBool = false
            return fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && fileManager.isExecutableFile(atPath: url.path)
        }
        // Walk up from the bundle to the folder holding it (on Linux the bundle is
        // .build/debug/helpdeskPackageTests.xctest; helpdesk is its sibling).
        var folder = Bundle(for: ConsoleE2ECase.self).bundleURL
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("helpdesk")
            if isProgram(candidate) { return candidate.standardizedFileURL.path }
            folder = folder.deletingLastPathComponent()
        }
        // Tests/HelpdeskConsoleE2ETests/TmuxHarness.swift → the package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/helpdesk").path
    }()
}

/// A private tmux server (its own socket), so tests never see each other's sessions.
final class Tmux {
    let socket: String
    let executable: String
    let directory: URL

    init(directory: URL) throws {
        guard let executable = Runner.which("tmux") else {
            XCTFail("tmux is not installed: the console's end-to-end tests drive the real binary in tmux "
                    + "(.ci/run installs it: apt-get install tmux)")
            throw E2EStop(reason: "tmux missing")
        }
        self.executable = executable
        self.directory = directory
        socket = "hd-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> RunResult {
        var environment = ProcessInfo.processInfo.environment
        environment["TMUX"] = nil
        environment["TERM"] = "xterm-256color"
        return try Runner.run(executable, ["-L", socket, "-f", "/dev/null"] + arguments, environment: environment,
                              directory: directory)
    }

    /// Starts a detached session running `command` (through sh) in a `columns`×`rows` window.
    func newSession(_ name: String, command: String, columns: Int = 120, rows: Int = 40) throws {
        let result = try run(["new-session", "-d", "-s", name, "-x", String(columns), "-y", String(rows), command])
        guard result.status == 0 else {
            XCTFail("tmux new-session failed (\(result.status)): \(result.stderr)")
            throw E2EStop(reason: "tmux new-session")
        }
    }

    func capture(_ session: String) -> String {
        (try? run(["capture-pane", "-p", "-t", session]))?.stdout ?? ""
    }

    /// Literal text, each character a key press.
    func type(_ session: String, _ text: String) throws {
        try run(["send-keys", "-t", session, "-l", text])
    }

    /// Named keys: Enter, Escape, Tab, Up, Down, Home…
    func press(_ session: String, _ keys: String...) throws {
        try run(["send-keys", "-t", session] + keys)
    }

    func resize(_ session: String, columns: Int, rows: Int) throws {
        let result = try run(["resize-window", "-t", session, "-x", String(columns), "-y", String(rows)])
        XCTAssertEqual(result.status, 0, "tmux resize-window: \(result.stderr)")
    }

    /// A tmux format for the session's pane, e.g. `#{alternate_on}`.
    func display(_ session: String, _ format: String) throws -> String {
        try run(["display-message", "-p", "-t", session, format]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the server and removes its socket (tmux leaves the socket file behind).
    func kill() {
        var socketPath = (try? run(["display-message", "-p", "#{socket_path}"]))?.stdout
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !socketPath.hasSuffix("/" + socket) {
            let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            socketPath = folder + "/tmux-\(getuid())/" + socket
        }
        _ = try? run(["kill-server"])
        unlink(socketPath)
    }
}

/// The base of the console's end-to-end tests: a temporary folder with a desk, a private tmux
/// server, the CLI to change and read the desk, and waiting on the screen with a deadline.
class ConsoleE2ECase: XCTestCase {
    var directory: URL!
    var logPath: String!
    var tmux: Tmux!

    override func setUpWithError() throws {
        try super.setUpWithError()
        guard FileManager.default.isExecutableFile(atPath: HelpdeskBinary.path) else {
            XCTFail("no helpdesk binary at \(HelpdeskBinary.path); run swift build --build-tests")
            throw E2EStop(reason: "no binary")
        }
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("helpdesk-e2e-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        logPath = directory.appendingPathComponent("desk.log").path
        tmux = try Tmux(directory: directory)
    }

    override func tearDownWithError() throws {
        tmux?.kill()
        if let directory { try? FileManager.default.removeItem(at: directory) }
        try super.tearDownWithError()
    }

    // MARK: The CLI

    /// The environment of every run: this test's log, no editor, UTC, a home of its own.
    var cliEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in ["VISUAL", "EDITOR", "XDG_DATA_HOME", "NO_COLOR"] { environment[key] = nil }
        environment["HELPDESK_LOG"] = logPath
        environment["HOME"] = directory.path
        environment["TZ"] = "UTC"
        return environment
    }

    @discardableResult
    func cli(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        let result = try Runner.run(HelpdeskBinary.path, arguments, environment: cliEnvironment, directory: directory)
        XCTAssertEqual(result.status, 0, "helpdesk \(arguments.joined(separator: " ")) failed: \(result.stderr)",
                       file: file, line: line)
        return result
    }

    /// The demo desk: tickets 1…12, root the supervisor, agents alice, bob, carol, dave.
    func makeDemoDesk(file: StaticString = #filePath, line: UInt = #line) throws {
        try cli("demo", "--log", logPath, "--no-console", file: file, line: line)
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
        for (key, value) in environment { variables[key] = value }
        let assignments = variables.sorted { $0.key < $1.key }.map { shellQuoted("\($0.key)=\($0.value)") }
        let program = ([HelpdeskBinary.path] + arguments).map(shellQuoted).joined(separator: " ")
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

    /// Polls the screen every 50 ms until `condition` holds on a settled screen; fails with the last
    /// screen after `timeout`. A capture can land in the middle of a redraw (the queue title already
    /// new, its rows not yet), so the condition must hold on two identical captures in a row.
    @discardableResult
    func waitForScreen(_ session: String = "main", for what: String, timeout: TimeInterval = 10,
                       file: StaticString = #filePath, line: UInt = #line,
                       until condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = tmux.capture(session)
        while true {
            if condition(screen) {
                usleep(20_000)
                let again = tmux.capture(session)
                if again == screen { return screen }
                screen = again
                continue
            }
            guard Date() < deadline else {
                XCTFail("waited \(timeout) s for \(what) in session \(session); the screen:\n\(screen)", file: file, line: line)
                throw E2EStop(reason: "timed out waiting for \(what)")
            }
            usleep(50_000)
            screen = tmux.capture(session)
        }
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

    /// Waits for a condition on something other than the screen (a file, a process).
    func waitFor(_ what: String, timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line,
                 _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else {
                XCTFail("waited \(timeout) s for \(what)", file: file, line: line)
                throw E2EStop(reason: "timed out waiting for \(what)")
            }
            usleep(50_000)
        }
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
            throw E2EStop(reason: "no #\(id)")
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
