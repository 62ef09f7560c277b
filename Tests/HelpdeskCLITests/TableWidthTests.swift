import XCTest

/// Tables line up in terminal columns, measured as the console measures them: a CJK character
/// takes two, a combining accent none, an emoji two.
final class TableWidthTests: CLITestCase {
    func testAgentListAlignsWideAndCombiningNames() throws {
        try cli.ok("init", "--name", "Root")
        try cli.ok("agent", "add", "amy", "--name", "山田太郎")
        try cli.ok("agent", "add", "bob", "--name", "Jose\u{301}")
        try cli.ok("agent", "add", "zoe", "--name", "Zoë 👍")
        XCTAssertEqual(try cli.ok("agent", "list").stdoutLines, [
            "ACCOUNT  NAME      ROLE        TIER  ACTIVE",
            "root     Root      supervisor  3     yes",
            "amy      山田太郎  agent       1     yes",
            "bob      Jose\u{301}      agent       1     yes",
            "zoe      Zoë 👍    agent       1     yes",
        ])
    }

    func testListCutsAWideSubjectByColumns() throws {
        try cli.setUpDesk()
        let subject = String(repeating: "漢", count: 40)
        let id = try cli.newTicket(subject: subject)
        let row = try XCTUnwrap(try cli.ok("list").stdoutLines.last)
        XCTAssertTrue(row.hasPrefix("\(id) "), row)
        // 60 columns at most: 29 wide characters (58 columns) and the ellipsis.
        XCTAssertTrue(row.hasSuffix("  " + String(repeating: "漢", count: 29) + "…"), row)
    }
}
