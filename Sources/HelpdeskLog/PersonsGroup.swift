import CThreadIDs
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Installed setgid to a group no person is in (the package's `helpdesk`), the program's
/// effective group is the desk's, so only the program can write the desk. What it does for the
/// person rather than for the desk (a file they named, their editor, the mail command) it does
/// with their own group: the program lends the desk's group to nothing of theirs.
public enum PersonsGroup {
    /// Whether the program runs setgid: its effective group is not the person's real one.
    public static var isSetgid: Bool { getegid() != getgid() }

    /// Whether the program may write `path` with its effective ids (the desk's group, setgid);
    /// access(2) would answer for the person's real ones.
    public static func programMayWrite(_ path: String) -> Bool {
        faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0
    }

    /// `body` run on this thread with the person's real group as the effective (and so the
    /// filesystem) group; other threads keep the desk's group. A child started in `body` keeps
    /// nothing of the desk's group: exec copies the effective group to the saved one. The
    /// group is taken back afterwards. Without setgid, `body` just runs.
    public static func run<T>(_ what: String, _ body: () throws -> T) throws -> T {
        let real = getgid(), desk = getegid()
        guard real != desk else { return try body() }
        let unchanged = gid_t.max
        guard helpdesk_thread_setresgid(unchanged, real, unchanged) == 0 else {
            throw LogError.io(path: what, operation: "give up the desk's group (setresgid)", errno: errno)
        }
        defer {
            // Cannot fail: the saved group is still the desk's. Were it to, the thread would only
            // lack the group, and the desk's next write would fail with EACCES.
            _ = helpdesk_thread_setresgid(unchanged, desk, unchanged)
        }
        return try body()
    }
}
