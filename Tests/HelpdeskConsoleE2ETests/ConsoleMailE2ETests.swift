import Foundation
import XCTest

/// The console's reply takes the same road as `helpdesk reply`: on a ticket that came by mail,
/// it reaches sendmail at once, with no `helpdesk deliver`, off the console's loop, and the
/// status line says so.
final class ConsoleMailE2ETests: ConsoleE2ECase {
    func testAReplyOnAMailedTicketReachesSendmailWithoutDeliver() throws {
        let sent = directory.appendingPathComponent("sent.eml").path
        let id = try deskWithMailedTicket(sendmail: "cat > \(shellQuoted(sent))\n")
        try openConsoleAndReply(on: id)
        try waitForScreen(contains: "sent the reply on #\(id): mailed to giulia@example.com")

        let mailed = try String(contentsOfFile: sent, encoding: .utf8)
        XCTAssertTrue(mailed.contains("Hi Giulia, a fix for the export is out."), mailed)
        XCTAssertTrue(mailed.contains("Export stops halfway"), mailed)
        let replies = try replyDeliveryStates(id)
        XCTAssertEqual(replies.count, 1)
        XCTAssertEqual(replies.first, "sent",
                       "recorded as sent, with no helpdesk deliver")
    }

    func testTheConsoleMovesOnWhileSendmailIsSlowThenSaysItMailed() throws {
        let (id, sent, release) = try replyWithSendmailHeld()

        let other = try XCTUnwrap(Self.queueIDs(tmux.capture("main")).first { $0 != id })
        try select(other)
        XCTAssertFalse(FileManager.default.fileExists(atPath: sent), "sendmail still holds the mail")
        try select(id)
        try waitForScreen(contains: "mail queued")

        FileManager.default.createFile(atPath: release, contents: Data())
        try waitForScreen(contains: "sent the reply on #\(id): mailed to giulia@example.com", timeout: 30)
        try waitForScreen(contains: "· mailed")
        let mailed = try String(contentsOfFile: sent, encoding: .utf8)
        XCTAssertTrue(mailed.contains("Hi Giulia, a fix for the export is out."), mailed)
    }

    func testQuittingWhileTheMailIsInFlightWaitsForItToBeRecorded() throws {
        let (id, sent, release) = try replyWithSendmailHeld()
        try tmux.type("main", "q")
        try waitForScreen(contains: "waiting for the reply's mail to reach sendmail…")

        FileManager.default.createFile(atPath: release, contents: Data())
        XCTAssertEqual(try exitStatus(), 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: sent))
        XCTAssertEqual(try replyDeliveryStates(id), ["sent"],
                       "recorded as sent before the console ended: helpdesk deliver will not send it again")
    }

    /// Replies in the console on a mailed ticket whose sendmail holds the message until the test
    /// creates `release` (or 30 s pass, and the test has failed), and waits for the status line
    /// to say the reply is recorded and mailing.
    private func replyWithSendmailHeld() throws -> (id: Int, sent: String, release: String) {
        let sent = directory.appendingPathComponent("sent.eml").path
        let release = directory.appendingPathComponent("release").path
        let id = try deskWithMailedTicket(sendmail: """
            i=0
            while [ ! -e \(shellQuoted(release)) ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
            cat > \(shellQuoted(sent))

            """)
        try openConsoleAndReply(on: id)
        try waitForScreen(contains: "recorded the reply on #\(id); mailing to giulia@example.com…")
        return (id, sent, release)
    }
}

extension ConsoleE2ECase {
    /// Opens the console, moves to ticket `id` and replies "Hi Giulia…" through $EDITOR.
    func openConsoleAndReply(on id: Int) throws {
        let (editor, body) = try editorSaving()
        try "Hi Giulia, a fix for the export is out.\n".write(toFile: body, atomically: true, encoding: .utf8)
        try openConsole(environment: ["EDITOR": editor])
        try select(id)
        try tmux.type("main", "r")
    }

    /// The delivery state of each reply on ticket `id`, as `helpdesk ticket --json` gives it.
    func replyDeliveryStates(_ id: Int) throws -> [String?] {
        try XCTUnwrap(try ticket(id)["messages"] as? [[String: Any]]).filter { $0["kind"] as? String == "reply" }
            .map { ($0["delivery"] as? [String: Any])?["state"] as? String }
    }

    /// The demo desk with mail set up to go through a sendmail script of `sendmail`'s body, and
    /// a ticket that came by mail from Giulia; returns its id.
    func deskWithMailedTicket(sendmail body: String) throws -> Int {
        try makeDemoDesk()
        let sendmail = try script("sendmail.sh", body)
        try FileManager.default.createDirectory(atPath: logPath + ".mail", withIntermediateDirectories: true)
        try "address: support@acme.example\nsendmail: \(sendmail)\n"
            .write(toFile: logPath + ".mail/config.yaml", atomically: true, encoding: .utf8)
        let message = "From: Giulia Rossi <giulia@example.com>\r\nTo: support@acme.example\r\nSubject: Export stops halfway\r\n"
            + "Message-ID: <e2e-export@example.com>\r\n\r\nThe export stops at 50%.\r\n"
        let ingest = try desk.run(["ingest"], stdin: Data(message.utf8))
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        return try XCTUnwrap(Int(ingest.stdout.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""),
                             ingest.stdout)
    }

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
