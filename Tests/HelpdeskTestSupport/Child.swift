import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A child process whose standard output is read as it comes, through a pipe with deadlines
/// (acknowledgements of the kill -9 tests, `events --follow`), and which can be signalled.
/// Standard input is /dev/null; standard error goes to a file. `environment` nil: this process's.
public final class Child {
    public let pid: pid_t
    public private(set) var outputFD: Int32
    public private(set) var output: [UInt8] = []
    public let errorPath: String
    /// The raw wait status once reaped.
    public private(set) var exitStatus: Int32?

    public init(_ executable: String, _ arguments: [String], errorPath: String,
                environment: [String: String]? = nil, directory: String? = nil) throws {
        var fds: [Int32] = [-1, -1]
        // Close-on-exec, so that no other child inherits this one's pipe (pipe2 is not imported).
        guard pipe(&fds) == 0 else { throw NSError(domain: "pipe", code: Int(errno)) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let directory {
            guard let addChdir = Processes.addChdir else { throw XCTSkip("this C library cannot start a program in a folder") }
            _ = addChdir(&actions, directory)
        }

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            argv.forEach { free($0) }
            envp?.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = envp.map { posix_spawn(&pid, executable, &actions, nil, argv, $0) }
            ?? posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(fds[1])
        guard result == 0 else {
            close(fds[0])
            throw NSError(domain: "posix_spawn \(executable)", code: Int(result))
        }
        self.pid = pid
        outputFD = fds[0]
        self.errorPath = errorPath
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        }
        if outputFD >= 0 { close(outputFD) }
    }

    /// Complete lines of output read so far.
    public var lines: [String] {
        var text = String(decoding: output, as: UTF8.self)
        if let lastNewline = text.lastIndex(of: "\n") {
            text = String(text[..<lastNewline])
        } else {
            return []
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    public var outputText: String { String(decoding: output, as: UTF8.self) }
    public var errorText: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Reads whatever is available without blocking. Returns false at end of file.
    @discardableResult
    public func readAvailable() -> Bool {
        guard outputFD >= 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            var entry = pollfd(fd: outputFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, 0)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { return true }
            let n = buffer.withUnsafeMutableBytes { read(outputFD, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                close(outputFD)
                outputFD = -1
                return false
            }
            output.append(contentsOf: buffer[..<n])
        }
    }

    /// Reads output from `children` until `done` holds or `deadline` passes; returns `done()`.
    @discardableResult
    public static func pump(_ children: [Child], until deadline: Date, done: () -> Bool) -> Bool {
        while !done() {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return false }
            var entries = children.filter { $0.outputFD >= 0 }.map { pollfd(fd: $0.outputFD, events: Int16(POLLIN), revents: 0) }
            guard !entries.isEmpty else { return done() }
            let n = poll(&entries, nfds_t(entries.count), Int32(min(remaining * 1000, 1000).rounded(.up)))
            if n < 0, errno != EINTR { return done() }
            for child in children { child.readAvailable() }
        }
        return true
    }

    /// Sends SIGKILL (if it has not exited) and reaps the process.
    public func kill9() {
        end(with: SIGKILL)
    }

    /// Sends `signal` (if it has not exited) and reaps the process; `drain` reads what it wrote last.
    public func end(with signal: Int32) {
        guard exitStatus == nil else { return }
        kill(pid, signal)
        reap()
    }

    /// Reads output until a complete line satisfies `match`, or `timeout` passes, or the output ends.
    public func waitForLine(timeout: TimeInterval, where match: (String) -> Bool) -> String? {
        Child.pump([self], until: Date().addingTimeInterval(timeout)) { outputFD < 0 || lines.contains(where: match) }
        return lines.first(where: match)
    }

    private func reap() {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, 0)
            if result < 0, errno == EINTR { continue }
            break
        }
        exitStatus = status
    }

    /// Waits for the process to exit by itself, reading its output, up to `deadline`.
    /// Returns its exit code (or 128 + signal), or nil when the deadline passed first.
    public func waitForExit(deadline: Date) -> Int32? {
        // End of output means the process closed stdout: it has exited, or is about to.
        Child.pump([self], until: deadline) { outputFD < 0 }
        guard outputFD < 0 else { return nil }
        while exitStatus == nil {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                exitStatus = status
                break
            }
            if result < 0, errno != EINTR { return nil }
            guard Date() < deadline else { return nil }
            usleep(1000)  // polling the exit with a deadline, after stdout closed
        }
        return Child.code(exitStatus!)
    }

    /// Drains the rest of the output (after the process died).
    public func drain(deadline: Date) {
        Child.pump([self], until: deadline) { outputFD < 0 }
    }

    public static func code(_ status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}
