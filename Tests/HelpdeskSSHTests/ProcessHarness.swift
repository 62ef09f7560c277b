import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// What one run of a program did.
struct Ran {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Programs run with posix_spawn, their output in files (never a pipe that could fill up), and
/// waits on conditions with a deadline (never a fixed sleep).
enum Processes {
    /// Starts a program; returns its pid. Output goes to the given files (or /dev/null).
    static func spawn(_ executable: String, _ arguments: [String], environment: [String: String],
                      stdout: String = "/dev/null", stderr: String = "/dev/null") throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
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

    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                    in directory: String) throws -> Ran {
        let id = UUID().uuidString
        let out = directory + "/.out-\(id)", err = directory + "/.err-\(id)"
        defer {
            unlink(out)
            unlink(err)
        }
        let status = wait(try spawn(executable, arguments, environment: environment, stdout: out, stderr: err))
        return Ran(status: status, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        return folders.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Polls `condition` until it holds or the deadline passes; returns whether it held.
    @discardableResult
    static func waitUntil(timeout: TimeInterval, every interval: useconds_t = 20_000, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if condition() { return true }
            if Date() >= deadline { return false }
            usleep(interval)
        }
    }

    /// Whether a process exists (and is not a zombie).
    static func alive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Processes whose command line is exactly `arguments`.
    static func find(_ arguments: [String]) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let words = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            return Array(words.prefix(arguments.count)) == arguments && (words.count == arguments.count
                || (words.count == arguments.count + 1 && words.last == ""))
        }
    }
}

/// The built `helpdesk` executable: beside the test bundle, else `.build/debug` of the package.
enum Helpdesk {
    static let binary: String = {
        var candidates: [URL] = []
        let bundle = Bundle(for: HelpdeskProcessCase.self).bundleURL
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("helpdesk"))
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("helpdesk"))
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/helpdesk"))
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate.path
            }
        }
        return candidates.last!.path
    }()
}

/// A fresh temporary directory with a desk log in it, and the helpdesk binary run against it.
class HelpdeskProcessCase: XCTestCase {
    var directory = ""
    var logPath: String { directory + "/desk.log" }

    override func setUpWithError() throws {
        // Short: sockets and sshd's paths live here.
        var template = Array("/tmp/hd4-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw XCTSkip("cannot create a temporary directory") }
        directory = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    var environment: [String: String] {
        var environment = ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "HOME": directory, "LANG": "C.UTF-8",
                           "HELPDESK_LOG": logPath]
        for name in ["USER", "LOGNAME"] { environment[name] = ProcessInfo.processInfo.environment[name] }
        return environment
    }

    /// Runs `helpdesk ARGS` and expects it to succeed.
    @discardableResult
    func cli(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> Ran {
        let ran = try Processes.run(Helpdesk.binary, arguments, environment: environment, in: directory)
        XCTAssertEqual(ran.status, 0, "helpdesk \(arguments.joined(separator: " ")): \(ran.stderr)", file: file, line: line)
        return ran
    }

    /// The log's records, parsed.
    func records() throws -> [[String: Any]] {
        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    func json(_ ran: Ran) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(ran.stdout.utf8))
    }
}
