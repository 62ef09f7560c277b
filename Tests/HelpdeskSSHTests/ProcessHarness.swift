import Foundation
@_exported import HelpdeskTestSupport  // for every file of these tests
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A fresh temporary directory with a desk log in it, and the helpdesk binary run against it.
class HelpdeskProcessCase: XCTestCase {
    private(set) var directory = ""
    var logPath: String { directory + "/desk.log" }

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory("hd4").path  // short: sockets and sshd's paths live here
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
        let ran = try Processes.run(BuiltProducts.helpdesk, arguments, environment: environment, in: directory)
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
