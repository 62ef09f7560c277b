import Foundation
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// The console and the wallboard started on a desk, each in a pseudo-terminal of 200×50 as an
/// agent's terminal would be: the time from starting the process to the first frame showing the
/// queue (its column header) or the wallboard (its title), and the process's peak memory.
enum ConsoleStart {
    static let rows: UInt16 = 50, columns: UInt16 = 200

    static func measure(_ desk: BenchDesk, helpdesk: String, into table: inout Table) throws {
        let account = try DeskLog(path: desk.path, writable: false).desk.roster.first ?? "root"
        // A desk in use has its search index: the console then only brings it up to date (from
        // nothing, a thread of the console would build it, minutes on a large desk).
        _ = try run(helpdesk, ["search", "invoice", "--limit", "1", "--log", desk.path])
        let runs = [("console", ["--log", desk.path, "--as", account], "SUBJECT"),
                    ("watch", ["watch", "--log", desk.path], "wallboard")]
        for (name, arguments, marker) in runs {
            var shown = Samples(), peak = 0
            for _ in 0..<3 {
                let started = try startInTerminal(helpdesk, arguments, until: marker)
                shown.add(started.seconds)
                peak = max(peak, started.maxRSSKilobytes)
            }
            let ratio = Double(peak) * 1024 / Double(desk.size)
            table.add("\(name): on screen, \(desk.millions)M desk", median: milliseconds(shown.median),
                      p99: milliseconds(shown.p99), note: "start to first frame, pty 200×50", target: "≤ 1 s",
                      met: shown.p99 <= 1)
            table.add("  \(name): peak RSS, \(desk.millions)M desk", median: megabytes(Int64(peak) * 1024),
                      note: String(format: "%.2f× the log (%@)", ratio, megabytes(desk.size)), target: "≤ 0.2×",
                      met: ratio <= 0.2)
        }
    }

    /// Starts `executable` on a new pseudo-terminal, waits until `marker` is among its output,
    /// then lets it run a second more (what it does in the background counts in its peak memory),
    /// quits it with q and reaps it.
    static func startInTerminal(_ executable: String, _ arguments: [String], until marker: String) throws -> Finished {
        // posix_openpt and friends by hand (Glibc's module leaves them out): unlock, then ask its number.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: Int32 = 0, number: UInt32 = 0
        let setLock: UInt = 0x4004_5431, getNumber: UInt = 0x8004_5430  // TIOCSPTLCK, TIOCGPTN (Linux)
        guard master >= 0, ioctl(master, setLock, &unlock) == 0, ioctl(master, getNumber, &number) == 0 else {
            throw BenchError("no pseudo-terminal")
        }
        defer { close(master) }
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        let terminal = "/dev/pts/\(number)"
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, 0x80)  // POSIX_SPAWN_SETSID (glibc 2.26), not in Glibc's module
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened after setsid: the terminal becomes the child's controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, terminal, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        posix_spawn_file_actions_addclose(&actions, master)
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm-256color"
        environment["LINES"] = nil
        environment["COLUMNS"] = nil
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        let start = DispatchTime.now().uptimeNanoseconds
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw BenchError("cannot run \(executable): \(String(cString: strerror(spawned)))") }
        var output: [UInt8] = []
        var shownAt: UInt64?
        let wanted = Array(marker.utf8)
        var buffer = [UInt8](repeating: 0, count: 65536)
        var quitAt = UInt64.max
        var peakKilobytes: Int?
        let deadline = start + 120_000_000_000
        while DispatchTime.now().uptimeNanoseconds < deadline {
            var entry = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&entry, 1, 50) > 0 {
                let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                if n <= 0 { break }  // the child is gone
                output += buffer[..<n]
                if shownAt == nil, contains(output, wanted) {
                    shownAt = DispatchTime.now().uptimeNanoseconds
                    quitAt = shownAt! + 1_000_000_000
                }
            }
            if DispatchTime.now().uptimeNanoseconds >= quitAt {
                peakKilobytes = highWaterKilobytes(of: pid)
                _ = "q".withCString { write(master, $0, 1) }
                quitAt = .max
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                // Reaped here: its rusage is gone. Rare (it quit before the second passed); say so.
                throw BenchError("\(executable) \(arguments.joined(separator: " ")) ended on its own (\(status))")
            }
        }
        if shownAt == nil { kill(pid, SIGTERM) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0, errno == EINTR {}
        guard let shownAt else {
            let tail = String(decoding: output.suffix(300), as: UTF8.self)
            throw BenchError("\(marker) never appeared on the terminal of \(arguments.joined(separator: " ")): …\(tail)")
        }
        return Finished(status: status, output: "", seconds: Double(shownAt - start) / 1e9, cpuSeconds: usage.cpuSeconds,
                        maxRSSKilobytes: peakKilobytes ?? usage.ru_maxrss)
    }

    /// The process's peak resident memory as Linux counts it for its own address space (VmHWM).
    /// Not its rusage: Linux carries a spawning process's peak over into its child's at exec, so
    /// the bench's own peak (a large desk opened in process) would show through.
    static func highWaterKilobytes(of pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return Int(line.dropFirst("VmHWM:".count).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}
