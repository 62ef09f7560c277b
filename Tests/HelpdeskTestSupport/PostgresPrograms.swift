import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The installed PostgreSQL programs, run with nothing from this process's PG… variables, and the
/// server's as the account that owns the cluster: PostgreSQL refuses root, so as root they run
/// through `runuser -u OWNER`.
enum PostgresPrograms {
    /// The newest /usr/lib/postgresql/N/bin that holds a server, or nil when none is installed.
    static func installedBin() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions.filter { FileManager.default.isExecutableFile(atPath: "\(root)/\($0)/bin/postgres") }
            .sorted { $0.compare($1, options: .numeric) == .orderedAscending }
            .last.map { "\(root)/\($0)/bin" }
    }

    /// This process's environment without PGHOST, PGDATA, PGDATABASE and the like, which would
    /// point a program somewhere else than its arguments say.
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["PGCLIENTENCODING"] = "UTF8"
        environment["PGCONNECT_TIMEOUT"] = "10"
        return environment
    }

    /// Who must run the server programs on `data`: its owner when this process is root (nil when
    /// root owns it too, which the server will refuse with its own message), else this process.
    static func owner(of data: String) -> String? {
        guard geteuid() == 0 else { return nil }
        var info = stat()
        guard stat(data, &info) == 0, info.st_uid != 0, let account = getpwuid(info.st_uid) else { return nil }
        return String(cString: account.pointee.pw_name)
    }

    /// Starts `program` as `account` (nil: as this process) in `directory`, which holds its output
    /// until `wait`: the account must be able to enter it.
    static func start(_ program: String, _ arguments: [String], as account: String?, in directory: String,
                      input: String? = nil) throws -> Started {
        var command = [program] + arguments
        if let account {
            guard let runuser = Processes.which("runuser") else {
                throw XCTSkip("runuser (util-linux) is missing: as root the PostgreSQL server runs as \(account) through it")
            }
            command = [runuser, "-u", account, "--"] + command
        }
        return try Processes.start(command[0], Array(command.dropFirst()), environment: environment, in: directory,
                                   input: input.map { Data($0.utf8) })
    }

    /// Runs `program` to its end; a failure throws with what it printed.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], as account: String?, in directory: String,
                    input: String? = nil) throws -> Ran {
        let ran = try start(program, arguments, as: account, in: directory, input: input).wait()
        guard ran.status == 0 else {
            let name = (program as NSString).lastPathComponent
            throw PostgresFailure("\(name) \(arguments.joined(separator: " ")) failed (exit \(ran.status)): \(ran.stderr)\(ran.stdout)")
        }
        return ran
    }
}

/// A PostgreSQL program that failed, with what it said.
public struct PostgresFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
