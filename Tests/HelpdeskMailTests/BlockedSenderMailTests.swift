import Foundation
import XCTest

/// `helpdesk block`: mail from a blocked sender is quarantined and opens nothing, a JSON intake
/// line from one is answered "blocked", and nothing is ever sent to one.
final class BlockedSenderMailTests: XCTestCase {
    private func json<T>(_ run: Run, as type: T.Type = [[String: Any]].self) throws -> T {
        try XCTUnwrap(JSONSerialization.jsonObject(with: run.stdoutData) as? T, run.stdout)
    }

    private func makeDesk() throws -> (MailHarness, sent: String) {
        let desk = try MailHarness()
        let sent = desk.directory.appendingPathComponent("sent").path
        try FileManager.default.createDirectory(atPath: sent, withIntermediateDirectories: true)
        let sendmail = try desk.script("fake-sendmail", "f=$(mktemp \(sent)/mail.XXXXXX) && cat > \"$f\"\n")
        try desk.writeConfig("address: support@acme.example\nsendmail: \(sendmail) -t -i\n")
        return (desk, sent)
    }

    func testMailFromABlockedSenderIsQuarantinedAndNothingIsSentToIt() throws {
        let (desk, sent) = try makeDesk()
        try desk.ingest("plain.eml")
        // A reply waits in the outbox (delivery is held back by a sendmail that fails).
        _ = try desk.script("fake-sendmail", "cat > /dev/null\nexit 75\n")
        _ = try desk.run(["reply", "1", "--body", "On it"])
        XCTAssertEqual((try desk.messages(1)[1]["delivery"] as? [String: Any])?["state"] as? String, "failed")

        let blocked = try desk.ok("block", "@Example.com", "--reason", "phishing \u{1B}[2J")
        XCTAssertEqual(blocked.stdout, "blocked @example.com; 1 mail waiting to go to it will not be sent\n")
        let list = try json(try desk.ok("block", "list", "--json"))
        XCTAssertEqual(list.count, 1)
        XCTAssertEqual(list.first?["pattern"] as? String, "@example.com")
        XCTAssertEqual(list.first?["domain"] as? Bool, true)
        XCTAssertEqual(list.first?["reason"] as? String, "phishing \u{1B}[2J")
        XCTAssertEqual(list.first?["by"] as? String, NSUserName())
        let table = try desk.ok("block", "list").stdout
        XCTAssertTrue(table.hasPrefix("BLOCKED"), table)
        XCTAssertFalse(table.contains("\u{1B}"), "a reason is printed safely: \(table)")

        XCTAssertTrue(try desk.ok("customer", "jane@example.com").stdout.contains("BLOCKED (@example.com): phishing ^[[2J"))
        let customer = try json(try desk.ok("customer", "jane@example.com", "--json"), as: [String: Any].self)
        XCTAssertEqual((customer["blocked"] as? [String: Any])?["pattern"] as? String, "@example.com")

        // The waiting mail never goes, even when sendmail works again.
        _ = try desk.script("fake-sendmail", "f=$(mktemp \(sent)/mail.XXXXXX) && cat > \"$f\"\n")
        XCTAssertEqual(try desk.ok("deliver", "--all").status, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sent), [])
        let delivery = try XCTUnwrap(try desk.messages(1)[1]["delivery"] as? [String: Any])
        XCTAssertEqual(delivery["state"] as? String, "failed")
        XCTAssertTrue((delivery["last_error"] as? String ?? "").hasPrefix("blocked: "), "\(delivery)")

        // A new reply is refused, saying why; a note is not sent, so it is recorded.
        let reply = try desk.run(["reply", "1", "--body", "Again"])
        XCTAssertEqual(reply.status, 1)
        XCTAssertTrue(reply.stderr.contains("jane@example.com is blocked (@example.com): nothing is sent to a blocked address"),
                      reply.stderr)
        try desk.ok("note", "1", "--body", "spam")

        // Mail in, even on its own thread, goes to the quarantine and opens nothing.
        let said = try desk.ingest("reply-in-reply-to.eml")
        XCTAssertTrue(said.hasPrefix("quarantined "), said)
        let quarantined = try json(try desk.ok("quarantine", "list", "--json"))
        XCTAssertEqual(quarantined.map { $0["reason"] as? String }, ["blocked"])
        XCTAssertEqual(try desk.messages(1).count, 3, "the customer's mail, the reply and the note only")
        let id = try XCTUnwrap(quarantined.first?["id"] as? String)
        let release = try desk.run(["quarantine", "release", String(id.prefix(10))])
        XCTAssertEqual(release.status, 1)
        XCTAssertTrue(release.stderr.contains("is blocked (@example.com); unblock it first"), release.stderr)

        XCTAssertEqual(try desk.ok("unblock", "@example.com").stdout, "unblocked @example.com\n")
        XCTAssertTrue(try desk.ok("quarantine", "release", String(id.prefix(10))).stdout.contains("added to ticket 1"))
        XCTAssertEqual(try json(try desk.ok("block", "list", "--json")).count, 0)
    }

    func testAJSONIntakeLineFromABlockedSenderIsAnsweredBlockedAndTheOthersAreTaken() throws {
        let (desk, _) = try makeDesk()
        try desk.ok("block", "spam@example.com")
        let batch = """
            {"channel":"chat","customer":{"email":"SPAM@example.com"},"subject":"Deals","body":"Buy","external_id":"c-1"}
            {"channel":"chat","customer":{"email":"sam@example.com"},"subject":"Login","body":"Help","external_id":"c-2"}
            """
        let ran = try desk.run(["ingest", "--json"], stdin: Data(batch.utf8))
        XCTAssertEqual(ran.status, 0, "a blocked line is not a bad one: \(ran.stderr)")
        let lines = try ran.stdout.split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(lines.map { $0["error"] as? String }, ["blocked", nil])
        XCTAssertEqual(lines.map { $0["result"] as? String }, [nil, "opened"])
        XCTAssertEqual(try desk.ticketCount(), 1)
    }

    func testBadPatternsAndAgentsAreRefusedNamingWhy() throws {
        let (desk, _) = try makeDesk()
        let bad = try desk.run(["block", "not-an-address"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("bad sender \"not-an-address\""), bad.stderr)
        try desk.ok("block", "@spam.example")
        let twice = try desk.run(["block", "@SPAM.example"])
        XCTAssertEqual(twice.status, 1)
        XCTAssertTrue(twice.stderr.contains("@spam.example is blocked already"), twice.stderr)
        let absent = try desk.run(["unblock", "jo@spam.example"])
        XCTAssertEqual(absent.status, 1)
        XCTAssertTrue(absent.stderr.contains("jo@spam.example is not blocked; it falls under @spam.example"), absent.stderr)
    }
}
