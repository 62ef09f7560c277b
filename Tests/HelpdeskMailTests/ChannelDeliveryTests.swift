import Foundation
import XCTest
@testable import HelpdeskMail

/// Replies go back on every channel: a chat ticket's reply through the channel's command (JSON on
/// stdin, through the outbox), none without one, and files attached to replies by mail and by chat.
final class ChannelDeliveryTests: XCTestCase {
    private let chatLine = """
        {"channel":"chat","customer":{"email":"sam@example.com","name":"Sam","phone":"+44 20 7946 0001"},"subject":"Login help","body":"I cannot log in","external_id":"conv-9/1"}

        """

    private func jsonObject(_ data: Data) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// A desk with a chat ticket (#1); `bridge` is a command that keeps each reply it is given in `delivered/`.
    private func makeDesk() throws -> (MailHarness, delivered: String, bridge: String) {
        let desk = try MailHarness()
        try desk.writeConfig("address: support@acme.example\nsendmail: /bin/false\nattachment_limit: 1KB\n")
        let delivered = desk.directory.appendingPathComponent("delivered").path
        try FileManager.default.createDirectory(atPath: delivered, withIntermediateDirectories: true)
        let bridge = try desk.script("bridge", "f=$(mktemp \(delivered)/reply.XXXXXX) && cat > \"$f\"\n")
        XCTAssertEqual(try desk.run(["ingest", "--json"], stdin: Data(chatLine.utf8)).status, 0)
        return (desk, delivered, bridge)
    }

    private func deliveries(_ folder: String) throws -> [[String: Any]] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map {
            try jsonObject(try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\($0)")))
        }
    }

    func testAChatReplyWithoutACommandIsRecordedAsNotSentAndWithOneGoesOutOnceAsJSON() throws {
        let (desk, delivered, bridge) = try makeDesk()
        let unsent = try desk.ok("reply", "1", "--body", "Try resetting it")
        XCTAssertTrue(unsent.stdout.contains("NOT SENT: not delivered: no delivery command for the chat channel"), unsent.stdout)
        XCTAssertTrue(try desk.ok("show", "1").stdout.contains("NOT SENT: not delivered"))
        XCTAssertTrue(try desk.ok("deliver", "--list").stdout.contains("failed"), "listed, never tried again")

        XCTAssertEqual(try desk.ok("channel", "set", "chat", "--send", bridge).stdout, "replies on chat go to: \(bridge)\n")
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: try desk.ok("channel", "list", "--json").stdoutData)
                                 as? [[String: Any]])
        XCTAssertEqual(list.map { $0["channel"] as? String }, ["chat", "social", "web"])
        XCTAssertEqual(list.first?["send"] as? String, bridge)
        try "log line\n".write(toFile: desk.directory.appendingPathComponent("trace.log").path, atomically: true, encoding: .utf8)

        let sent = try desk.ok("reply", "1", "--body", "Here is the trace", "--attach",
                               desk.directory.appendingPathComponent("trace.log").path)
        XCTAssertEqual(sent.stdout, "replied on ticket 1; delivered on chat\n")
        try desk.ok("deliver", "--all")
        let replies = try deliveries(delivered)
        XCTAssertEqual(replies.count, 1, "the earlier reply stays not sent; this one goes once")
        let reply = try XCTUnwrap(replies.first)
        XCTAssertEqual(reply["channel"] as? String, "chat")
        XCTAssertEqual(reply["external_id"] as? String, "conv-9/1")
        XCTAssertEqual(reply["ticket"] as? Int, 1)
        XCTAssertEqual(reply["body"] as? String, "Here is the trace")
        XCTAssertEqual((reply["customer"] as? [String: Any])?["phone"] as? String, "+44 20 7946 0001")
        XCTAssertFalse((reply["id"] as? String ?? "").isEmpty)
        let file = try XCTUnwrap((reply["attachments"] as? [[String: Any]])?.first)
        XCTAssertEqual(file["name"] as? String, "trace.log")
        XCTAssertEqual(file["type"] as? String, "text/plain")
        XCTAssertEqual(Data(base64Encoded: file["content_base64"] as? String ?? ""), Data("log line\n".utf8))
        XCTAssertTrue(try desk.ok("show", "1").stdout.contains("delivered"))
    }

    func testAFailingBridgeIsRetriedByDeliverAndTheReplyGoesOnce() throws {
        let (desk, delivered, _) = try makeDesk()
        let flaky = try desk.script("flaky", "cat > /dev/null\necho 'bridge down' >&2\nexit 1\n")
        try desk.ok("channel", "set", "chat", "--send", flaky)
        let failed = try desk.run(["reply", "1", "--body", "On it"])
        XCTAssertEqual(failed.status, 75, "recorded, not sent yet")
        XCTAssertTrue(failed.stderr.contains("bridge down"), failed.stderr)
        _ = try desk.script("flaky", "f=$(mktemp \(delivered)/reply.XXXXXX) && cat > \"$f\"\n")
        try desk.ok("deliver", "--all")
        try desk.ok("deliver", "--all")
        XCTAssertEqual(try deliveries(delivered).map { $0["body"] as? String }, ["On it"])
    }

    func testOnlyAFileOfTheDesksOwnerSaysWhatRunsAndChannelsAreChecked() throws {
        let (desk, _, bridge) = try makeDesk()
        try desk.ok("channel", "set", "chat", "--send", bridge)
        let file = desk.storePath + "/channels.yaml"
        XCTAssertEqual(chown(file, 65534, 65534), 0)
        let refused = try desk.run(["channel", "list"])
        XCTAssertEqual(refused.status, 77, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("channels.yaml"), refused.stderr)
        XCTAssertEqual(try desk.run(["channel", "set", "phone", "--send", "x"]).status, 64)
        XCTAssertEqual(try desk.run(["channel", "set", "chat"]).status, 64)
    }

    func testAReplyByMailCarriesItsFilesAndAFileOverTheLimitIsRefusedLeavingNothing() throws {
        let desk = try MailHarness()
        let sent = desk.directory.appendingPathComponent("sent").path
        try FileManager.default.createDirectory(atPath: sent, withIntermediateDirectories: true)
        let sendmail = try desk.script("fake-sendmail", "f=$(mktemp \(sent)/mail.XXXXXX) && cat > \"$f\"\n")
        try desk.writeConfig("address: support@acme.example\nsendmail: \(sendmail) -t -i\nattachment_limit: 1KB\n")
        try desk.ingest("plain.eml")
        let small = desk.directory.appendingPathComponent("invoice.pdf").path
        try Data([0x25, 0x50, 0x44, 0x46, 0x00, 0xFF]).write(to: URL(fileURLWithPath: small))
        let big = desk.directory.appendingPathComponent("huge.bin").path
        try Data(count: 2048).write(to: URL(fileURLWithPath: big))

        let refused = try desk.run(["reply", "1", "--body", "Two files", "--attach", small, "--attach", big])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("huge.bin: it is 2.0 KB; replies carry files up to 1.0 KB"), refused.stderr)
        XCTAssertEqual(try desk.messages(1).count, 1, "nothing recorded")

        XCTAssertTrue(try desk.ok("reply", "1", "--body", "Your invoice", "--attach", small).stdout.contains("mailed to"))
        let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: sent).first)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(sent)/\(name)"))
        let mail = try MailParser.parse(Array(bytes))
        XCTAssertEqual(mail.text.trimmingCharacters(in: .whitespacesAndNewlines), "Your invoice")
        XCTAssertEqual(mail.attachments.map(\.name), ["invoice.pdf"])
        XCTAssertEqual(mail.attachments.first?.type, "application/pdf")
        XCTAssertEqual(mail.attachments.first?.data, [0x25, 0x50, 0x44, 0x46, 0x00, 0xFF] as [UInt8])
        XCTAssertEqual(try desk.ok("attachment", "1", "1", "--force").stdoutData, Data([0x25, 0x50, 0x44, 0x46, 0x00, 0xFF]))
    }
}
