import ArgumentParser
@testable import HelpdeskCLI
import XCTest

/// `helpdesk --version`: the version .ci/package builds in (from git describe), 0.0.0-dev from a plain build.
final class VersionTests: CLITestCase {
    func testVersionIsOneLineWithADebianVersion() throws {
        let result = try cli.run(["--version"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        let version = result.stdout.trimmingCharacters(in: .newlines)
        XCTAssertFalse(version.contains("\n"), version)
        XCTAssertNotNil(version.range(of: #"^[0-9]+\.[0-9]+\.[0-9]+([-+~][0-9A-Za-z.]+)?$"#, options: .regularExpression), version)
    }

    /// `--version` alone is answered before the argument parser is built: with what the parser answers.
    func testTheQuickAnswerIsTheArgumentParsers() throws {
        XCTAssertThrowsError(try HelpdeskCommand.parseAsRoot(["--version"])) { error in
            XCTAssertEqual(HelpdeskCommand.exitCode(for: error), .success)
            XCTAssertEqual(HelpdeskCommand.fullMessage(for: error), HelpdeskCommand.version)
        }
        XCTAssertEqual(try cli.run(["--version"]).stdout, HelpdeskCommand.version + "\n")
    }
}
