import Foundation
import XCTest

/// The console's reply takes the same road as `helpdesk reply`: on a ticket that came by mail,
/// it reaches sendmail at once, with no `helpdesk deliver`, and the status line says so.
final class ConsoleMailE2ETests: ConsoleE2ECase {
    func testAReplyOnAMailedTicketReachesSendmailWithoutDeliver() throws {
        try makeDemoDesk()
        let sent = directory.appendingPathComponent("sent.eml").path
        let sendmail = try script("sendmail.sh", "cat > \(shellQuoted(sent))\n")
        try FileManager.default.createDirectory(atPath: logPath + ".mail", withIntermediateDirectories: true)
        try "address: support@acme.example\nsendmail: \(sendmail)\n"
            .write(toFile: logPath + ".mail/config.yaml", atomically: true, encoding: .utf8)
        let message = "From: Giulia Rossi <giulia@example.com>\r\nTo: support@acme.example\r\nSubject: Export stops halfway\r\n"
            + "Message-ID: <e2e-export@example.com>\r\n\r\nThe export stops at 50%.\r\n"
        let ingest = try desk.run(["ingest"], stdin: Data(message.utf8))
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        let id = try XCTUnwrap(Int(ingest.stdout.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""),
                               ingest.stdout)

        let (editor, body) = try editorSaving()
        try "Hi Giulia, a fix for the export is out.\n".write(toFile: body, atomically: true, encoding: .utf8)
        try openConsole(environment: ["EDITOR": editor])
        try select(id)
        try tmux.type("main", "r")
        try waitForScreen(contains: "sent the reply on #\(id): mailed to giulia@example.com")

        let mailed = try String(contentsOfFile: sent, encoding: .utf8)
        XCTAssertTrue(mailed.contains("Hi Giulia, a fix for the export is out."), mailed)
        XCTAssertTrue(mailed.contains("Export stops halfway"), mailed)
        let replies = try XCTUnwrap(try ticket(id)["messages"] as? [[String: Any]]).filter { $0["kind"] as? String == "reply" }
        XCTAssertEqual(replies.count, 1)
        XCTAssertEqual((replies.first?["delivery"] as? [String: Any])?["state"] as? String, "sent",
                       "recorded as sent, with no helpdesk deliver")
    }
}

extension ConsoleE2ECase {
    /// A shell script in the test's folder, made executable; returns its path.
    func script(_ name: String, _ body: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try ("#!/bin/sh\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    /// An $EDITOR that saves whatever the file at `body` holds then; returns both paths.
    func editorSaving() throws -> (editor: String, body: String) {
        let body = directory.appendingPathComponent("body.txt").path
        try "".write(toFile: body, atomically: true, encoding: .utf8)
        return (try script("editor.sh", "cat \(shellQuoted(body)) > \"$1\"\n"), body)
    }
}
