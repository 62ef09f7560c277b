import Foundation
@testable import HelpdeskLog
import XCTest
#if canImport(Glibc)
import Glibc
#endif

// MARK: - Stand-ins until TestPostgres (Tests/HelpdeskTestSupport) is merged: switch to it then.

/// A database of the test's own on the server `HELPDESK_TEST_POSTGRES` names (a base URL such as
/// postgresql://helpdesk@127.0.0.1:PORT/), dropped after the test; the test is skipped without it.
struct MailTestDatabase {
    let url: String

    static func make(for test: XCTestCase) throws -> MailTestDatabase {
        guard let base = ProcessInfo.processInfo.environment["HELPDESK_TEST_POSTGRES"], !base.isEmpty else {
            throw XCTSkip("HELPDESK_TEST_POSTGRES is not set (a server's base URL, e.g. from /work/pg-up.sh)")
        }
        let root = base.hasSuffix("/") ? base : base + "/"
        let name = "mail_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let server = try PGConnection(url: root + "postgres", displayName: "the test server")
        try server.execute("CREATE DATABASE \(name)")
        test.addTeardownBlock {
            _ = try? PGConnection(url: root + "postgres", displayName: "the test server")
                .execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
        return MailTestDatabase(url: root + name)
    }
}

/// A PostgreSQL cluster of the test's own, which it may restart: initdb and the server run as
/// the `postgres` account (they refuse root), so this needs root and the server's binaries.
final class MailTestCluster {
    let folder: String
    let port: Int
    private let bin: String

    var url: String { "postgresql://helpdesk@127.0.0.1:\(port)/helpdesk" }

    init() throws {
        guard getuid() == 0 else { throw XCTSkip("a cluster of the test's own needs root (initdb runs as postgres)") }
        let bins = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .sorted { $0.compare($1, options: .numeric) == .orderedAscending }
            .map { "/usr/lib/postgresql/\($0)/bin" }
            .filter { FileManager.default.isExecutableFile(atPath: $0 + "/pg_ctl") }
        guard let bin = bins.last else { throw XCTSkip("no PostgreSQL server binaries in /usr/lib/postgresql") }
        self.bin = bin
        var template = Array("/tmp/pgm.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestStop("mkdtemp failed") }
        folder = String(cString: made)
        port = try freePort()
        try Self.tool("/bin/chown", ["postgres:postgres", folder])
        try asPostgres("initdb", ["-D", folder + "/data", "-U", "helpdesk", "-A", "trust", "-E", "UTF8", "--locale=C", "-N"])
        try pgctl("start")
        try PGConnection(url: "postgresql://helpdesk@127.0.0.1:\(port)/postgres", displayName: "the test cluster")
            .execute("CREATE DATABASE helpdesk")
    }

    func restart() throws { try pgctl("restart") }

    func stop() {
        _ = try? asPostgres("pg_ctl", ["-D", folder + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func pgctl(_ action: String) throws {
        try asPostgres("pg_ctl", ["-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "30", "-m", "fast", "-o",
                                  "-k \(folder) -p \(port) -c listen_addresses=127.0.0.1 -c fsync=off", action])
    }

    private func asPostgres(_ program: String, _ arguments: [String]) throws {
        try Self.tool("/usr/sbin/runuser", ["-u", "postgres", "--", bin + "/" + program] + arguments)
    }

    private static func tool(_ path: String, _ arguments: [String]) throws {
        let ran = try Processes.run(path, arguments, environment: ["PATH": "/usr/bin:/bin"], in: "/tmp", input: nil as Data?)
        guard ran.status == 0 else { throw TestStop("\(path) \(arguments.joined(separator: " ")): \(ran.stderr)") }
    }
}

private func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw TestStop("no free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

// MARK: - Hosts

/// One "host" of a shared database desk: an account's home of its own (its own cache, its own
/// files beside the desk), and `helpdesk` run there against the database.
struct MailHost {
    let home: String
    let url: String

    init(_ name: String, in folder: TemporaryFolder, url: String) throws {
        home = folder.file(name)
        self.url = url
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in ["VISUAL", "EDITOR", "HELPDESK_LOG", "HELPDESK_STORE", "XDG_DATA_HOME", "XDG_CACHE_HOME", "NO_COLOR"] {
            environment[key] = nil
        }
        environment["HOME"] = home
        environment["TZ"] = "UTC"
        environment["HELPDESK_STORE"] = url
        return environment
    }

    func start(_ arguments: [String], stdin: Data? = nil) throws -> Started {
        try Processes.start(BuiltProducts.helpdesk, arguments, environment: environment, in: home, input: stdin)
    }

    @discardableResult
    func run(_ arguments: [String], stdin: Data? = nil) throws -> Ran {
        try start(arguments, stdin: stdin).wait()
    }

    @discardableResult
    func ok(_ arguments: [String], stdin: Data? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> Ran {
        let ran = try run(arguments, stdin: stdin)
        XCTAssertEqual(ran.status, 0, "helpdesk \(arguments.joined(separator: " ")): \(ran.stderr)", file: file, line: line)
        return ran
    }

    /// A mail configuration of this host's whose sendmail writes each message to a new file in
    /// `sent` (named after this host), then runs `afterwards`; returns its path, for --mail-config.
    func mailConfig(sendingTo sent: String, afterwards: String = "") throws -> String {
        let sendmail = home + "/fake-sendmail"
        let name = (home as NSString).lastPathComponent
        try "#!/bin/sh\nf=$(mktemp \(sent)/\(name).XXXXXX) && cat > \"$f\"\n\(afterwards)\n"
            .write(toFile: sendmail, atomically: true, encoding: .utf8)
        chmod(sendmail, 0o755)
        let config = home + "/mail.yaml"
        try "address: support@acme.example\nsendmail: \(sendmail) -t -i\n".write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }
}

extension XCTestCase {
    /// A temporary folder with `sent/` in it, where the hosts' fake sendmails put each message.
    func makeMailFolder(_ prefix: String) throws -> (folder: TemporaryFolder, sent: String) {
        let folder = try makeTemporaryDirectory(prefix)
        let sent = folder.file("sent")
        try FileManager.default.createDirectory(atPath: sent, withIntermediateDirectories: true)
        return (folder, sent)
    }
}

/// A mail from a new customer, opening a ticket of its own.
func customerMail(_ number: Int) -> Data {
    Data("""
        From: Customer \(number) <customer\(number)@example.com>\r
        To: support@acme.example\r
        Subject: Case \(number)\r
        Message-ID: <case\(number)@example.com>\r
        Date: Mon, 30 Nov 2026 10:00:00 +0000\r
        \r
        Help with case \(number), please.\r

        """.utf8)
}

/// The messages in `sent`, each as (ticket, last line of its body).
func sentMails(in sent: String) throws -> [(ticket: String, body: String)] {
    try FileManager.default.contentsOfDirectory(atPath: sent).sorted().map { name in
        let text = try String(contentsOfFile: sent + "/" + name, encoding: .utf8)
        let ticket = text.split(separator: "\n").first { $0.hasPrefix("X-Helpdesk-Ticket:") }
            .map { $0.dropFirst("X-Helpdesk-Ticket:".count).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "?"
        let body = text.split(separator: "\n").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        return (ticket, body)
    }
}
