import Foundation
import HelpdeskTestSupport
import XCTest

/// `helpdesk search` and `list --text` through the real binary, on a file desk or (with
/// HELPDESK_TEST_STORE=postgres) a database desk.
final class SearchCommandTests: CLITestCase {
    /// #1 "Printer jams" (paper jam), #2 "Invoice wrong" with a note about toner, #3 "Printer
    /// toner empty" closed, #4 "Cannot log in" from Omar, tagged vip.
    private func setUpDesk() throws {
        try cli.setUpDesk(agents: [("alice", [])])
        try cli.newTicket("jane@example.com", subject: "Printer jams", stdin: "The paper jam happens every morning.")
        try cli.newTicket("jane@example.com", subject: "Invoice wrong", stdin: "My invoice shows the wrong amount.")
        try cli.ok("note", "2", "--body", "Probably the toner surcharge again.")
        try cli.newTicket("kim@example.com", subject: "Printer toner empty", stdin: "Please send a cartridge.")
        try cli.ok("close", "3")
        try cli.newTicket("omar@example.org", subject: "Cannot log in", stdin: "Password reset mail never comes.")
        try cli.ok("tag", "4", "vip")
    }

    private func found(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> [Int] {
        let result = try cli.run(["search", "--json"] + arguments)
        XCTAssertEqual(result.status, 0, "search \(arguments): \(result.stderr)", file: file, line: line)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]], file: file, line: line)
        return rows.compactMap { $0["id"] as? Int }
    }

    func testFindsWordsPhrasesPrefixesAndExclusions() throws {
        try setUpDesk()
        XCTAssertEqual(try found("printer"), [1], "closed tickets only with --status")
        XCTAssertEqual(Set(try found("printer", "--status", "all")), [1, 3])
        XCTAssertEqual(try found("printer", "--status", "closed"), [3])
        XCTAssertEqual(try found("toner"), [2], "a word only in a note")
        XCTAssertEqual(try found("printer", "-jam", "--status", "all"), [3], "-word excludes")
        XCTAssertEqual(try found("\"paper jam\""), [1])
        XCTAssertEqual(try found("\"jam paper\""), [])
        XCTAssertEqual(try found("passw*"), [4])
        XCTAssertEqual(try found("omar"), [4], "the customer's name")
        XCTAssertEqual(try found("omar@example.org"), [4], "the customer's email")
        XCTAssertEqual(try found("vip"), [4], "a tag")
        XCTAssertEqual(try found("invoice toner"), [2], "words ANDed over subject and note")
        XCTAssertEqual(try found("wrong", "--limit", "1").count, 1)
        XCTAssertEqual(try found("printer jams toner"), [])
    }

    func testJSONFieldsAndTheTable() throws {
        try setUpDesk()
        try cli.ok("take", "2", "--as", "alice")
        let rows = try cli.array("search", "toner", "--json")
        XCTAssertEqual(rows.count, 1)
        let row = try XCTUnwrap(rows.first)
        XCTAssertEqual(Set(row.keys), ["id", "subject", "status", "assignee", "snippet", "score"])
        XCTAssertEqual(row["id"] as? Int, 2)
        XCTAssertEqual(row["subject"] as? String, "Invoice wrong")
        XCTAssertEqual(row["status"] as? String, "open")
        XCTAssertEqual(row["assignee"] as? String, "alice")
        XCTAssertEqual(row["snippet"] as? String, "Probably the [toner] surcharge again.")
        XCTAssertGreaterThan(try XCTUnwrap(row["score"] as? Double), 0)
        XCTAssertTrue(isNull(try cli.array("search", "omar", "--json").first?["assignee"]))

        let table = try cli.ok("search", "toner").stdoutLines
        XCTAssertEqual(table.count, 2)
        XCTAssertTrue(table[0].hasPrefix("ID"), table[0])
        XCTAssertTrue(table[1].hasPrefix("2 "), table[1])
        XCTAssertTrue(table[1].contains("Invoice wrong") && table[1].contains("[toner]") && table[1].contains("alice"), table[1])
    }

    func testRankedByRelevanceThenRecency() throws {
        try setUpDesk()
        try cli.newTicket("lee@example.com", subject: "Scanner", stdin: "Same printer text.")
        try cli.newTicket("lee@example.com", subject: "Toaster", stdin: "Same printer text.")
        let ids = try found("printer")
        XCTAssertEqual(ids.first, 1, "the subject weighs most")
        XCTAssertEqual(Array(ids.dropFirst()), [6, 5], "equally relevant: the latest updated first")
    }

    func testNoMatchIsNotAnError() throws {
        try setUpDesk()
        let plain = try cli.ok("search", "zeppelin")
        XCTAssertEqual(plain.stdout, "")
        XCTAssertEqual(plain.stderr, "")
        XCTAssertEqual(try cli.ok("search", "zeppelin", "--json").stdout, "[]\n")
    }

    func testBadQueriesAreNamedAndPrintNothing() throws {
        try setUpDesk()
        for (arguments, words, status) in [
            (["\"paper jam"], ["quote", "not closed"], Int32(1)),
            (["-printer"], ["-word", "give a word"], 1),
            (["--", "-"], ["no letters or digits"], 1),
            (["p*"], ["prefix", "two letters"], 1),
            (["printer", "--limit", "0"], ["--limit"], 64),
            (["printer", "--frobnicate"], ["--frobnicate"], 64),
            (["printer", "--status", "sleepy"], ["sleepy"], 64),
        ] as [([String], [String], Int32)] {
            let result = try cli.run(["search"] + arguments)
            XCTAssertEqual(result.status, status, "search \(arguments): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "search \(arguments)")
            for word in words { XCTAssertTrue(result.stderr.contains(word), "search \(arguments): \(result.stderr)") }
        }
        XCTAssertEqual(try cli.refused("search"), "helpdesk: bad search: give at least one word to find")
    }

    func testCustomerTextNeverReachesTheTerminalRaw() throws {
        try setUpDesk()
        var body = Data("Escape \u{1B}]0;pwned\u{07} and \u{1B}[2J wipe, bidi \u{202E}evil, bad bytes ".utf8)
        body.append(contentsOf: [0xFF, 0xFE, 0x41])
        let result = try cli.run(["new", "--customer", "eve@example.com", "--subject", "Hostile \u{1B}[31mred"], stdin: body)
        XCTAssertEqual(result.status, 0, result.stderr)
        for arguments in [["search", "wipe"], ["search", "hostile"], ["search", "wipe", "--json"]] {
            let output = try cli.desk.ok(arguments)
            XCTAssertFalse(output.stdoutData.contains(0x1B), "\(arguments): \(output.stdout)")
            XCTAssertFalse(output.stdout.contains("\u{202E}"), "\(arguments)")
            XCTAssertNotNil(String(data: output.stdoutData, encoding: .utf8), "\(arguments): valid UTF-8")
            XCTAssertTrue(output.stdout.contains("wipe") || output.stdout.contains("Hostile"), output.stdout)
        }
    }

    func testFollowsWritesAndSurvivesLosingItsIndex() throws {
        try setUpDesk()
        XCTAssertEqual(try found("cartridge", "--status", "all"), [3])
        try cli.ok("note", "1", "--body", "Ordered a new fuser from the vendor.")
        XCTAssertEqual(try found("passw*"), [4])
        try cli.ok("close", "4")
        XCTAssertEqual(try found("fuser"), [1], "a note written since")
        XCTAssertEqual(try found("passw*"), [], "closed since")
        for index in try indexFiles() { try FileManager.default.removeItem(atPath: index) }
        XCTAssertEqual(try found("fuser"), [1], "rebuilt from the log")
        XCTAssertFalse(try indexFiles().isEmpty)
    }

    /// The desk's search index: beside the log, or for a database desk in this home's cache.
    private func indexFiles() throws -> [String] {
        let folder = cli.desk.store == nil ? cli.desk.path : cli.desk.path + "/.cache/helpdesk"
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".search") }
            .map { folder + "/" + $0 }
    }

    func testListTextCombinesWithTheOtherFilters() throws {
        try setUpDesk()
        XCTAssertEqual(try cli.listedIDs("--text", "printer"), [1])
        XCTAssertEqual(try cli.listedIDs("--text", "printer", "--status", "all"), [1, 3])
        XCTAssertEqual(try cli.listedIDs("--text", "jane@example.com", "--sort", "newest"), [2, 1])
        XCTAssertEqual(try cli.listedIDs("--text", "toner", "--status", "all", "--priority", "normal"), [2, 3])
        XCTAssertEqual(try cli.listedIDs("--text", "toner -surcharge", "--status", "all"), [3])
        XCTAssertEqual(try cli.listedIDs("--text", "zeppelin"), [])
        let bad = try cli.run(["list", "--text", "\"unclosed"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stdout, "")
        XCTAssertTrue(bad.stderr.contains("not closed"), bad.stderr)
    }

    func testSavedViewsKeepTheirText() throws {
        try setUpDesk()
        try cli.ok("view", "save", "toner", "--text", "toner", "--status", "all")
        XCTAssertEqual(try cli.listedIDs("--view", "toner"), [2, 3])
        let saved = try XCTUnwrap(try cli.array("view", "list", "--json").first)
        XCTAssertEqual(saved["text"] as? String, "toner")
        XCTAssertEqual(saved["arguments"] as? [String], ["--status", "all", "--text", "toner"])
        let bad = try cli.refused("view", "save", "broken", "--text", "\"unclosed")
        XCTAssertTrue(bad.contains("not closed"), bad)
        XCTAssertEqual(try cli.array("view", "list", "--json").count, 1, "nothing saved")
    }
}
