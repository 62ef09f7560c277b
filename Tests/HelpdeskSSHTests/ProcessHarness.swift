import Foundation
@_exported import TestProcesses  // for every file of these tests
import XCTest
#if canImport(Glibc)
import Glibc
#endif


/// The built `helpdesk` executable: beside the test bundle, else `.build/debug` of the package.
enum Helpdesk {
    static let binary: String = {
        var candidates: [URL] = []
        let bundle = Bundle(for: HelpdeskProcessCase.self).bundleURL
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("helpdesk"))
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("helpdesk"))
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/helpdesk"))
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate.path
            }
        }
        return candidates.last!.path
    }()
}

/// A fresh temporary directory with a desk log in it, and the helpdesk binary run against it.
class HelpdeskProcessCase: XCTestCase {
    var directory = ""
    var logPath: String { directory + "/desk.log" }

    override func setUpWithError() throws {
        // Short: sockets and sshd's paths live here.
        var template = Array("/tmp/hd4-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw XCTSkip("cannot create a temporary directory") }
        directory = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    var environment: [String: String] {
        var environment = ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "HOME": directory, "LANG": "C.UTF-8",
                           "HELPDESK_LOG": logPath]
        for name in ["USER", "LOGNAME"] { environment[name] = ProcessInfo.processInfo.environment[name] }
        return environment
    }

    /// Runs `helpdesk ARGS` and expects it to succeed.
    @discardableResult
    func cli(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> Ran {
        let ran = try Processes.run(Helpdesk.binary, arguments, environment: environment, in: directory)
        XCTAssertEqual(ran.status, 0, "helpdesk \(arguments.joined(separator: " ")): \(ran.stderr)", file: file, line: line)
        return ran
    }

    /// The log's records, parsed.
    func records() throws -> [[String: Any]] {
        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    func json(_ ran: Ran) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(ran.stdout.utf8))
    }
}
