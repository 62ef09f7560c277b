import Foundation
import HelpdeskCore
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// Installed setgid, the binary's group opens every desk to every account on the machine, so the
/// roster alone decides who may read one: an account that cannot read the log with its own ids
/// (access(2) checks the real ones) must be an active agent on the roster. Without setgid, or for
/// a log the account may read anyway (the group model, a desk of one's own), nothing changes.
public enum DeskAdmission {
    /// Whether this account reaches `logPath` only through the binary's group.
    public static func rosterDecides(logPath: String) -> Bool {
        PersonsGroup.isSetgid && getuid() != 0 && access(logPath, R_OK) != 0
    }

    /// Refuses an account that is not an active agent of `desk`, when the roster decides.
    public static func check(_ desk: Desk, logPath: String) throws {
        guard rosterDecides(logPath: logPath) else { return }
        let account = try Identity.currentAccount()
        guard let agent = desk.agents[account] else { throw Refusal(.notAllowed, .notOnRoster(account: account)) }
        guard agent.active else { throw Refusal(.notAllowed, .inactiveAgent(account: account)) }
    }

    /// Refuses to make a new log (`init`, `generate`, `demo`) in a folder this account may write
    /// only through the binary's group: a desk there is root's to make (`init --as`), and no one
    /// else may leave a file of theirs beside a desk they cannot write.
    public static func checkCreating(_ logPath: String, as actor: String) throws {
        let directory = (logPath as NSString).deletingLastPathComponent
        let folder = directory.isEmpty ? "." : directory
        guard PersonsGroup.isSetgid, getuid() != 0, access(folder, W_OK) != 0 else { return }
        throw LogError.unsafe(path: folder, reason: "is written only through the helpdesk binary's group, so a desk there is "
                              + "made by root: sudo helpdesk init --as \(actor) --log \(logPath)")
    }

    /// The same for a command that loads the desk itself later: the roster is read first, only
    /// when it decides.
    public static func check(logPath: String) throws {
        guard rosterDecides(logPath: logPath) else { return }
        try check(DeskLog(path: logPath, writable: false).desk, logPath: logPath)
    }
}
