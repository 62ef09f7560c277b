import Foundation
import XCTest

/// What one run of the `helpdesk` binary did.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
    var stdoutData: Data
}

/// The real `helpdesk` binary against a desk in a fresh temporary folder, with a mail
/// configuration beside its log and the corpus at hand.
final class MailHarness: @unchecked Sendable {
    static let binary: URL = {
        let bundle = Bundle(for: MailHarness.self).bundleURL
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [bundle.deletingLastPathComponent().appendingPathComponent("helpdesk"),
                          packageRoot.appendingPathComponent(".build/debug/helpdesk")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }()

    let directory: URL
    var logPath: String { directory.appendingPathComponent("desk.log").path }
    var storePath: String { logPath + ".mail" }
    var configPath: String { storePath + "/config.yaml" }

    init(config: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("helpdesk-mail-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let created = try run(["init", "--name", "Test Supervisor"])
        XCTAssertEqual(created.status, 0, created.stderr)
        if let config { try writeConfig(config) }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

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
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for key in ["VISUAL", "EDITOR", "XDG_DATA_HOME"] { environment[key] = nil }
        environment["HELPDESK_LOG"] = logPath
        environment["HOME"] = directory.path
        environment["TZ"] = "UTC"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        let collected = Collected()
        let group = DispatchGroup()
        for (pipe, isOut) in [(out, true), (err, false)] {
            group.enter()
            Thread.detachNewThread {
                collected.set(pipe.fileHandleForReading.readDataToEndOfFile(), isOut: isOut)
                group.leave()
            }
        }
        let payload = stdin ?? Data()
        Thread.detachNewThread {
            if !payload.isEmpty { try? input.fileHandleForWriting.write(contentsOf: payload) }
            try? input.fileHandleForWriting.close()
        }
        group.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: collected.out, as: UTF8.self),
                   stderr: String(decoding: collected.err, as: UTF8.self), stdoutData: collected.out)
    }

    /// Runs a command that must succeed.
    @discardableResult
    func ok(_ arguments: String..., stdin: Data? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> Run {
        let result = try run(arguments, stdin: stdin)
        XCTAssertEqual(result.status, 0, "helpdesk \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return result
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

    /// Waits for `condition` until `deadline` seconds pass, checking every few milliseconds.
    static func wait(seconds: TimeInterval, for condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }
}

/// Output read on other threads.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var outData = Data(), errData = Data()
    var out: Data { lock.withLock { outData } }
    var err: Data { lock.withLock { errData } }

    func set(_ data: Data, isOut: Bool) {
        lock.withLock {
            if isOut { outData = data } else { errData = data }
        }
    }
}

extension MailHarness {
    /// Runs the binary with a pseudo-terminal as its standard input, output and error (python3's
    /// pty module): what a person at a terminal would see, and the exit status.
    func inTerminal(_ arguments: [String]) throws -> (status: Int32, output: String) {
        // pty.spawn copies what the child writes to its terminal onto python's stdout, a pipe here.
        let script = "import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, Self.binary.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HELPDESK_LOG"] = logPath
        environment["HOME"] = directory.path
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
