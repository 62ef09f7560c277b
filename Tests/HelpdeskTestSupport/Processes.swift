import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// What one run of a program did.
public struct Ran {
    public var status: Int32
    public var stdoutData: Data
    public var stderrData: Data

    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    public var stderr: String { String(decoding: stderrData, as: UTF8.self) }
    /// stdout without its final newline (e.g. the id `new` prints).
    public var output: String { stdout.hasSuffix("\n") ? String(stdout.dropLast()) : stdout }
    public var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    public var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
}

/// A program started and not yet waited for: its output goes to files until `wait` reads them.
public final class Started: @unchecked Sendable {
    public let pid: pid_t
    private let files: [String]

    init(pid: pid_t, files: [String]) {
        self.pid = pid
        self.files = files
    }

    /// Reaps the program, then reads its output and removes the files.
    public func wait() -> Ran {
        let status = Processes.wait(pid)
        defer { files.forEach { unlink($0) } }
        return Ran(status: status, stdoutData: FileManager.default.contents(atPath: files[0]) ?? Data(),
                   stderrData: FileManager.default.contents(atPath: files[1]) ?? Data())
    }
}

/// Programs run with posix_spawn, their output in files (never a pipe that could fill up), and
/// waits on conditions with a deadline (never a fixed sleep).
public enum Processes {
    /// Starts a program (in `directory`, else here); returns its pid. Input comes from, and output
    /// goes to, the given files (or /dev/null).
    public static func spawn(_ executable: String, _ arguments: [String], environment: [String: String],
                             stdin: String = "/dev/null", stdout: String = "/dev/null",
                             stderr: String = "/dev/null", directory: String? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let directory {
            guard let addChdir = Self.addChdir else { throw XCTSkip("this C library cannot start a program in a folder") }
            _ = addChdir(&actions, directory)
        }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw XCTSkip("cannot run \(executable): \(String(cString: strerror(spawned)))")
        }
        return pid
    }

    /// glibc's posix_spawn_file_actions_addchdir_np (2.29 and later), which Swift's Glibc module
    /// does not declare.
    static let addChdir: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
    }()

    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// Starts a program with `input` (if any) on its stdin and its output in files in `directory`.
    public static func start(_ executable: String, _ arguments: [String], environment: [String: String],
                             in directory: String, input: Data? = nil) throws -> Started {
        let id = UUID().uuidString
        let out = directory + "/.out-\(id)", err = directory + "/.err-\(id)", inPath = directory + "/.in-\(id)"
        if let input { try input.write(to: URL(fileURLWithPath: inPath)) }
        defer { if input != nil { unlink(inPath) } }  // the child has it open already
        let pid = try spawn(executable, arguments, environment: environment, stdin: input == nil ? "/dev/null" : inPath,
                            stdout: out, stderr: err, directory: directory)
        return Started(pid: pid, files: [out, err])
    }

    /// Runs a program to its end, with `input` (if any) on its stdin.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                           in directory: String, input: Data? = nil) throws -> Ran {
        try start(executable, arguments, environment: environment, in: directory, input: input).wait()
    }

    public static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                           in directory: String, input: String?) throws -> Ran {
        try run(executable, arguments, environment: environment, in: directory, input: input.map { Data($0.utf8) })
    }

    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        return folders.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Polls `condition` until it holds or the deadline passes; returns whether it held.
    @discardableResult
    public static func waitUntil(timeout: TimeInterval, every interval: useconds_t = 20_000, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if condition() { return true }
            if Date() >= deadline { return false }
            usleep(interval)
        }
    }

    /// Whether a process exists (and is not a zombie).
    public static func alive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Processes whose command line is exactly `arguments`.
    public static func find(_ arguments: [String]) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let words = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            return Array(words.prefix(arguments.count)) == arguments && (words.count == arguments.count
                || (words.count == arguments.count + 1 && words.last == ""))
        }
    }
}
