import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A finished child process: its exit code, output, wall time, CPU time (user and system) and peak memory.
struct Finished {
    var status: Int32
    var output: String
    var seconds: Double
    var cpuSeconds: Double
    var maxRSSKilobytes: Int
}

/// Starts `executable` with `arguments` (stdin /dev/null, stderr discarded, `environment` on
/// top of this process's); returns its pid and the read end of a pipe from its stdout.
func spawnReadingOutput(_ executable: String, _ arguments: [String],
                        environment: [String: String] = [:]) throws -> (pid: pid_t, output: Int32) {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { throw BenchError("pipe failed") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addclose(&actions, fds[0])
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var merged = ProcessInfo.processInfo.environment
    for (key, value) in environment { merged[key] = value }
    let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { envp.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawnp(&pid, executable, &actions, nil, argv, envp)
    close(fds[1])
    guard spawned == 0 else {
        close(fds[0])
        throw BenchError("cannot run \(executable): \(String(cString: strerror(spawned)))")
    }
    return (pid, fds[0])
}

/// Runs `executable` with `arguments` (stdin /dev/null, stderr discarded) and waits for it.
func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Finished {
    let start = DispatchTime.now().uptimeNanoseconds
    let (pid, fd) = try spawnReadingOutput(executable, arguments, environment: environment)
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0, errno == EINTR { continue }
        if n <= 0 { break }
        output += buffer[..<n]
    }
    close(fd)
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0, errno == EINTR {}
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return Finished(status: code, output: String(decoding: output, as: UTF8.self), seconds: elapsed,
                    cpuSeconds: usage.cpuSeconds, maxRSSKilobytes: usage.ru_maxrss)
}

extension rusage {
    /// User and system time together.
    var cpuSeconds: Double {
        Double(ru_utime.tv_sec + ru_stime.tv_sec) + Double(ru_utime.tv_usec + ru_stime.tv_usec) / 1e6
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A child whose standard output is read line by line as it comes, each line stamped with
/// the wall-clock time it arrived (for the propagation benchmark's follower).
final class LineReader {
    let pid: pid_t
    private let fd: Int32
    private var pending: [UInt8] = []
    private(set) var lines: [(text: String, arrived: Date)] = []

    init(_ executable: String, _ arguments: [String]) throws {
        (pid, fd) = try spawnReadingOutput(executable, arguments)
    }

    /// Reads what arrives until `done` holds or `timeout` seconds pass; returns `done()`.
    @discardableResult
    func read(until done: () -> Bool, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !done() {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return false }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, Int32(remaining * 1000) + 1) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return done() }
            let now = Date()
            pending += buffer[..<n]
            while let newline = pending.firstIndex(of: 10) {
                lines.append((String(decoding: pending[..<newline], as: UTF8.self), now))
                pending.removeSubrange(...newline)
            }
        }
        return true
    }

    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        close(fd)
    }
}
