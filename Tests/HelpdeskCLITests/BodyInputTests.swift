import Foundation
import XCTest

/// Where a reply's body comes from: --body, stdin when it is not a terminal, else $VISUAL/$EDITOR.
final class BodyInputTests: CLITestCase {
    /// An editor that writes a fixed text into the file it is given.
    private func makeEditor(_ text: String) throws -> String {
        let path = cli.directory.appendingPathComponent("editor.sh").path
        try "#!/bin/sh\nprintf '%s\\n' '\(text)' > \"$1\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    private func messages(_ id: Int) throws -> [[String: Any]] {
        try XCTUnwrap(cli.ticket(id)["messages"] as? [[String: Any]])
    }

    func testStdinThatIsNotATerminalIsTheBodyAndTheEditorIsNotRun() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        try cli.newTicket()
        let editor = try makeEditor("from the editor")
        let environment = ["EDITOR": editor, "VISUAL": editor]

        let replied = try cli.run(["reply", "1", "--as", "alice"], stdin: Data("Line one\nLine two\n".utf8), environment: environment)
        XCTAssertEqual(replied.status, 0, replied.stderr)
        XCTAssertEqual(try messages(1).last?["body"] as? String, "Line one\nLine two")

        // --body "" is refused, not handed to the editor.
        let empty = try cli.run(["reply", "1", "--body", ""], environment: environment)
        XCTAssertEqual(cli.assertOneLineError(empty, status: 1, ["reply", "1", "--body", ""]), "helpdesk: the reply is empty")
        // An empty stdin (here /dev/null) is an empty reply too.
        let none = try cli.run(["reply", "1"], environment: environment)
        XCTAssertEqual(cli.assertOneLineError(none, status: 1, ["reply", "1"]), "helpdesk: the reply is empty")
        XCTAssertEqual(try messages(1).map { $0["kind"] as? String }, ["reply"])
    }

    /// With a terminal on stdin (from script(1)), the body comes from $EDITOR.
    func testTheEditorWritesTheBodyWhenStdinIsATerminal() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        try cli.newTicket()
        func inTerminal(_ environment: [String: String]) throws -> CLIResult {
            try cli.desk.runInTerminal(["reply", "1", "--as", "alice"], environment: environment)
        }

        let written = try inTerminal(["EDITOR": try makeEditor("Written in the editor")])
        XCTAssertEqual(written.status, 0, written.stdout + written.stderr)
        XCTAssertTrue(written.stdout.contains("replied on ticket 1"), written.stdout)
        XCTAssertEqual(try messages(1).last?["body"] as? String, "Written in the editor")
        XCTAssertEqual(try messages(1).last?["author"] as? String, "alice")

        let failed = try inTerminal(["EDITOR": "false"])
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stdout.contains("helpdesk: the editor (false) failed with status 1; nothing was sent"), failed.stdout)

        let noEditor = try inTerminal([:])
        XCTAssertEqual(noEditor.status, 64)
        XCTAssertTrue(noEditor.stdout.contains("no reply given: use --body, pipe it on standard input, or set $EDITOR"), noEditor.stdout)
        XCTAssertEqual(try messages(1).count, 1, "only the editor's reply was added")
    }
}
