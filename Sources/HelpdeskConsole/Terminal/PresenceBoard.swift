import Foundation
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// Who is looking at which ticket, right now: ephemeral, so never in the audit log. A file desk
/// keeps it in a folder beside the log (`FilePresenceBoard`), a database desk in a table of its
/// own (`DatabasePresenceBoard`); the console sees only this.
public protocol PresenceBoard: AnyObject {
    /// Readable when the board changed: `drain` it, then `read`.
    var fd: Int32 { get }
    /// Says which ticket this console shows (nil: none).
    func show(_ ticket: Int?)
    /// Takes this console off the board.
    func leave()
    func drain()
    /// Other consoles' tickets: ticket id → who is looking at it, sorted.
    func read() -> [Int: [String]]
    /// Whether the console must look again now and then to notice a console that died without
    /// a word (a board that notices by itself says false).
    var othersPresent: Bool { get }
    /// Whether another console of `account` is open (on any host).
    func hasOtherConsole(of account: String) -> Bool
    /// The accounts of consoles found dead since last asked: killed outright, their processes
    /// gone, without closing as a console does (`read` finds them).
    func takeLost() -> Set<String>
}

extension PresenceBoard {
    /// As far as the consoles showing a ticket tell.
    public func hasOtherConsole(of account: String) -> Bool {
        read().values.contains { $0.contains(account) }
    }
}

public enum PresenceBoards {
    /// The board of the desk at `location`: beside the log file at `logPath`, or in the database.
    public static func open(location: StoreLocation, logPath: String, me: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any PresenceBoard {
        switch location {
        case .file: return try FilePresenceBoard(logPath: logPath, me: me)
        case .postgres(let url): return try DatabasePresenceBoard(url: url, me: me, host: hostName(environment: environment))
        }
    }

    /// The name other hosts see this console's presence under: `$HELPDESK_HOST` (for tests, and
    /// hosts whose own name says little), else the host's name.
    public static func hostName(environment: [String: String]) -> String {
        if let given = environment["HELPDESK_HOST"], !given.isEmpty { return given }
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(cString: buffer)
    }
}
