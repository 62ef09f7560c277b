import Foundation
import XCTest

/// GMime is loaded by the first call into it (Sources/CMailLibraries), not at start: a command
/// without mail runs on a machine that lacks it, and mail intake there fails with one line naming
/// the library, as a library missing at start-up would. The library is hidden by bind-mounting
/// /dev/null over it in a mount namespace of the command's own (as root: `HiddenLibrary`).
final class MailLibraryLoadingTests: XCTestCase {
    func testOnlyMailNeedsGMime() throws {
        let gmime = try HiddenLibrary("libgmime-3.0.so.0")
        let desk = try MailHarness()
        XCTAssertEqual(try desk.ingest("plain.eml"), "opened ticket 1\n")

        let shown = try gmime.run(["show", "1"], in: desk.desk)
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.hasPrefix("#1 "), shown.stdout)

        let ingested = try gmime.run(["ingest"], in: desk.desk, stdin: try MailHarness.corpus("reply-by-tag.eml"))
        XCTAssertEqual(ingested.status, 127, "exits as the dynamic loader would")
        XCTAssertTrue(ingested.stderr.hasPrefix("helpdesk: cannot load the shared library libgmime-3.0.so.0: "), ingested.stderr)
        XCTAssertEqual(ingested.stderr.filter { $0 == "\n" }.count, 1, "one line: \(ingested.stderr)")
        XCTAssertEqual(try desk.messages(1).count, 1, "nothing was recorded")
        XCTAssertTrue(try desk.ingest("reply-by-tag.eml").hasPrefix("added to ticket 1"), "with GMime back, the mail goes in")
    }
}
