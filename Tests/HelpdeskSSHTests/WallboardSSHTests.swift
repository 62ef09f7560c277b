import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `helpdesk watch` as supervisors use it: a real sshd on 127.0.0.1 with a throwaway host key,
/// a key restricted to the wallboard by `command=` in authorized_keys, `ssh -t` in tmux.
final class WallboardSSHTests: HelpdeskProcessCase {
    private var sshd: pid_t = 0
    private var tmux: Tmux?

    override func tearDownWithError() throws {
        tmux?.kill()
        if sshd > 0 {
            kill(sshd, SIGTERM)
            _ = Processes.wait(sshd)
        }
        try super.tearDownWithError()
    }

    /// sshd, ssh, ssh-keygen and tmux, installed with apt-get when missing (as root).
    private func tools() throws -> (sshd: String, ssh: String, keygen: String, tmux: String) {
        func find() -> (String, String, String, String)? {
            guard let sshd = Processes.which("sshd"), let ssh = Processes.which("ssh"),
                  let keygen = Processes.which("ssh-keygen"), let tmux = Processes.which("tmux") else { return nil }
            return (sshd, ssh, keygen, tmux)
        }
        if let found = find() { return found }
        guard geteuid() == 0, let apt = Processes.which("apt-get") else {
            throw XCTSkip("needs openssh-server, openssh-client and tmux (bash .ci/run installs them)")
        }
        var environment = self.environment
        environment["DEBIAN_FRONTEND"] = "noninteractive"
        _ = try Processes.run(apt, ["update", "-qq"], environment: environment, in: directory)
        let installed = try Processes.run(apt, ["install", "-y", "-qq", "openssh-server", "openssh-client", "tmux"],
                                          environment: environment, in: directory)
        guard let found = find() else { throw XCTSkip("could not install OpenSSH: \(installed.stderr)") }
        return found
    }

    private func screen() -> String {
        tmux?.capture("wall") ?? ""
    }

    private var sshdLog: String { (try? String(contentsOfFile: directory + "/sshd.log", encoding: .utf8)) ?? "" }

    /// Waits for the screen to show every one of `texts`; fails with the screen and sshd's log.
    private func waitForScreen(_ texts: String..., timeout: TimeInterval = 15,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        try XCTUnwrap(tmux).waitForScreen("wall", for: "\(texts)", timeout: timeout, context: { "\n--- sshd:\n\(sshdLog)" },
                                file: file, line: line) { screen in texts.allSatisfy(screen.contains) }
    }

    func testTheWallboardOverARealSSHSession() throws {
        guard geteuid() == 0 else { throw XCTSkip("starts sshd and logs in as root") }
        let tools = try tools()
        try cli("init", "--name", "Sam")
        try cli("new", "--customer", "jane@example.com", "--subject", "Printer on fire", "--priority", "urgent",
                "--body", "Help")

        // A throwaway host key, a client key allowed to run the wallboard and nothing else.
        for key in ["host_key", "client_key"] {
            let made = try Processes.run(tools.keygen, ["-q", "-t", "ed25519", "-N", "", "-C", "hd4-test", "-f", directory + "/" + key],
                                         environment: environment, in: directory)
            XCTAssertEqual(made.status, 0, made.stderr)
        }
        let publicKey = try String(contentsOfFile: directory + "/client_key.pub", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let forced = "\(BuiltProducts.helpdesk) watch --log \(logPath)"
        try "command=\"\(forced)\",no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-user-rc \(publicKey)\n"
            .write(toFile: directory + "/authorized_keys", atomically: true, encoding: .utf8)
        let port = try Ports.free()
        try """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(directory)/host_key
            PidFile \(directory)/sshd.pid
            AuthorizedKeysFile \(directory)/authorized_keys
            StrictModes no
            UsePAM no
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PrintMotd no
            PrintLastLog no
            LogLevel VERBOSE

            """.write(toFile: directory + "/sshd_config", atomically: true, encoding: .utf8)
        if !FileManager.default.fileExists(atPath: "/run/sshd") {
            try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
        }
        sshd = try Processes.spawn(tools.sshd, ["-D", "-e", "-f", directory + "/sshd_config"], environment: environment,
                                   stderr: directory + "/sshd.log")
        XCTAssertTrue(Processes.waitUntil(timeout: 10) { Ports.listening(port) || !Processes.alive(self.sshd) }
                      && Processes.alive(sshd), "sshd did not start:\n\(sshdLog)")

        // ssh -t in tmux, as a supervisor at home would type it.
        let tmux = try Tmux(directory: directory, environment: environment.merging(["LC_ALL": "C.UTF-8"]) { $1 })
        self.tmux = tmux
        let ssh = [tools.ssh, "-t", "-p", String(port), "-i", directory + "/client_key", "-o", "StrictHostKeyChecking=no",
                   "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "IdentitiesOnly=yes",
                   "-o", "BatchMode=yes", "\(currentAccount())@127.0.0.1"].map(shellQuoted).joined(separator: " ")
        try tmux.newSession("wall", command: "exec env TERM=tmux-256color \(ssh)", columns: 120, rows: 30)
        try waitForScreen("desk.log · wallboard", "BACKLOG 1 active", "urgent 1", "AGENT")

        // The helpdesk watch that sshd started for the key, running on the server.
        var watchers: [pid_t] = []
        Processes.waitUntil(timeout: 5) {
            watchers = Processes.find([BuiltProducts.helpdesk, "watch", "--log", self.logPath])
            return !watchers.isEmpty
        }
        XCTAssertEqual(watchers.count, 1, "one remote helpdesk watch")

        // A change made by a CLI process appears without a key press.
        try cli("new", "--customer", "max@example.org", "--subject", "Invoice question", "--priority", "high", "--body", "Hi")
        try waitForScreen("BACKLOG 2 active", "high 1")

        // Keys do nothing to the desk: the board counts them and the log stays as it was.
        let before = try Data(contentsOf: URL(fileURLWithPath: logPath))
        XCTAssertEqual(try tmux.run(["send-keys", "-t", "wall", "-l", "tresNx"]).status, 0)
        XCTAssertEqual(try tmux.run(["send-keys", "-t", "wall", "Enter"]).status, 0)
        try waitForScreen("read-only: 7 keys ignored, q quits")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: logPath)), before, "no key changed the log")
        XCTAssertTrue(screen().contains("wallboard"), "still the wallboard")

        // A clock breaching shows without any record written, and the board escalates it itself.
        try cli("sla", "set", "low", "--first-response", "1s")
        try cli("new", "--customer", "ann@example.net", "--subject", "Dark mode", "--priority", "low", "--body", "Please")
        try waitForScreen("BREACHED (1)", "#3    low    first response", "t2 Dark mode", "ESCALATED tier 2: 1")
        let escalation = try XCTUnwrap(records().last)
        XCTAssertEqual(escalation["actor"] as? String, "desk")
        XCTAssertEqual(escalation["via"] as? String, currentAccount())

        // Killing the SSH client ends the remote helpdesk watch.
        let panePID = try XCTUnwrap(pid_t(try tmux.display("wall", "#{pane_pid}")))
        XCTAssertTrue(try String(contentsOfFile: "/proc/\(panePID)/cmdline", encoding: .utf8).hasPrefix(tools.ssh),
                      "the pane runs ssh itself")
        kill(panePID, SIGKILL)
        let watcher = try XCTUnwrap(watchers.first)
        XCTAssertTrue(Processes.waitUntil(timeout: 15) { !Processes.alive(watcher) },
                      "helpdesk watch \(watcher) still runs after its SSH client died\n--- sshd:\n\(sshdLog)")
    }
}
