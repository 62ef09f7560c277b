import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A private tmux server with its socket in a test's folder, so tests never see each other's
/// sessions: where the console runs in a real terminal.
public final class Tmux: @unchecked Sendable {
    public let socket: String
    public let directory: String
    let executable: String
    let environment: [String: String]

    /// `environment` is tmux's (and so the sessions'); by default this process's, outside any tmux.
    public init(directory: String, environment: [String: String]? = nil) throws {
        guard let executable = Processes.which("tmux") else {
            XCTFail("tmux is not installed: the console's tests drive the real binary in tmux "
                    + "(.ci/run installs it: apt-get install tmux)")
            throw TestStop("tmux missing")
        }
        self.executable = executable
        self.directory = directory
        socket = directory + "/tmux.sock"
        var inherited = ProcessInfo.processInfo.environment
        inherited["TMUX"] = nil
        inherited["TERM"] = "xterm-256color"
        self.environment = environment ?? inherited
    }

    @discardableResult
    public func run(_ arguments: [String]) throws -> Ran {
        try Processes.run(executable, ["-S", socket, "-f", "/dev/null"] + arguments, environment: environment, in: directory)
    }

    /// Starts a detached session running `command` (through sh) in a `columns`×`rows` window.
    public func newSession(_ name: String, command: String, columns: Int = 120, rows: Int = 40,
                           file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try run(["new-session", "-d", "-s", name, "-x", String(columns), "-y", String(rows), command])
        guard result.status == 0 else {
            XCTFail("tmux new-session failed (\(result.status)): \(result.stderr)", file: file, line: line)
            throw TestStop("tmux new-session")
        }
    }

    public func capture(_ session: String) -> String {
        (try? run(["capture-pane", "-p", "-t", session]))?.stdout ?? ""
    }

    /// Literal text, each character a key press.
    public func type(_ session: String, _ text: String) throws {
        try run(["send-keys", "-t", session, "-l", text])
    }

    /// Named keys: Enter, Escape, Tab, Up, Down, Home…
    public func press(_ session: String, _ keys: String...) throws {
        try run(["send-keys", "-t", session] + keys)
    }

    public func resize(_ session: String, columns: Int, rows: Int) throws {
        let result = try run(["resize-window", "-t", session, "-x", String(columns), "-y", String(rows)])
        XCTAssertEqual(result.status, 0, "tmux resize-window: \(result.stderr)")
    }

    /// A tmux format for the session's pane, e.g. `#{alternate_on}`.
    public func display(_ session: String, _ format: String) throws -> String {
        try run(["display-message", "-p", "-t", session, format]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen every 50 ms until `condition` holds on a settled screen; fails with the last
    /// screen (and `context`) after `timeout`. A capture can land in the middle of a redraw (the queue title already
    /// new, its rows not yet), so the condition must hold on two identical captures in a row.
    @discardableResult
    public func waitForScreen(_ session: String, for what: String, timeout: TimeInterval = 10,
                              context: () -> String = { "" }, file: StaticString = #filePath, line: UInt = #line,
                              until condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture(session)
        while true {
            if condition(screen) {
                usleep(20_000)
                let again = capture(session)
                if again == screen { return screen }
                screen = again
                continue
            }
            guard Date() < deadline else {
                XCTFail("waited \(timeout) s for \(what) in session \(session); the screen:\n\(screen)\(context())",
                        file: file, line: line)
                throw TestStop("timed out waiting for \(what)")
            }
            usleep(50_000)
            screen = capture(session)
        }
    }

    /// Stops the server and removes its socket (tmux leaves the socket file behind).
    public func kill() {
        _ = try? run(["kill-server"])
        unlink(socket)
    }
}
