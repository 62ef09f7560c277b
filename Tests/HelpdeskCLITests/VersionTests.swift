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
}
