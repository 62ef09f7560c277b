import Foundation
@_exported import HelpdeskTestSupport  // for every file of these tests
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Real Unix accounts against one desk: a throwaway group, members alice and bob (on the roster)
/// and mallory (in the group, not on the roster), a desk folder `2770` owned by root and the
/// group, as README sets one up, and the real `helpdesk` binary run as each of them (setpriv).
/// Everything lives in a fresh folder under /var/tmp and is removed, accounts too, at the end.
/// A case that sets `installedSetgid` gets the package's model instead: the binary setgid
/// (2755 root:`deskGroup`), a group no account is in, and the desk folder that group's alone.
class TrustCase: XCTestCase {
    class var installedSetgid: Bool { false }
    var deskGroup = ""
    private var folder: TemporaryFolder?
    var base: String { folder?.path ?? "" }
    var deskFolder: String { base + "/desk" }
    var logPath: String { deskFolder + "/desk.log" }
    private var binaryFolder: TemporaryFolder?
    var binary: String { (binaryFolder?.path ?? base) + "/helpdesk" }
    var group = ""
    var alice = "", bob = "", mallory = ""
    private var accounts: [String] = []

    func home(_ account: String) -> String { base + "/home-" + account }

    override func setUpWithError() throws {
        try super.setUpWithError()
        try ThrowawayAccounts.require(["useradd", "userdel", "groupadd", "groupdel", "setpriv"],
                                      why: "the trust tests create throwaway Unix accounts")
        // The accounts traverse it to their homes, the desk and the binary.
        folder = try ThrowawayAccounts.folder("hd-trust")
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
        // The build folder is under /work, which the accounts may not be able to reach.
        if Self.installedSetgid {
            if try Self.isNosuid(base) {
                guard try !Self.isNosuid("/usr/local/lib") else {
                    throw XCTSkip("/var/tmp and /usr/local/lib are on nosuid mounts: a setgid binary would run without its group")
                }
                binaryFolder = try TemporaryFolder("hd-test", in: "/usr/local/lib")
                chmod(binaryFolder!.path, 0o711)
            }
            deskGroup = "hdt-d-" + suffix
            try root("groupadd", "--system", deskGroup)
            try root("install", "-d", "-m", "2770", "-o", "root", "-g", deskGroup, deskFolder)
            try root("install", "-m", "2755", "-o", "root", "-g", deskGroup, BuiltProducts.helpdesk, binary)
        } else {
            try root("install", "-d", "-m", "2770", "-o", "root", "-g", group, deskFolder)
            try root("install", "-m", "755", BuiltProducts.helpdesk, binary)
        }
        // The package's model: only the binary writes the desk's folder, so root makes the desk.
        let created = Self.installedSetgid ? try runAsRoot("init", "--as", alice, "--name", "Alice") : try run(alice, "init", "--name", "Alice")
        XCTAssertEqual(created.status, 0, created.stderr)
        let added = try run(alice, "agent", "add", bob)
        XCTAssertEqual(added.status, 0, added.stderr)
    }

    override func tearDownWithError() throws {
        for account in accounts {
            _ = try? Self.spawn("/usr/bin/pkill", ["-KILL", "-u", account], directory: "/")
            _ = try? Self.spawn(Processes.which("userdel")!, [account], directory: "/")
        }
        for made in [group, deskGroup] where !made.isEmpty {
            _ = try? Self.spawn(Processes.which("groupdel")!, [made], directory: "/")
        }
        folder?.remove()
        binaryFolder?.remove()
        try super.tearDownWithError()
    }

    typealias Failure = TestStop

    /// `helpdesk ARGUMENTS` run as `account` (its own groups, its own home).
    @discardableResult
    func run(_ account: String, _ arguments: String..., stdin: String? = nil) throws -> Ran {
        try run(account, arguments: arguments, stdin: stdin)
    }

    @discardableResult
    func run(_ account: String, arguments: [String], stdin: String? = nil) throws -> Ran {
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
        let ran = try Self.spawn(Processes.which(command) ?? command, arguments, directory: base.isEmpty ? "/" : base)
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

    static func uid(_ account: String) -> uid_t? {
        getpwnam(account).map { $0.pointee.pw_uid }
    }

    static func gid(ofGroup name: String) -> gid_t? {
        getgrnam(name).map { $0.pointee.gr_gid }
    }

    // MARK: - Processes

    /// Whether `path` is on a mount where set-user/group-ID bits are ignored.
    static func isNosuid(_ path: String) throws -> Bool {
        let options = try spawn("/usr/bin/findmnt", ["-no", "OPTIONS", "-T", path], directory: "/").stdout
        return options.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").contains("nosuid")
    }

    static func spawn(_ executable: String, _ arguments: [String], directory: String, stdin: String? = nil,
                      environment: [String: String] = ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin"]) throws -> Ran {
        try Processes.run(executable, arguments, environment: environment, in: directory, input: stdin)
    }
}

extension Tmux {
    /// Consoles of the throwaway accounts in a private tmux server (its socket in the test folder).
    static func forConsoles(in base: String) throws -> Tmux {
        let tmux = try Tmux(directory: base, environment: ["PATH": "/usr/bin:/bin", "TERM": "xterm-256color"])
        // A session that lasts, so the server does not exit (and race the next session) when a
        // refused console ends at once.
        try tmux.newSession("keep", command: "cat")
        return tmux
    }

    /// Starts `account`'s console in session `name`; when it ends, its exit status goes to `exitFile(name)`.
    func openConsole(_ name: String, account: String, desk: TrustCase) throws {
        let environment = desk.environment(home: desk.home(account)).merging(["TERM": "tmux-256color"]) { $1 }
        let command = ["/usr/bin/setpriv", "--reuid", account, "--regid", account, "--init-groups", "--", "/usr/bin/env", "-i"]
            + environment.map { "\($0.key)=\($0.value)" } + [desk.binary, "console", "2>" + errorFile(name)]
        let line = command.map { $0.hasPrefix("2>") ? $0 : "'" + $0 + "'" }.joined(separator: " ")
            + "; echo $? > " + exitFile(name)
        try newSession(name, command: line)
    }

    func exitFile(_ name: String) -> String { directory + "/exit-" + name }
    func errorFile(_ name: String) -> String { directory + "/stderr-" + name }

    /// The console's exit status once it has ended.
    func exitStatus(_ name: String) throws -> Int32? {
        var status: Int32?
        try waitFor("the console \(name) to end", timeout: 15) {
            status = (try? String(contentsOfFile: exitFile(name), encoding: .utf8))
                .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            return status != nil
        }
        return status
    }
}
