import Foundation
import HelpdeskTestSupport
import XCTest

/// A log that a newer helpdesk wrote to (a record of an event type this one does not know, or a
/// higher format), its checksums intact: every command stops with the same message and exit 76
/// (ingest: 75, so the MTA keeps the mail), writes nothing, and never calls the log damaged.
final class ForwardCompatibilityTests: CLITestCase {
    static let unknownType = "helpdesk: this desk was written by a newer helpdesk (event type 'ticket.split', "
        + "this one reads up to format 1): upgrade helpdesk"
    static let higherFormat = "helpdesk: this desk was written by a newer helpdesk (format 2, this one reads up to 1): "
        + "upgrade helpdesk"

    func testARecordOfAnUnknownTypeStopsEveryCommandAndNothingIsWritten() throws {
        try cli.setUpDesk()
        try cli.newTicket()
        try cli.newTicket("bob@example.com", subject: "Second")
        try cli.desk.appendFutureRecord(#"{"type":"ticket.split","ticket":2,"into":1}"#)
        try assertEveryCommandStops(with: Self.unknownType)
    }

    func testAHigherFormatStopsEveryCommandAndNothingIsWritten() throws {
        try cli.desk.appendFutureRecord(#"{"type":"desk.created","format":2},"#
            + #"{"type":"agent.added","agent":"root","name":"root","role":"supervisor","tier":3}"#)
        try assertEveryCommandStops(with: Self.higherFormat)
    }

    private func assertEveryCommandStops(with message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try folderContents()
        let commands: [[String]] = [
            ["list"], ["list", "--json"], ["show", "1"], ["show", "1", "--json"], ["status"], ["status", "--json"],
            ["take", "1"], ["new", "--customer", "carol@example.com", "--subject", "Third"], ["events"],
            ["events", "--json"], ["export"], ["export", "--format", "csv"], ["report"], ["history", "1"],
        ]
        for command in commands {
            let result = try cli.run(command)
            XCTAssertEqual(cli.assertOneLineError(result, status: 76, command, file: file, line: line), message,
                           file: file, line: line)
            XCTAssertEqual(try folderContents(), before, "\(command) wrote something", file: file, line: line)
        }
        for repair in [false, true] {
            let command = ["fsck"] + (repair ? ["--repair"] : [])
            let result = try cli.run(command)
            if repair, cli.desk.onDatabase {
                // A database desk is never cut by fsck: --repair is refused before anything is read.
                XCTAssertEqual(result.status, 74, "\(command): \(result.stderr)", file: file, line: line)
                XCTAssertTrue(result.stderr.contains("a database desk is repaired from its backups"), result.stderr,
                              file: file, line: line)
                XCTAssertEqual(try folderContents(), before, "\(command) changed a byte", file: file, line: line)
                continue
            }
            XCTAssertEqual(result.status, 76, "\(command): \(result.stderr)", file: file, line: line)
            XCTAssertEqual(result.stderr, message + "\n", file: file, line: line)
            XCTAssertTrue(result.stdout.contains("unknown but intact at byte "), result.stdout, file: file, line: line)
            XCTAssertFalse(result.stdout.contains("damaged"), result.stdout, file: file, line: line)
            XCTAssertEqual(try folderContents(), before, "\(command) changed a byte", file: file, line: line)
        }
        let mail = "From: dan@example.com\nTo: support@example.com\nSubject: Help\nMessage-ID: <m1@example.com>\n\nhello\n"
        let ingest = try cli.run(["ingest"], stdin: Data(mail.utf8))
        XCTAssertEqual(ingest.status, 75, "the MTA keeps the mail and tries again: \(ingest.stderr)", file: file, line: line)
        XCTAssertTrue(ingest.stderr.contains(String(message.dropFirst("helpdesk: ".count))), ingest.stderr,
                      file: file, line: line)
        let json = try cli.run(["ingest", "--json"], stdin: Data((#"{"channel":"chat","customer":{"email":"e@example.com"},"subject":"s","body":"b","external_id":"x1"}"#
                                                      + "\n").utf8))
        XCTAssertEqual(json.status, 75, json.stderr, file: file, line: line)
        XCTAssertTrue(json.stderr.contains("written by a newer helpdesk"), json.stderr, file: file, line: line)
        XCTAssertEqual(try folderContents(), before, "ingest wrote something", file: file, line: line)
    }

    /// Every file in the desk's folder (the log, its snapshot, the mail store…) and its bytes,
    /// and a database desk's records.
    private func folderContents() throws -> [String: Data] {
        var contents: [String: Data] = cli.desk.onDatabase ? ["(the database's records)": try cli.desk.storedLog()] : [:]
        let root = cli.directory.path
        for name in try FileManager.default.subpathsOfDirectory(atPath: root) {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory)
            contents[name] = isDirectory.boolValue ? Data() : try Data(contentsOf: URL(fileURLWithPath: root + "/" + name))
        }
        return contents
    }
}
