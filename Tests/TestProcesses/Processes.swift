import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// What one run of a program did.
public struct Ran {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Programs run with posix_spawn, their output in files (never a pipe that could fill up), and
/// waits on conditions with a deadline (never a fixed sleep).
public enum Processes {
    /// Starts a program; returns its pid. Input comes from, and output goes to, the given files (or /dev/null).
    public static func spawn(_ executable: String, _ arguments: [String], environment: [String: String],
                             stdin: String = "/dev/null", stdout: String = "/dev/null",
                             stderr: String = "/dev/null") throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
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

    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// Runs a program to its end, with `input` (if any) on its stdin.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                           in directory: String, input: String? = nil) throws -> Ran {
        let id = UUID().uuidString
        let out = directory + "/.out-\(id)", err = directory + "/.err-\(id)", inPath = directory + "/.in-\(id)"
        defer {
            unlink(out)
            unlink(err)
            unlink(inPath)
        }
        if let input { try Data(input.utf8).write(to: URL(fileURLWithPath: inPath)) }
        let status = wait(try spawn(executable, arguments, environment: environment, stdin: input == nil ? "/dev/null" : inPath,
                                    stdout: out, stderr: err))
        return Ran(status: status, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
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
