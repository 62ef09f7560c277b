import Foundation
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// The presence board of a file desk. Ephemeral, so it stays out of the audit log: a folder
/// beside the log (`desk.log.presence/`) holds one small file per open console,
/// `ACCOUNT.PID`, containing the ticket it shows. A console removes its file when it exits;
/// a file whose process is gone (killed, SSH dropped) is ignored and cleaned up by the others.
public final class FilePresenceBoard: PresenceBoard {
    public let folder: DeskFolder
    public let fd: Int32
    private let me: String
    private let myName: String
    /// What the file says (nil: no file yet), so that a console showing no ticket is on the board
    /// too (its agent has a console open: see `hasOtherConsole`).
    private var lastWritten: Int??
    /// The files of dead consoles found so far (another account's cannot be removed: the folder
    /// is sticky), so that each is reported once.
    private var deadSeen: Set<String> = []
    private var lost: Set<String> = []

    /// Opens (or creates: sticky, so no one can remove or replace another's file) the board of the
    /// log at `logPath`; a board that is a symlink or not a folder is refused.
    public init(logPath: String, me: String) throws {
        folder = try DeskFolder.containing(logPath).folder(DeskFolder.name(of: logPath) + ".presence", create: true)!
        self.me = me
        myName = "\(me).\(getpid())"
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw TerminalError.system("inotify_init1", errno) }
        let mask = UInt32(IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ONLYDIR)
        // The folder opened above, not whatever its name leads to by now.
        if inotify_add_watch(fd, "/proc/self/fd/\(folder.fd)", mask) < 0 {
            throw TerminalError.system("inotify_add_watch \(folder.path)", errno)
        }
    }

    deinit {
        leave()
        close(fd)
    }

    /// Says which ticket this console shows (nil: none). Writes only when it changed.
    public func show(_ ticket: Int?) {
        guard lastWritten != .some(ticket) else { return }
        lastWritten = .some(ticket)
        let bytes = Array((ticket.map(String.init) ?? "").utf8)
        guard let temporary = try? folder.createTemporary(prefix: myName + ".tmp-") else { return }
        let written = bytes.withUnsafeBytes { write(temporary.fd, $0.baseAddress, $0.count) } == bytes.count
        close(temporary.fd)
        guard written, (try? folder.rename(temporary.name, to: myName)) != nil else {
            folder.removeOwnFile(temporary.name)
            return
        }
    }

    public func leave() {
        folder.removeOwnFile(myName)
        lastWritten = nil
    }

    /// Empties the inotify queue; call before `read()`.
    public func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while buffer.withUnsafeMutableBytes({ Glibc.read(fd, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// Other consoles' tickets: ticket id → accounts looking at it. Only a regular file owned by
    /// the account it names (or by root, acting for it) counts, so no one can appear as another.
    /// Files of dead processes are removed.
    public func read() -> [Int: [String]] {
        var viewers: [Int: [String]] = [:]
        for name in folder.names() {
            guard let dot = name.lastIndex(of: "."), let pid = pid_t(name[name.index(after: dot)...]), pid > 0 else { continue }
            let account = String(name[..<dot])
            if name == myName { continue }
            guard let owners = Self.owners(of: account), let info = folder.status(of: name),
                  owners.contains(info.st_uid) else { continue }
            guard kill(pid, 0) == 0 || errno == EPERM else {
                if deadSeen.insert(name).inserted { lost.insert(account) }
                folder.removeOwnFile(name, owners: owners)
                continue
            }
            guard let file = folder.read(name, limit: 32), owners.contains(file.owner),
                  let ticket = Int(String(decoding: file.bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            else { continue }
            if !(viewers[ticket]?.contains(account) ?? false) { viewers[ticket, default: []].append(account) }
        }
        return viewers.mapValues { $0.sorted() }
    }

    /// Who may own the presence file of `account`: the account itself, and root (a console root runs with `--as`).
    private static func owners(of account: String) -> Set<uid_t>? {
        guard !account.isEmpty else { return nil }
        return Set([0] + (Account.uid(of: account).map { [$0] } ?? []))
    }

    /// Whether another live console of `account` is on the board, whatever it shows.
    public func hasOtherConsole(of account: String) -> Bool {
        guard let owners = Self.owners(of: account) else { return false }
        return folder.names().contains { name in
            guard name != myName, name.hasPrefix(account + "."), let pid = pid_t(name.dropFirst(account.count + 1)), pid > 0,
                  let info = folder.status(of: name), owners.contains(info.st_uid) else { return false }
            return kill(pid, 0) == 0 || errno == EPERM
        }
    }

    public func takeLost() -> Set<String> {
        defer { lost = [] }
        return lost
    }

    /// Whether any other console is on the board (then dead ones must be looked for now and then).
    public var othersPresent: Bool {
        folder.names().contains { !$0.hasPrefix(myName) }
    }
}
