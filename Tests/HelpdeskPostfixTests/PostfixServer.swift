import Foundation
import HelpdeskTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A private Postfix instance for one test: its own configuration folder, queue and log under
/// /var/tmp, local delivery only (no listener at all, nothing relayed), and throwaway Unix
/// accounts: the desk's (whose alias pipes mail to `helpdesk ingest`) and customers with Maildirs.
/// The system's /etc/postfix is neither read for delivery nor changed. Everything is removed at
/// the end, accounts too.
final class PostfixServer {
    let folder: TemporaryFolder
    var base: String { folder.path }
    var configFolder: String { base + "/postfix" }
    var maillog: String { base + "/maillog" }
    /// The alias file, outside the configuration folder, whose files postfix check wants root's.
    var aliasFile: String { base + "/aliases" }
    var deskFolder: String { base + "/desk" }
    var logPath: String { deskFolder + "/desk.log" }
    var binary: String { base + "/helpdesk" }
    let suffix = String((0..<5).map { _ in "abcdefghijklmnopqrstuvwxyz".randomElement()! })
    var group: String { "hdpf-g-" + suffix }
    /// The account the alias's pipe runs as: the alias file's owner, its primary group the desk's.
    var deskAccount: String { "hdpf-desk-" + suffix }
    static let domain = "helpdesk.test"
    static let deskAddress = "support@helpdesk.test"
    private var accounts: [String] = []
    private var groupCreated = false
    private var started = false

    /// The settings the test runs Postfix with (README "Mail in" names them).
    var mainCF: String {
        """
        compatibility_level = 3.6
        queue_directory = \(base)/queue
        data_directory = \(base)/data
        maillog_file = \(maillog)
        myhostname = \(Self.domain)
        mydomain = \(Self.domain)
        myorigin = \(Self.domain)
        mydestination = \(Self.domain)
        inet_interfaces = loopback-only
        inet_protocols = ipv4
        relayhost =
        default_transport = error:this test mail server delivers locally only
        alias_maps = hash:\(aliasFile)
        alias_database = hash:\(aliasFile)
        home_mailbox = Maildir/
        biff = no

        """
    }

    /// `support:` piped to ingest as README shows; a short lock timeout so a held lock defers soon.
    var aliases: String {
        "support: \"|\(binary) ingest --log \(logPath) --lock-timeout 2\"\n"
    }

    init() throws {
        try ThrowawayAccounts.require(
            ["/usr/sbin/postfix", "/usr/sbin/postalias", "/usr/sbin/sendmail", "/usr/sbin/postqueue",
             "useradd", "userdel", "groupadd", "groupdel", "flock"],
            why: "the Postfix tests start a private Postfix and create Unix accounts")
        // The accounts traverse it to the binary, the desk and their homes.
        folder = try ThrowawayAccounts.folder("hd-postfix")
        do {
            try setUp()
        } catch {
            stop()
            throw error
        }
    }

    private func setUp() throws {
        try root("groupadd", group)
        groupCreated = true
        try root("useradd", "-M", "-g", group, "-d", base + "/home-desk", "-s", "/usr/sbin/nologin", deskAccount)
        accounts.append(deskAccount)
        try root("install", "-m", "755", BuiltProducts.helpdesk, binary)
        // The desk as README sets up a shared one: a 2770 folder of root and the group, the mail
        // configuration root's, in a sticky 3770 store.
        try root("install", "-d", "-m", "2770", "-o", "root", "-g", group, deskFolder)
        let created = try helpdesk("init", "--name", "Root Supervisor")
        guard created.status == 0 else { throw TestStop("helpdesk init failed: \(created.stderr)") }
        try root("install", "-d", "-m", "3770", "-o", "root", "-g", group, logPath + ".mail")
        let config = base + "/config.yaml"
        try """
            address: \(Self.deskAddress)
            name: Helpdesk Support
            sendmail: /usr/sbin/sendmail -C \(configFolder) -t -i

            """.write(toFile: config, atomically: true, encoding: .utf8)
        try root("install", "-m", "640", "-o", "root", "-g", group, config, logPath + ".mail/config.yaml")

        try root("install", "-d", "-m", "755", configFolder)
        try root("install", "-d", "-m", "755", base + "/queue")
        try root("install", "-d", "-m", "755", "-o", "postfix", base + "/data")
        try mainCF.write(toFile: configFolder + "/main.cf", atomically: true, encoding: .utf8)
        try Self.masterCF.write(toFile: configFolder + "/master.cf", atomically: true, encoding: .utf8)
        try aliases.write(toFile: aliasFile, atomically: true, encoding: .utf8)
        try root("/usr/sbin/postalias", aliasFile)
        // The pipe runs as the alias database's owner (root's would run as default_privs, nobody).
        try root("chown", deskAccount, aliasFile, aliasFile + ".db")

        let checked = try Self.spawn("/usr/sbin/postfix", ["-c", configFolder, "check"])
        let began = try Self.spawn("/usr/sbin/postfix", ["-c", configFolder, "start"])
        guard checked.status == 0, began.status == 0 else {
            // Installed and run as root, it must start: a failure here is the test's to report.
            XCTFail("Postfix could not start: \(checked.stderr) \(began.stderr) \(began.stdout) \(log())")
            throw TestStop("Postfix could not start")
        }
        started = true
    }

    /// Only what local delivery needs: no smtpd, so nothing listens on any port.
    static let masterCF = """
        pickup    unix  n       -       n       60      1       pickup
        cleanup   unix  n       -       n       -       0       cleanup
        qmgr      unix  n       -       n       300     1       qmgr
        rewrite   unix  -       -       n       -       -       trivial-rewrite
        bounce    unix  -       -       n       -       0       bounce
        defer     unix  -       -       n       -       0       bounce
        trace     unix  -       -       n       -       0       bounce
        verify    unix  -       -       n       -       1       verify
        flush     unix  n       -       n       1000?   0       flush
        proxymap  unix  -       -       n       -       -       proxymap
        showq     unix  n       -       n       -       -       showq
        error     unix  -       -       n       -       -       error
        retry     unix  -       -       n       -       -       error
        discard   unix  -       -       n       -       -       discard
        local     unix  -       n       n       -       -       local
        postlog   unix-dgram n  -       n       -       1       postlogd

        """

    /// A customer: a Unix account whose mail Postfix delivers to ~/Maildir. Returns its address.
    func addCustomer(_ name: String) throws -> (account: String, address: String) {
        let account = "hdpf-\(name)-\(suffix)"
        try root("useradd", "-M", "-U", "-d", home(account), "-s", "/usr/sbin/nologin", account)
        accounts.append(account)
        try root("install", "-d", "-m", "700", "-o", account, "-g", account, home(account))
        return (account, "\(account)@\(Self.domain)")
    }

    func home(_ account: String) -> String { base + "/home-" + account }

    /// The raw messages delivered to `account`'s Maildir, oldest first.
    func mailbox(_ account: String) -> [String] {
        let new = home(account) + "/Maildir/new"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: new)) ?? []).sorted()
        return names.compactMap { try? String(contentsOfFile: new + "/" + $0, encoding: .utf8) }
    }

    /// Hands `message` to Postfix's sendmail, with `sender` as the envelope sender.
    func submit(_ message: String, from sender: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let sent = try Self.spawn("/usr/sbin/sendmail", ["-C", configFolder, "-t", "-i", "-f", sender], stdin: message)
        XCTAssertEqual(sent.status, 0, "sendmail: \(sent.stderr)", file: file, line: line)
    }

    /// Asks Postfix to try the deferred mail now.
    func flushQueue() throws {
        let flushed = try Self.spawn("/usr/sbin/postqueue", ["-c", configFolder, "-f"])
        XCTAssertEqual(flushed.status, 0, "postqueue -f: \(flushed.stderr)")
    }

    /// True when no mail waits in Postfix's queue.
    func queueIsEmpty() throws -> Bool {
        let listed = try Self.spawn("/usr/sbin/postqueue", ["-c", configFolder, "-j"])
        return listed.status == 0 && listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// What Postfix logged (shown when a wait fails).
    func log() -> String { (try? String(contentsOfFile: maillog, encoding: .utf8)) ?? "(no maillog)" }

    /// `helpdesk ARGUMENTS` as root, the desk's supervisor, on the test's desk.
    @discardableResult
    func helpdesk(_ arguments: String...) throws -> Ran {
        try Self.spawn(binary, arguments, environment: ["HOME": base, "HELPDESK_LOG": logPath, "TZ": "UTC",
                                                        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
    }

    /// Stops Postfix (waiting for its master to exit, with a deadline) and removes everything.
    func stop() {
        if started {
            _ = try? Self.spawn("/usr/sbin/postfix", ["-c", configFolder, "stop"])
            let pidFile = base + "/queue/pid/master.pid"
            let pid = (try? String(contentsOfFile: pidFile, encoding: .utf8))
                .flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if let pid, !Processes.waitUntil(timeout: 20, { kill(pid, 0) != 0 }) {
                _ = try? Self.spawn("/usr/sbin/postfix", ["-c", configFolder, "abort"])
            }
            started = false
        }
        for account in accounts {
            _ = try? Self.spawn("/usr/bin/pkill", ["-KILL", "-u", account])
            _ = try? Self.spawn(Processes.which("userdel") ?? "/usr/sbin/userdel", [account])
        }
        accounts = []
        if groupCreated { _ = try? Self.spawn(Processes.which("groupdel") ?? "/usr/sbin/groupdel", [group]) }
        groupCreated = false
        folder.remove()
    }

    private func root(_ tool: String, _ arguments: String...) throws {
        let executable = tool.hasPrefix("/") ? tool : (Processes.which(tool) ?? tool)
        let ran = try Self.spawn(executable, arguments)
        guard ran.status == 0 else {
            XCTFail("\(tool) \(arguments.joined(separator: " ")) failed: \(ran.stderr)")
            throw TestStop("\(tool) failed")
        }
    }

    static func spawn(_ executable: String, _ arguments: [String], stdin: String? = nil,
                      environment: [String: String] = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]) throws -> Ran {
        try Processes.run(executable, arguments, environment: environment, in: "/var/tmp", input: stdin)
    }
}
