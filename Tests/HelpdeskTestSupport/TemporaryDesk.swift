import Foundation
import XCTest

/// A desk's folder for one test and the built `helpdesk` run against it, with the environment
/// every suite gives it: this desk's log, a home of its own (never the real one's desk), UTC,
/// no editor. With HELPDESK_TEST_STORE=postgres the desk also gets a fresh PostgreSQL database,
/// its `store`, given to `helpdesk` as HELPDESK_STORE.
public final class TemporaryDesk: @unchecked Sendable {
    public let folder: TemporaryFolder
    public var path: String { folder.path }
    public var url: URL { folder.url }
    public var logPath: String { folder.file("desk.log") }
    /// The desk's PostgreSQL database, by URL, when the suites run on PostgreSQL; else nil.
    public var store: String? { database?.url }
    /// The desk's database and its server (for `postgres.psql(…, database: database.name)`), or nil.
    public let database: TestDatabase?
    public let postgres: TestPostgres?

    public init(_ prefix: String = "hd") throws {
        guard FileManager.default.isExecutableFile(atPath: BuiltProducts.helpdesk) else {
            XCTFail("no helpdesk binary at \(BuiltProducts.helpdesk); run swift build --build-tests")
            throw TestStop("no binary")
        }
        folder = try TemporaryFolder(prefix)
        do {
            (postgres, database) = try TestStore.newDatabase() ?? (nil, nil)
        } catch {
            folder.remove()
            throw error
        }
    }

    public func remove() {
        folder.remove()
        if let postgres, let database { try? postgres.dropDatabase(database) }
    }

    /// This process's environment less what would change the desk's answers (a database desk's
    /// snapshot goes to this desk's home), with `extra` on top.
    /// Without `logInEnvironment`, HELPDESK_LOG and HELPDESK_STORE are unset (for tests of `--log`).
    public func environment(_ extra: [String: String] = [:], logInEnvironment: Bool = true) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in ["VISUAL", "EDITOR", "HELPDESK_LOG", "HELPDESK_STORE", "XDG_DATA_HOME", "XDG_CACHE_HOME", "NO_COLOR"] { environment[key] = nil }
        environment["TZ"] = "UTC"
        environment["HOME"] = path
        if logInEnvironment {
            environment["HELPDESK_LOG"] = logPath
            environment["HELPDESK_STORE"] = store
        }
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// Starts `helpdesk ARGUMENTS` (or `executable`) in the desk's folder.
    public func start(_ arguments: [String], stdin: Data? = nil, environment extra: [String: String] = [:],
                      logInEnvironment: Bool = true, executable: String? = nil) throws -> Started {
        try Processes.start(executable ?? BuiltProducts.helpdesk, arguments,
                            environment: environment(extra, logInEnvironment: logInEnvironment), in: path, input: stdin)
    }

    /// Runs `helpdesk ARGUMENTS` to its end.
    @discardableResult
    public func run(_ arguments: [String], stdin: Data? = nil, environment extra: [String: String] = [:],
                    logInEnvironment: Bool = true) throws -> Ran {
        try start(arguments, stdin: stdin, environment: extra, logInEnvironment: logInEnvironment).wait()
    }

    /// Runs `helpdesk ARGUMENTS` with a pseudo-terminal (script(1)'s) as its standard input, output
    /// and error: what a person at a terminal would see is the run's stdout, CRLF line ends included.
    public func runInTerminal(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Ran {
        guard let script = Processes.which("script") else {
            throw XCTSkip("script(1) is not installed (bsdutils); cannot give the command a terminal")
        }
        let command = ([BuiltProducts.helpdesk] + arguments).map(shellQuoted).joined(separator: " ")
        return try Processes.run(script, ["-qec", command, "/dev/null"], environment: environment(extra), in: path)
    }

    /// Runs a command that must succeed, failing the test (with its stderr) otherwise.
    @discardableResult
    public func ok(_ arguments: [String], stdin: Data? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> Ran {
        let result = try run(arguments, stdin: stdin)
        XCTAssertEqual(result.status, 0, "helpdesk \(arguments.joined(separator: " ")) failed: \(result.stderr)",
                       file: file, line: line)
        return result
    }
}
