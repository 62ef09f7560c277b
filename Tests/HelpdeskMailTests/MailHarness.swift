import Foundation
@_exported import HelpdeskTestSupport  // for every file of these tests
import XCTest

/// What one run of the `helpdesk` binary did.
typealias Run = Ran

/// The real `helpdesk` binary against a desk in a fresh temporary folder, with a mail
/// configuration beside its log and the corpus at hand.
final class MailHarness: @unchecked Sendable {
    let desk: TemporaryDesk
    var directory: URL { desk.url }
    var logPath: String { desk.logPath }
    var storePath: String { logPath + ".mail" }
    var configPath: String { storePath + "/config.yaml" }

    init(config: String? = nil) throws {
        desk = try TemporaryDesk("helpdesk-mail")
        let created = try run(["init", "--name", "Test Supervisor"])
        XCTAssertEqual(created.status, 0, created.stderr)
        if let config { try writeConfig(config) }
    }

    deinit { desk.remove() }

    func writeConfig(_ text: String) throws {
        try FileManager.default.createDirectory(atPath: storePath, withIntermediateDirectories: true)
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// A shell script in the test folder (a fake sendmail), made executable.
    func script(_ name: String, _ body: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try ("#!/bin/sh\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    static func corpus(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: "Corpus/\(name)", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
        }
        return try Data(contentsOf: url)
    }

    func run(_ arguments: [String], stdin: Data? = nil, environment extra: [String: String] = [:]) throws -> Run {
        try desk.run(arguments, stdin: stdin, environment: extra)
    }

    /// Runs a command that must succeed.
    @discardableResult
    func ok(_ arguments: String..., stdin: Data? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> Run {
        try desk.ok(arguments, stdin: stdin, file: file, line: line)
    }

    /// `helpdesk ingest` of a corpus message (or bytes); must exit 0.
    @discardableResult
    func ingest(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try ingest(bytes: try Self.corpus(name), file: file, line: line)
    }

    @discardableResult
    func ingest(bytes: Data, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try run(["ingest"], stdin: bytes)
        XCTAssertEqual(result.status, 0, "ingest: \(result.stderr)", file: file, line: line)
        return result.stdout
    }

    /// `show ID --json` parsed.
    func ticket(_ id: Int, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let result = try run(["show", String(id), "--json"])
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any], file: file, line: line)
    }

    func messages(_ id: Int) throws -> [[String: Any]] {
        try ticket(id)["messages"] as? [[String: Any]] ?? []
    }

    func ticketCount() throws -> Int {
        let result = try run(["list", "--status", "all", "--json"])
        return (try JSONSerialization.jsonObject(with: result.stdoutData) as? [Any])?.count ?? -1
    }
}

extension MailHarness {
    /// What a person at a terminal would see of `helpdesk ARGUMENTS`, and its exit status.
    func inTerminal(_ arguments: [String]) throws -> Ran {
        try desk.runInTerminal(arguments)
    }
}
