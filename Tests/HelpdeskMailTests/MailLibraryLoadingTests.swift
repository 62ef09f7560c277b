import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// GMime is loaded by the first call into it (Sources/CMailLibraries), not at start: a command
/// without mail runs on a machine that lacks it, and mail intake there fails with one line naming
/// the library, as a library missing at start-up would. The library is hidden by bind-mounting
/// /dev/null over it in a mount namespace of the command's own (as root, with unshare(1)).
final class MailLibraryLoadingTests: XCTestCase {
    func testOnlyMailNeedsGMime() throws {
        guard geteuid() == 0 else { throw XCTSkip("hiding a library needs a mount namespace: run as root") }
        guard let unshare = Processes.which("unshare") else { throw XCTSkip("unshare(1) is not installed (util-linux)") }
        let library = try XCTUnwrap(Self.installed("libgmime-3.0.so.0"), "libgmime-3.0.so.0 is not installed")
        let desk = try MailHarness()
        XCTAssertEqual(try desk.ingest("plain.eml"), "opened ticket 1\n")

        func withoutGMime(_ arguments: [String], stdin: Data? = nil) throws -> Run {
            let hide = "mount --bind /dev/null \"$0\" && exec \"$@\""
            return try Processes.run(unshare, ["--mount", "sh", "-c", hide, library, BuiltProducts.helpdesk] + arguments,
                                     environment: desk.desk.environment(), in: desk.desk.path, input: stdin)
        }
        let shown = try withoutGMime(["show", "1"])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.hasPrefix("#1 "), shown.stdout)

        let ingested = try withoutGMime(["ingest"], stdin: try MailHarness.corpus("reply-by-tag.eml"))
        XCTAssertEqual(ingested.status, 127, "exits as the dynamic loader would")
        XCTAssertTrue(ingested.stderr.hasPrefix("helpdesk: cannot load the shared library libgmime-3.0.so.0: "), ingested.stderr)
        XCTAssertEqual(ingested.stderr.filter { $0 == "\n" }.count, 1, "one line: \(ingested.stderr)")
        XCTAssertEqual(try desk.messages(1).count, 1, "nothing was recorded")
        XCTAssertTrue(try desk.ingest("reply-by-tag.eml").hasPrefix("added to ticket 1"), "with GMime back, the mail goes in")
    }

    /// The file the dynamic loader would open for `soname`, symlinks resolved.
    private static func installed(_ soname: String) -> String? {
        let folders = ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"]
        return folders.map { $0 + "/" + soname }.first { FileManager.default.fileExists(atPath: $0) }
            .map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    }
}
