import Foundation
import XCTest

/// Text from outside (Message-IDs, addresses, channels, subjects, file names) reaches stdout and
/// stderr only as `show` prints customer text: no escape sequence, C1 control or invalid UTF-8
/// gets through raw. Bytes as they came (attachments, raw mail) go to a terminal only when asked.
final class OutsideTextTests: XCTestCase {
    /// Clear the screen, set the clipboard (OSC 52), a C1 CSI, and bytes that are not UTF-8.
    static let hostile: [UInt8] = Array("\u{1B}[2J\u{1B}]52;c;ZXZpbA==\u{07}\u{9B}31m".utf8) + [0xFF, 0xFE, 0xC3]

    /// No control but newline and tab, no C1 control, and valid UTF-8.
    func assertPrintable(_ data: Data, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let bytes = [UInt8](data)
        XCTAssertNotNil(String(validating: bytes, as: UTF8.self), "\(what) is not UTF-8", file: file, line: line)
        for (index, byte) in bytes.enumerated() {
            let c1 = byte == 0xC2 && index + 1 < bytes.count && (0x80...0x9F).contains(bytes[index + 1])
            if (byte < 0x20 && byte != 10 && byte != 9) || byte == 0x7F || c1 {
                XCTFail("\(what): control byte \(byte) at \(index): \(String(decoding: bytes, as: UTF8.self))",
                        file: file, line: line)
                return
            }
        }
    }

    func assertPrintable(_ run: Run, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        assertPrintable(run.stdoutData, "\(what) stdout", file: file, line: line)
        assertPrintable(Data(run.stderr.utf8), "\(what) stderr", file: file, line: line)
    }

    func mail(messageID: [UInt8], subject: [UInt8], from: String = "jane@example.com", body: String = "Hello") -> Data {
        Data(Array("From: Jane <\(from)>\nTo: support@acme.example\nSubject: ".utf8) + subject
             + Array("\nMessage-ID: <".utf8) + messageID
             + Array(">\nContent-Type: text/plain; charset=utf-8\n\n\(body)\n".utf8))
    }

    func testIngestQuotesMessageIDsAndSubjectsSafely() throws {
        let desk = try MailHarness()
        let id = Array("x".utf8) + Self.hostile + Array("@evil.example".utf8)
        let first = try desk.run(["ingest"], stdin: mail(messageID: id, subject: Array("Hi ".utf8) + Self.hostile))
        XCTAssertEqual(first.status, 0, first.stderr)
        assertPrintable(first, "ingest")
        let again = try desk.run(["ingest"], stdin: mail(messageID: id, subject: Array("Hi ".utf8) + Self.hostile))
        XCTAssertTrue(again.stdout.hasPrefix("already taken: message <x"), again.stdout)
        assertPrintable(again, "ingest of a resend")
        let reused = try desk.run(["ingest"], stdin: mail(messageID: id, subject: Array("Other".utf8), body: "Other bytes"))
        XCTAssertTrue(reused.stdout.contains("was used before by another message (on ticket 1)"), reused.stdout)
        assertPrintable(reused, "ingest of a reused id")
        for arguments in [["list"], ["show", "1"], ["show", "2"], ["history", "1"], ["events"], ["status"], ["customer", "jane@example.com"],
                          ["list", "--json"], ["show", "1", "--json"], ["export"]] {
            let run = try desk.run(arguments)
            XCTAssertEqual(run.status, 0, "\(arguments): \(run.stderr)")
            assertPrintable(run, arguments.joined(separator: " "))
        }
        // CSV is data: through a pipe it is what was written; on a terminal it is made visible.
        let csv = try desk.run(["export", "--format", "csv"])
        XCTAssertTrue(csv.stdout.contains("Hi \u{1B}[2J"), csv.stdout)
        let shown = try desk.inTerminal(["export", "--format", "csv"])
        XCTAssertEqual(shown.status, 0, shown.output)
        XCTAssertTrue(shown.output.contains("Hi ^[[2J^[]52;c;ZXZpbA==^G"), shown.output)
        assertPrintable(Data(shown.output.replacingOccurrences(of: "\r\n", with: "\n").utf8), "export --format csv on a terminal")
    }

    func testQuarantineAndRefusalsQuoteSafely() throws {
        let desk = try MailHarness()
        // Bulk mail for no ticket goes to the quarantine; its subject is listed.
        var bulk = [UInt8](mail(messageID: Array("b@x".utf8), subject: Array("Deals ".utf8) + Self.hostile))
        bulk = Array("Precedence: bulk\n".utf8) + bulk
        let quarantined = try desk.run(["ingest"], stdin: Data(bulk))
        XCTAssertTrue(quarantined.stdout.hasPrefix("quarantined"), quarantined.stdout)
        assertPrintable(quarantined, "ingest into the quarantine")
        let list = try desk.ok("quarantine", "list")
        XCTAssertTrue(list.stdout.contains("Deals ^[[2J^[]52;c;ZXZpbA==^G"), list.stdout)
        assertPrintable(list, "quarantine list")
        assertPrintable(try desk.ok("quarantine", "list", "--json"), "quarantine list --json")
        let id = try XCTUnwrap(list.stdout.split(separator: "\n").dropFirst().first?.split(separator: " ").first)
        assertPrintable(try desk.ok("quarantine", "show", String(id)), "quarantine show")

        // Errors quote what was typed, made visible.
        let typed = String(decoding: Self.hostile, as: UTF8.self)
        for arguments in [["customer", typed + "@x.example"], ["show", typed], ["quarantine", "show", typed],
                          ["agent", "set", typed, "--tier", "2"], ["agent", "add", typed], ["import", "customers", typed],
                          ["export", "--since", typed], ["--no-such-flag" + typed]] {
            let run = try desk.run(arguments)
            XCTAssertNotEqual(run.status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(run.stderr.contains("^[[2J") || run.stderr.contains("\u{FFFD}"), "\(arguments): \(run.stderr)")
            assertPrintable(run, arguments.joined(separator: " "))
        }
    }

    func testJSONIntakeEchoesBadValuesSafely() throws {
        let desk = try MailHarness()
        let escaped = #"\u001b[2J\u001b]52;c;ZXZpbA==\u0007\u009b31m"#
        let lines = [
            #"{"channel":"chat"# + escaped + #"","customer":{"email":"a@example.com"},"subject":"s","body":"b","external_id":"1"}"#,
            #"{"channel":"chat","customer":{"email":"bad"# + escaped + #""},"subject":"s","body":"b","external_id":"2"}"#,
        ]
        let run = try desk.run(["ingest", "--json"], stdin: Data(lines.joined(separator: "\n").utf8))
        XCTAssertEqual(run.status, 65)
        XCTAssertTrue(run.stderr.contains("line 1: field 'channel': unknown channel 'chat^[[2J^[]52;c;ZXZpbA==^G\u{FFFD}31m'"),
                      run.stderr)
        XCTAssertTrue(run.stderr.contains("line 2: field 'customer.email': bad email address 'bad^[[2J"), run.stderr)
        assertPrintable(run, "ingest --json")
    }

    // MARK: - Bytes as they came

    func testAttachmentsAndRawMailGoToATerminalOnlyWithForce() throws {
        let desk = try MailHarness()
        try desk.ingest("attachments-rfc2231.eml")
        try desk.ingest("garbage.bin")
        let quarantined = try XCTUnwrap(try desk.ok("quarantine", "list").stdout.split(separator: "\n").dropFirst().first?
            .split(separator: " ").first.map(String.init))
        for (arguments, what) in [(["attachment", "1", "1"], "écran de démarrage.png"),
                                  (["quarantine", "show", quarantined, "--raw"], "the raw message")] {
            let refused = try desk.inTerminal(arguments)
            XCTAssertEqual(refused.status, 64, refused.output)
            XCTAssertTrue(refused.output.contains("helpdesk: not writing \(what) to a terminal"), refused.output)
            XCTAssertTrue(refused.output.contains("use -o FILE, a pipe, or --force"), refused.output)
            XCTAssertFalse(refused.output.contains("PNG") || refused.output.contains("\u{FFFD}"), refused.output)

            let forced = try desk.inTerminal(arguments + ["--force"])
            XCTAssertEqual(forced.status, 0, forced.output)
            XCTAssertFalse(forced.output.contains("not writing"), forced.output)

            // Through a pipe, and to a file, as before.
            let piped = try desk.run(arguments)
            XCTAssertEqual(piped.status, 0, piped.stderr)
            XCTAssertFalse(piped.stdoutData.isEmpty)
            let file = desk.directory.appendingPathComponent("out-\(arguments[0])").path
            let written = try desk.inTerminal(arguments + ["-o", file])
            XCTAssertEqual(written.status, 0, written.output)
            XCTAssertEqual(FileManager.default.contents(atPath: file), piped.stdoutData)

            // A symlink planted where the file is to go is refused, not followed.
            let victim = desk.directory.appendingPathComponent("victim-\(arguments[0])").path
            try Data("untouched".utf8).write(to: URL(fileURLWithPath: victim))
            let planted = desk.directory.appendingPathComponent("planted-\(arguments[0])").path
            try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: victim)
            let refusedLink = try desk.run(arguments + ["-o", planted])
            XCTAssertEqual(refusedLink.status, 74, refusedLink.stderr)
            XCTAssertTrue(refusedLink.stderr.contains("cannot write \(planted)"), refusedLink.stderr)
            XCTAssertEqual(FileManager.default.contents(atPath: victim), Data("untouched".utf8))
        }
        XCTAssertEqual(try desk.run(["quarantine", "show", quarantined, "--force"]).status, 64, "--force goes with --raw")
    }
}
