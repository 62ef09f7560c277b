import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who is looking at which ticket, right now. Ephemeral, so it stays out of the audit log: a
/// folder beside the log (`desk.log.presence/`) holds one small file per open console,
/// `ACCOUNT.PID`, containing the ticket it shows. A console removes its file when it exits;
/// a file whose process is gone (killed, SSH dropped) is ignored and cleaned up by the others.
public final class PresenceBoard {
    public let folder: String
    public let fd: Int32
    private let me: String
    private let myFile: String
    private var lastWritten: Int?

    public init(logPath: String, me: String) throws {
        folder = logPath + ".presence"
        self.me = me
        myFile = folder + "/\(me).\(getpid())"
        if mkdir(folder, 0o2770) == 0 { chmod(folder, 0o2770) }
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw TerminalError.system("inotify_init1", errno) }
        let mask = UInt32(IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_CLOSE_WRITE)
        if inotify_add_watch(fd, folder, mask) < 0 { throw TerminalError.system("inotify_add_watch \(folder)", errno) }
    }

    deinit {
        leave()
        close(fd)
    }

    /// Says which ticket this console shows (nil: none). Writes only when it changed.
    public func show(_ ticket: Int?) {
        guard ticket != lastWritten else { return }
        lastWritten = ticket
        let temporary = myFile + ".tmp"
        let text = ticket.map(String.init) ?? ""
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else { return }
        chmod(temporary, 0o660)
        rename(temporary, myFile)
    }

    public func leave() {
        unlink(myFile)
        lastWritten = nil
    }

    /// Empties the inotify queue; call before `read()`.
    public func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while buffer.withUnsafeMutableBytes({ Glibc.read(fd, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// Other consoles' tickets: ticket id → accounts looking at it. Files of dead processes are removed.
    public func read() -> [Int: [String]] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [:] }
        var viewers: [Int: [String]] = [:]
        for name in names where !name.hasSuffix(".tmp") {
            guard let dot = name.lastIndex(of: "."), let pid = pid_t(name[name.index(after: dot)...]) else { continue }
            let account = String(name[..<dot])
            if pid == getpid() { continue }
            guard kill(pid, 0) == 0 || errno == EPERM else {
                unlink(folder + "/" + name)
                continue
            }
            guard let text = try? String(contentsOfFile: folder + "/" + name, encoding: .utf8),
                  let ticket = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { continue }
            if !(viewers[ticket]?.contains(account) ?? false) { viewers[ticket, default: []].append(account) }
        }
        return viewers.mapValues { $0.sorted() }
    }

    /// Whether any other console is on the board (then dead ones must be looked for now and then).
    public var othersPresent: Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).contains { !$0.hasPrefix("\(me).\(getpid())") }
    }
}
