import Foundation
import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

/// The console's reply takes the same road as `helpdesk reply`: on a ticket that came by mail,
/// its mail goes out at once, through the desk's sendmail, off the console's loop, and the status
/// line says so; when it cannot, the status line says it waits for `helpdesk deliver`.
final class ConsoleMailTests: XCTestCase {
    /// A desk with a ticket that came by mail, and a console on it acting through the road.
    private func deskWithMailedTicket(config: String?) throws -> (ConsoleFixture, Console) {
        let fixture = try ConsoleFixture()
        if let config {
            try FileManager.default.createDirectory(atPath: fixture.path + ".mail", withIntermediateDirectories: true)
            try config.write(toFile: fixture.path + ".mail/config.yaml", atomically: true, encoding: .utf8)
        }
        let inbound = InboundMessage(channel: .email, externalID: "m1@customer.example", fromAddress: "jane@example.com",
                                     fromName: "Jane Doe", subject: "Printer on fire", body: "It is smoking.")
        try fixture.run(.takeIn(inbound, settings: IntakeSettings()), as: Intake.mailActor)
        let service = DeskService(log: fixture.log, identity: Identity(actor: "alice"), clock: { [unowned fixture] in fixture.now },
                                  mail: .beside(logPath: fixture.path))
        return (fixture, Console(service: service, externalEditor: false))
    }

    private func reply(_ text: String, on console: Console) {
        _ = console.handle(.character("r"))
        for character in text { _ = console.handle(.character(character)) }
        _ = console.handle(.control("d"))
    }

    /// Waits, as the loop does (poll on the console's descriptor), for the mail in flight to be done.
    private func waitForMail(on console: Console, seconds: TimeInterval = 30) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while console.hasMailInFlight {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return XCTFail("the mail was still in flight after \(Int(seconds)) s") }
            var entry = pollfd(fd: console.mailFinishedFD, events: Int16(POLLIN), revents: 0)
            _ = poll(&entry, 1, Int32(min(left, 1) * 1000))
            console.collectFinishedMail()
        }
    }

    func testAReplyReachesSendmailAtOnceWithoutDeliver() throws {
        let sent = NSTemporaryDirectory() + "console-sent-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: sent) }
        let sendmail = sent + ".sh"
        defer { try? FileManager.default.removeItem(atPath: sendmail) }
        try "#!/bin/sh\ncat > \(sent)\n".write(toFile: sendmail, atomically: true, encoding: .utf8)
        chmod(sendmail, 0o755)
        let (fixture, console) = try deskWithMailedTicket(config: "address: support@acme.example\nsendmail: \(sendmail)\n")

        reply("We are on our way.", on: console)
        try waitForMail(on: console)

        let message = try String(contentsOfFile: sent, encoding: .utf8)
        XCTAssertTrue(message.contains("To: Jane Doe <jane@example.com>"), message)
        XCTAssertTrue(message.contains("We are on our way."), message)
        XCTAssertEqual(console.state.message?.text, "sent the reply on #1: mailed to jane@example.com")
        XCTAssertEqual(console.state.message?.isError, false)
        let outbound = try XCTUnwrap(fixture.log.desk.ticket(1)?.outbound.last)
        XCTAssertEqual(outbound.state, .sent, "recorded as sent, by mail, through the same road")
    }

    func testWithoutMailSetUpTheStatusLineSaysTheReplyIsQueued() throws {
        let (fixture, console) = try deskWithMailedTicket(config: nil)

        reply("We are on our way.", on: console)

        XCTAssertEqual(console.state.message?.text,
                       "recorded the reply on #1; its mail is queued for helpdesk deliver (mail is not set up)")
        XCTAssertEqual(fixture.log.desk.ticket(1)?.outbound.last?.state, .queued)
        XCTAssertEqual(fixture.log.desk.ticket(1)?.messages.last?.kind, .reply)
    }

    func testASendmailThatFailsLeavesTheMailQueuedAndSaysWhy() throws {
        let sendmail = NSTemporaryDirectory() + "console-failing-sendmail-\(UUID().uuidString).sh"
        defer { try? FileManager.default.removeItem(atPath: sendmail) }
        try "#!/bin/sh\ncat > /dev/null\necho 'smtp.example: connection refused' >&2\nexit 75\n"
            .write(toFile: sendmail, atomically: true, encoding: .utf8)
        chmod(sendmail, 0o755)
        let (fixture, console) = try deskWithMailedTicket(config: "address: support@acme.example\nsendmail: \(sendmail)\n")

        reply("We are on our way.", on: console)
        try waitForMail(on: console)

        let said = try XCTUnwrap(console.state.message?.text)
        XCTAssertTrue(said.hasPrefix("recorded the reply on #1; its mail is queued for helpdesk deliver (not sent: "), said)
        XCTAssertTrue(said.contains("connection refused"), said)
        XCTAssertEqual(fixture.log.desk.ticket(1)?.outbound.last?.state, .failed, "the failure is recorded for deliver")
    }

    func testTheConsoleKeepsWorkingWhileSendmailIsSlowAndThenSaysItMailed() throws {
        let sent = NSTemporaryDirectory() + "console-slow-sent-\(UUID().uuidString)"
        let release = sent + ".release"
        let sendmail = sent + ".sh"
        defer { for path in [sent, release, sendmail] { try? FileManager.default.removeItem(atPath: path) } }
        // Holds the message until the test releases it (or 30 s pass, and the test has failed).
        try """
            #!/bin/sh
            i=0
            while [ ! -e \(release) ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
            cat > \(sent)
            """.write(toFile: sendmail, atomically: true, encoding: .utf8)
        chmod(sendmail, 0o755)
        let (fixture, console) = try deskWithMailedTicket(config: "address: support@acme.example\nsendmail: \(sendmail)\n")
        let inbound = InboundMessage(channel: .email, externalID: "m2@customer.example", fromAddress: "tom@example.com",
                                     fromName: "Tom", subject: "Second", body: "Another one.")
        try fixture.run(.takeIn(inbound, settings: IntakeSettings()), as: Intake.mailActor)
        console.catchUp()

        reply("We are on our way.", on: console)

        XCTAssertTrue(console.hasMailInFlight, "the reply returned while sendmail still holds the mail")
        XCTAssertEqual(console.state.message?.text, "recorded the reply on #1; mailing to jane@example.com…")
        XCTAssertEqual(fixture.log.desk.ticket(1)?.messages.last?.kind, .reply, "recorded before the mail went")
        XCTAssertEqual(fixture.log.desk.ticket(1)?.outbound.last?.state, .queued)
        let before = console.state.selected
        _ = console.handle(.character(console.queue.ids.last == before ? "k" : "j"))
        XCTAssertNotEqual(console.state.selected, before, "keys still move the selection")
        let program = ConsoleProgram(console: console, presence: nil, editor: nil)
        guard case .none = program.update(.mailFinished) else { return XCTFail("nothing finished yet, nothing to draw") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: sent))

        FileManager.default.createFile(atPath: release, contents: Data())
        try waitForMail(on: console)

        XCTAssertEqual(console.state.message?.text, "sent the reply on #1: mailed to jane@example.com")
        XCTAssertEqual(console.desk.ticket(1)?.outbound.last?.state, .sent, "the console read the outcome from the log")
        let message = try String(contentsOfFile: sent, encoding: .utf8)
        XCTAssertTrue(message.contains("We are on our way."), message)
    }

    func testTakingSomeoneElsesTicketNamesTheKeyThatTakesItAnyway() throws {
        let (fixture, console) = try deskWithMailedTicket(config: nil)
        try fixture.run(.take(ticket: 1, steal: false), as: "bob")
        console.catchUp()
        _ = console.handle(.character("t"))
        XCTAssertEqual(console.state.message?.text, "#1 is assigned to bob; press T to take it anyway")
        XCTAssertEqual(console.state.message?.isError, true)
    }
}
