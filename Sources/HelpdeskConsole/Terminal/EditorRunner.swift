import Foundation
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// Runs $VISUAL / $EDITOR on a temporary file holding the draft, with the signals the console
/// blocks given back to it, and returns what was saved (nil when the editor failed).
public enum EditorRunner {
    public static func editorCommand(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        for name in ["VISUAL", "EDITOR"] {
            if let value = environment[name], !value.trimmingCharacters(in: .whitespaces).isEmpty { return value }
        }
        return nil
    }

    public static func edit(_ text: String, command: String) -> String? {
        var template = Array((NSTemporaryDirectory() + "helpdesk-draft-XXXXXX.txt").utf8CString)
        let fd = mkstemps(&template, 4)
        guard fd >= 0 else { return nil }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        // A text file's lines end in a newline: what an editor or a script adds goes on a line of its own.
        let bytes = Array((text.isEmpty || text.hasSuffix("\n") ? text : text + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard run(["/bin/sh", "-c", "\(command) \"$1\"", "sh", path]) == 0 else { return nil }
        return readDraft(path)
    }

    /// The draft the editor saved, read with the person's own group: the file is theirs to
    /// replace (with a symlink to a file of the desk's, say), so the binary's group must not read it.
    public static func readDraft(_ path: String) -> String? {
        try? PersonsGroup.run(path) { try String(contentsOfFile: path, encoding: .utf8) }
    }

    /// posix_spawn with an empty signal mask and default dispositions; waits for the exit status.
    /// The editor is the person's program: a setgid helpdesk starts it with the person's own
    /// group only (RESETIDS, and the spawn made without the desk's group), so it can neither
    /// write the desk nor take the group back.
    public static func run(_ arguments: [String]) -> Int32 {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = TerminalGuard.childSignalMask()
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_RESETIDS))
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let started = try? PersonsGroup.run(arguments[0]) { posix_spawn(&pid, arguments[0], nil, &attributes, &argv, environ) }
        guard started == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
    }
}
