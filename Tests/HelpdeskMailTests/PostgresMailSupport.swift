import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

// MARK: - The test server

/// A database of the test's own on TestPostgres's server, dropped after the test.
struct MailTestDatabase {
    let url: String

    static func make(for test: XCTestCase) throws -> MailTestDatabase {
        let server = try TestPostgres.server()
        let database = try server.createDatabase()
        test.addTeardownBlock { try? server.dropDatabase(database) }
        return MailTestDatabase(url: database.url)
    }
}

/// A database on TestPostgres's server, which the test restarts under the processes using it.
final class MailTestCluster {
    private let server: TestPostgres
    private let database: TestDatabase

    var url: String { database.url }

    init() throws {
        server = try TestPostgres.server()
        database = try server.createDatabase()
    }

    func restart() throws { try server.restart() }
    func stopServer() throws { try server.stop() }
    func startServer() throws { try server.start() }

    func stop() { try? server.dropDatabase(database) }
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
