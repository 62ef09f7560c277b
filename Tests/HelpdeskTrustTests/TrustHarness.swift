import Foundation
import TestProcesses
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Real Unix accounts against one desk: a throwaway group, members alice and bob (on the roster)
/// and mallory (in the group, not on the roster), a desk folder `2770` owned by root and the
/// group, as README sets one up, and the real `helpdesk` binary run as each of them (setpriv).
/// Everything lives in a fresh folder under /var/tmp and is removed, accounts too, at the end.
class TrustCase: XCTestCase {
    var base = ""
    var deskFolder: String { base + "/desk" }
    var logPath: String { deskFolder + "/desk.log" }
    var binary: String { base + "/helpdesk" }
    var group = ""
    var alice = "", bob = "", mallory = ""
    private var accounts: [String] = []

    func home(_ account: String) -> String { base + "/home-" + account }

    override func setUpWithError() throws {
        try super.setUpWithError()
        guard geteuid() == 0 else {
            throw XCTSkip("the trust tests create throwaway Unix accounts, so they run only as root (CI runs them as root)")
        }
        for tool in ["useradd", "userdel", "groupadd", "groupdel", "setpriv"] where Self.which(tool) == nil {
            throw XCTSkip("\(tool) is missing: the trust tests need passwd (useradd) and util-linux (setpriv)")
        }
        umask(0o022)
        var template = Array("/var/tmp/hd-trust-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure("mkdtemp failed: \(String(cString: strerror(errno)))") }
        base = String(cString: made)
        chmod(base, 0o711)  // the accounts traverse it to their homes, the desk and the binary
        let suffix = String((0..<5).map { _ in "abcdefghijklmnopqrstuvwxyz".randomElement()! })
        group = "hdt-g-" + suffix
        try root("groupadd", group)
        for name in ["alice", "bob", "mallory"] {
            let account = "hdt-\(name)-\(suffix)"
            try root("useradd", "-M", "-U", "-G", group, "-d", home(account), "-s", "/bin/sh", account)
            accounts.append(account)
            try root("install", "-d", "-m", "700", "-o", account, "-g", account, home(account))
        }
        (alice, bob, mallory) = (accounts[0], accounts[1], accounts[2])
        try root("install", "-d", "-m", "2770", "-o", "root", "-g", group, deskFolder)
        // The build folder is under /work, which the accounts may not be able to reach.
        try root("install", "-m", "755", Self.builtBinary, binary)
        let created = try run(alice, "init", "--name", "Alice")
        XCTAssertEqual(created.status, 0, created.stderr)
        let added = try run(alice, "agent", "add", bob)
        XCTAssertEqual(added.status, 0, added.stderr)
    }

    override func tearDownWithError() throws {
        for account in accounts {
            _ = try? Self.spawn("/usr/bin/pkill", ["-KILL", "-u", account], directory: "/")
            _ = try? Self.spawn(Self.which("userdel")!, [account], directory: "/")
        }
        if !group.isEmpty { _ = try? Self.spawn(Self.which("groupdel")!, [group], directory: "/") }
        if !base.isEmpty { try? FileManager.default.removeItem(atPath: base) }
        try super.tearDownWithError()
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// `helpdesk ARGUMENTS` run as `account` (its own groups, its own home).
    @discardableResult
    func run(_ account: String, _ arguments: String..., stdin: String? = nil) throws -> Ran {
        try Self.spawn("/usr/bin/setpriv", ["--reuid", account, "--regid", account, "--init-groups", "--", binary] + arguments,
                       directory: base, stdin: stdin, environment: environment(home: home(account)))
    }

    /// `helpdesk ARGUMENTS` run as root.
    @discardableResult
    func runAsRoot(_ arguments: String..., stdin: String? = nil) throws -> Ran {
        try Self.spawn(binary, arguments, directory: base, stdin: stdin, environment: environment(home: base))
    }

    /// A shell script run as `account`: what an attacker in the group can do by hand.
    @discardableResult
    func shell(_ account: String, _ script: String) throws -> Ran {
        try Self.spawn("/usr/bin/setpriv", ["--reuid", account, "--regid", account, "--init-groups", "--", "/bin/sh", "-c", script],
                       directory: base, environment: environment(home: home(account)))
    }

    /// A command run as root that must succeed.
    func root(_ command: String, _ arguments: String...) throws {
        let ran = try Self.spawn(Self.which(command) ?? command, arguments, directory: base.isEmpty ? "/" : base)
        guard ran.status == 0 else { throw Failure("\(command) \(arguments.joined(separator: " ")) failed: \(ran.stderr)") }
    }

    func environment(home: String) -> [String: String] {
        ["HOME": home, "PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "TZ": "UTC", "HELPDESK_LOG": logPath, "LANG": "C.UTF-8"]
    }

    func status(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    /// A message as an MTA hands it to `ingest`.
    func mail(from address: String, id: String, subject: String = "Help", body: String = "Please help") -> String {
        "From: Customer <\(address)>\nTo: support@acme.example\nSubject: \(subject)\nMessage-ID: <\(id)>\n"
            + "Date: Mon, 30 Nov 2026 10:00:00 +0000\n\n\(body)\n"
    }

    /// Waits until `condition` holds, failing after `timeout`.
    func waitFor(_ what: String, timeout: TimeInterval = 15, file: StaticString = #filePath, line: UInt = #line,
                 _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try !condition() {
            guard Date() < deadline else {
                XCTFail("timed out waiting for \(what)", file: file, line: line)
                throw Failure("timed out waiting for \(what)")
            }
            usleep(20_000)
        }
    }

    // MARK: - Processes

    static let builtBinary: String = {
        let bundle = Bundle(for: TrustCase.self).bundleURL
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [bundle.deletingLastPathComponent().appendingPathComponent("helpdesk").path,
                          packageRoot.appendingPathComponent(".build/debug/helpdesk").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    static func which(_ name: String) -> String? {
        ["/usr/sbin", "/usr/bin", "/sbin", "/bin"].map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func spawn(_ executable: String, _ arguments: [String], directory: String, stdin: String? = nil,
                      environment: [String: String] = ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin"]) throws -> Ran {
        try Processes.run(executable, arguments, environment: environment, in: directory, input: stdin)
    }
}

/// Consoles of the throwaway accounts in a private tmux server (its own socket in the test folder).
final class TrustTmux {
    let socket: String
    let base: String

    init(base: String) throws {
        guard let executable = TrustCase.which("tmux") else {
            throw XCTSkip("tmux is missing: the presence tests run the console in tmux (apt-get install tmux)")
        }
        self.base = base
        socket = base + "/tmux.sock"
        _ = executable
        // A session that lasts, so the server does not exit (and race the next session) when a
        // refused console ends at once.
        let kept = try run(["new-session", "-d", "-s", "keep", "cat"])
        guard kept.status == 0 else { throw TrustCase.Failure("tmux new-session: \(kept.stderr)") }
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> Ran {
        try TrustCase.spawn(TrustCase.which("tmux")!, ["-S", socket, "-f", "/dev/null"] + arguments, directory: base,
                            environment: ["PATH": "/usr/bin:/bin", "TERM": "xterm-256color"])
    }

    /// Starts `account`'s console in session `name`; when it ends, its exit status goes to `exitFile(name)`.
    func openConsole(_ name: String, account: String, desk: TrustCase) throws {
        let environment = desk.environment(home: desk.home(account)).merging(["TERM": "tmux-256color"]) { $1 }
        let command = ["/usr/bin/setpriv", "--reuid", account, "--regid", account, "--init-groups", "--", "/usr/bin/env", "-i"]
            + environment.map { "\($0.key)=\($0.value)" } + [desk.binary, "console", "2>" + errorFile(name)]
        let line = command.map { $0.hasPrefix("2>") ? $0 : "'" + $0 + "'" }.joined(separator: " ")
            + "; echo $? > " + exitFile(name)
        let ran = try run(["new-session", "-d", "-s", name, "-x", "120", "-y", "40", line])
        guard ran.status == 0 else { throw TrustCase.Failure("tmux new-session: \(ran.stderr)") }
    }

    func exitFile(_ name: String) -> String { base + "/exit-" + name }
    func errorFile(_ name: String) -> String { base + "/stderr-" + name }

    func capture(_ name: String) -> String {
        (try? run(["capture-pane", "-p", "-t", name]))?.stdout ?? ""
    }

    func type(_ name: String, _ keys: String) throws {
        try run(["send-keys", "-t", name, "-l", keys])
    }

    /// The console's exit status once it has ended.
    func exitStatus(_ name: String, desk: TrustCase) throws -> Int32? {
        var status: Int32?
        try desk.waitFor("the console \(name) to end") {
            status = (try? String(contentsOfFile: exitFile(name), encoding: .utf8))
                .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            return status != nil
        }
        return status
    }

    func kill() {
        _ = try? run(["kill-server"])
        unlink(socket)
    }
}
