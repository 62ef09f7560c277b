import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskSearch
import XCTest

/// The other channels: JSON lines from bridges and web forms, CSV import of customers, export.
final class ChannelTests: XCTestCase {
    func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    func testJSONIntakeTakesGoodLinesNamesBadOnesAndIsIdempotent() throws {
        let desk = try MailHarness()
        let batch = """
            {"channel":"chat","customer":{"email":"sam@example.com","name":"Sam","phone":"+44 20 7946 0001"},"subject":"Login help","body":"I cannot log in","external_id":"conv-9/1"}
            {"channel":"chat","customer":{"email":"sam@example.com"},"body":"Still stuck","external_id":"conv-9/2","ticket":1}
            not json at all
            {"channel":"fax","customer":{"email":"a@example.com"},"subject":"s","body":"b","external_id":"x"}
            {"channel":"web","customer":{"name":"No Mail"},"subject":"s","body":"b","external_id":"form-1"}
            {"channel":"web","customer":{"email":"bad address"},"subject":"s","body":"b","external_id":"form-2"}

            {"channel":"social","customer":{"email":"tw@example.com"},"subject":"Tweet","body":"@acme broken","external_id":1234}
            {"channel":"chat","customer":{"email":"sam@example.com"},"body":"x","external_id":"conv-9/3","ticket":77}
            {"channel":"web","customer":{"email":"w@example.com"},"subject":"","body":"b","external_id":"form-3"}
            """
        let first = try desk.run(["ingest", "--json"], stdin: Data(batch.utf8))
        XCTAssertEqual(first.status, 65, "some lines were bad: \(first.stderr)")
        let results = try jsonLines(first.stdout)
        XCTAssertEqual(results.map { $0["line"] as? Int }, [1, 2, 3, 4, 5, 6, 8, 9, 10])
        XCTAssertEqual(results.map { $0["result"] as? String },
                       ["opened", "added", nil, nil, nil, nil, "opened", nil, nil])
        XCTAssertEqual(results.map { $0["field"] as? String },
                       [nil, nil, nil, "channel", "customer.email", "customer.email", nil, "ticket", "subject"])
        let errors = first.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(errors.count, 7, first.stderr)
        XCTAssertTrue(errors[0].hasPrefix("helpdesk: line 3: not JSON: "), errors[0])
        XCTAssertEqual(Array(errors.dropFirst()), [
            "helpdesk: line 4: field 'channel': unknown channel 'fax'; use one of email, phone, chat, social, web, in-person",
            "helpdesk: line 5: field 'customer.email': missing",
            "helpdesk: line 6: field 'customer.email': bad email address 'bad address'",
            "helpdesk: line 9: field 'ticket': no ticket 77",
            "helpdesk: line 10: field 'subject': is empty",
            "helpdesk: 6 bad lines not taken; the others were",
        ])
        XCTAssertEqual(try desk.ticketCount(), 2)
        let ticket = try desk.ticket(1)
        XCTAssertEqual(ticket["channel"] as? String, "chat")
        XCTAssertEqual((try desk.messages(1)).map { $0["body"] as? String }, ["I cannot log in", "Still stuck"])
        XCTAssertTrue(try desk.ok("customer", "sam@example.com").stdout.contains("phone +44 20 7946 0001"))

        // The webhook retries the whole batch: nothing is added twice.
        let second = try desk.run(["ingest", "--json"], stdin: Data(batch.utf8))
        XCTAssertEqual(second.status, 65)
        XCTAssertEqual(try jsonLines(second.stdout).compactMap { $0["result"] as? String },
                       ["duplicate", "duplicate", "duplicate"])
        XCTAssertEqual(try desk.ticketCount(), 2)
        XCTAssertEqual(try desk.messages(1).count, 2)

        let clean = try desk.run(["ingest", "--json"], stdin: Data("""
            {"channel":"web","customer":{"email":"w@example.com"},"subject":"Form","body":"hello","external_id":"form-3"}\r

            """.utf8))
        XCTAssertEqual(clean.status, 0, clean.stderr)
        XCTAssertEqual(try jsonLines(clean.stdout).first?["result"] as? String, "opened")
    }

    func testJSONIntakeRefusesDuplicateKeysNULsAndNumbersOutsideTheGrammar() throws {
        let desk = try MailHarness()
        let line = { (extra: String) in
            #"{"channel":"chat","customer":{"email":"sam@example.com"\#(extra)},"subject":"s","body":"b","external_id":"e"}"#
        }
        let batch = [
            #"{"channel":"chat","channel":"web","customer":{"email":"sam@example.com"},"subject":"s","body":"b","external_id":"e1"}"#,
            line(#","email":"other@example.com""#),
            #"{"channel":"chat","customer":{"email":"sam@example.com"},"subject":"s","body":"b\u0000c","external_id":"e3"}"#,
            #"{"channel":"chat","customer":{"email":"sam@example.com"},"subject":"s","body":"b","external_id":"e4","ticket":01}"#,
            #"{"channel":"chat","customer":{"email":"sam@example.com"},"subject":"s","body":"b","external_id":"e5","ticket":2.}"#,
            #"{"channel":"chat","customer":{"email":"sam@example.com"},"subject":"s","body":"b","external_id":-01}"#,
            #"{"channel":"chat","customer":{"email":"sam@example.com"},"subject":"s","body":"b","external_id":"e7","ticket":0.e1}"#,
            #"{"channel":"chat","customer":{"email":"sam@example.com","name":"Sam\u0000"},"subject":"s","body":"b","external_id":"e8"}"#,
            #"{"channel":"chat","customer":{"email":"sam@example.com"},"subject":"s","body":"b","external_id":-0}"#,
        ]
        let run = try desk.run(["ingest", "--json"], stdin: Data(batch.joined(separator: "\n").utf8))
        XCTAssertEqual(run.status, 65, run.stderr)
        let results = try jsonLines(run.stdout)
        XCTAssertEqual(results.map { $0["field"] as? String },
                       ["channel", "customer.email", "body", nil, nil, nil, nil, "customer.name", nil])
        XCTAssertEqual(results.last?["result"] as? String, "opened", "-0 is a number the grammar allows")
        let errors = run.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(errors.prefix(3)), [
            "helpdesk: line 1: field 'channel': given twice",
            "helpdesk: line 2: field 'customer.email': given twice",
            "helpdesk: line 3: field 'body': holds a NUL character (\\u0000)",
        ])
        for (index, number) in [(3, 4), (4, 5), (5, 6), (6, 7)] {
            XCTAssertTrue(errors[index].hasPrefix("helpdesk: line \(number): not JSON: bad number"), errors[index])
        }
        XCTAssertEqual(errors[7], "helpdesk: line 8: field 'customer.name': holds a NUL character (\\u0000)")
        XCTAssertEqual(try desk.ticketCount(), 1)
    }

    func testABigJSONImportIsTakenInBatchesWithEveryLineReportedInOrder() throws {
        let desk = try MailHarness()
        var lines: [String] = []
        for index in 1...600 {
            switch index {
            case 300:  // a resend of line 10, two batches later
                lines.append(#"{"channel":"chat","customer":{"email":"c10@example.com"},"subject":"Question 10","body":"Hello 10","external_id":"chat-10"}"#)
            case 450:  // follows up on the ticket line 1 opened, in an earlier batch
                lines.append(#"{"channel":"chat","customer":{"email":"c1@example.com"},"body":"Any news?","external_id":"chat-450","ticket":1}"#)
            case 500:
                lines.append(#"{"channel":"chat","customer":{"email":"c500@example.com"},"body":"x","external_id":"chat-500","ticket":9999}"#)
            default:
                lines.append(#"{"channel":"chat","customer":{"email":"c\#(index)@example.com"},"subject":"Question \#(index)","body":"Hello \#(index)","external_id":"chat-\#(index)"}"#)
            }
        }
        let taken = try desk.run(["ingest", "--json"], stdin: Data(lines.joined(separator: "\n").utf8))
        XCTAssertEqual(taken.status, 65, taken.stderr)
        let results = try jsonLines(taken.stdout)
        XCTAssertEqual(results.map { $0["line"] as? Int }, Array(1...600), "every line reported once, in order")
        XCTAssertEqual(results[299]["result"] as? String, "duplicate")
        XCTAssertEqual(results[299]["ticket"] as? Int, 10)
        XCTAssertEqual(results[449]["result"] as? String, "added")
        XCTAssertEqual(results[499]["field"] as? String, "ticket")
        XCTAssertEqual(results.filter { $0["result"] as? String == "opened" }.count, 597)
        XCTAssertEqual(try desk.ticketCount(), 597)
        XCTAssertEqual(try desk.messages(1).count, 2)
        // Each line is a record of its own, so a retried line is recognised whatever batch it lands in.
        let records = try desk.ok("events", "--json").stdout.split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["actor"] as? String == "intake" }
        XCTAssertEqual(Set(records.compactMap { $0["seq"] as? Int }).count, 598)
    }

    func testALongImportLeavesASnapshotAndASearchIndexTheNextCommandCanStartFrom() throws {
        let desk = try MailHarness()
        XCTAssertEqual(try desk.ok("search", "anything").stdout, "")  // builds the index
        // Some 6,000 events, more than the 5,000 that make a refresh due: one falls due during the run.
        let lines = (1...2_000).map {
            #"{"channel":"web","customer":{"email":"c\#($0)@example.com"},"subject":"Q\#($0)","body":"b","external_id":"w\#($0)"}"#
        }
        let taken = try desk.run(["ingest", "--json"], stdin: Data(lines.joined(separator: "\n").utf8))
        XCTAssertEqual(taken.status, 0, taken.stderr)
        let log = try DeskLog(path: desk.logPath, writable: false)
        XCTAssertEqual(log.desk.tickets.count, 2_000)
        XCTAssertFalse(log.snapshotIsDue, "the run refreshed the snapshot before it ended")
        XCTAssertEqual(log.desk, try DeskLog(path: desk.logPath, writable: false, snapshots: false).desk)
        let index = try XCTUnwrap(SearchIndex.openIfCurrent(try StoreProbe(location: .file(path: desk.logPath))),
                                  "brought up to date once, at the end of the run")
        XCTAssertEqual(try index.search(SearchQuery.parse("Q1999"), statuses: nil, limit: 5).map(\.id), [1999])
    }

    func testImportCustomersFromCSVWithDryRun() throws {
        let desk = try MailHarness()
        try desk.ok("customer", "known@example.com", "--name", "Known")
        let csv = "\u{FEFF}E-mail,Full name,Company,Phone,Shoe size\r\n"
            + "new@example.com,\"Lovelace, Ada\",\"Analytical \"\"Engines\"\"\",+44 1,42\r\n"
            + "known@example.com,Known,Acme,,\r\n"
            + "broken,Nobody,,,\r\n"
            + "multi@example.com,\"Two\nLines\",,,\r\n"
        let file = desk.directory.appendingPathComponent("customers.csv").path
        try csv.write(toFile: file, atomically: true, encoding: .utf8)

        let dry = try desk.run(["import", "customers", file, "--dry-run"])
        XCTAssertEqual(dry.status, 1)
        XCTAssertEqual(dry.stdout, "ignored columns: Shoe size\nwould create 2, would update 1, unchanged 0, bad 1\n")
        XCTAssertEqual(dry.stderr, "helpdesk: row 3 (line 4): bad email address 'broken'\nhelpdesk: 1 bad row would not be taken\n")
        XCTAssertEqual(try desk.run(["customer", "new@example.com"]).status, 1, "a dry run changes nothing")

        let real = try desk.run(["import", "customers", file])
        XCTAssertEqual(real.status, 1)
        XCTAssertTrue(real.stdout.contains("created 2, updated 1, unchanged 0, bad 1"), real.stdout)
        let shown = try desk.ok("customer", "new@example.com", "--json")
        let customer = try XCTUnwrap(JSONSerialization.jsonObject(with: shown.stdoutData) as? [String: Any])
        XCTAssertEqual(customer["name"] as? String, "Lovelace, Ada")
        XCTAssertEqual(customer["organisation"] as? String, "Analytical \"Engines\"")
        XCTAssertEqual(customer["phone"] as? String, "+44 1")
        XCTAssertTrue(try desk.ok("customer", "known@example.com").stdout.contains("organisation Acme"))
        let multi = try desk.ok("customer", "multi@example.com", "--json")
        XCTAssertEqual((try JSONSerialization.jsonObject(with: multi.stdoutData) as? [String: Any])?["name"] as? String,
                       "Two\nLines", "a quoted field may hold a line break")

        // Again: nothing new.
        XCTAssertTrue(try desk.run(["import", "customers", file]).stdout.contains("created 0, updated 0, unchanged 3"))
        let noEmail = desk.directory.appendingPathComponent("bad.csv").path
        try "name,phone\nA,1\n".write(toFile: noEmail, atomically: true, encoding: .utf8)
        let refused = try desk.run(["import", "customers", noEmail])
        XCTAssertEqual(refused.status, 65)
        XCTAssertTrue(refused.stderr.contains("no column holds email addresses"), refused.stderr)
    }

    func testExportAsJSONLinesAndCSV() throws {
        let desk = try MailHarness()
        try desk.ingest("attachments-rfc2231.eml")
        try desk.ok("new", "--customer", "q@example.com", "--subject", "Printer, \"big\" one", "--body", "line 1\nline 2")
        try desk.ok("reply", "2", "--body", "Done")

        let jsonl = try desk.ok("export").stdout
        let tickets = try jsonLines(jsonl)
        XCTAssertEqual(tickets.map { $0["id"] as? Int }, [1, 2])
        XCTAssertEqual((tickets[0]["customer"] as? [String: Any])?["email"] as? String, "dana@example.org")
        XCTAssertEqual(((tickets[0]["attachments"] as? [[String: Any]])?.map { $0["name"] as? String }),
                       ["écran de démarrage.png", "résumé.txt", "passwd"])
        let messages = try XCTUnwrap(tickets[1]["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.map { $0["body"] as? String }, ["line 1\nline 2", "Done"])

        let csv = try desk.ok("export", "--format", "csv").stdout
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(lines[0].hasPrefix("id,subject,status,priority,channel,assignee,tier,tags,customer_id,customer_name,customer_email"))
        XCTAssertTrue(lines[2].hasPrefix("2,\"Printer, \"\"big\"\" one\",open,normal,email,"), String(lines[2]))
        XCTAssertEqual(lines.count, 4, "header, two rows, final newline")

        // Python's csv module reads it back as written.
        let read = try Processes.run("/usr/bin/python3",
                                     ["-c", "import csv,sys; rows=list(csv.reader(sys.stdin)); print(rows[2][1]); print(len(rows))"],
                                     environment: ProcessInfo.processInfo.environment, in: desk.desk.path, input: csv)
        XCTAssertEqual(read.stdout, "Printer, \"big\" one\n3\n", read.stderr)

        XCTAssertEqual(try jsonLines(try desk.ok("export", "--since", "1h").stdout).count, 2)
        XCTAssertEqual(try desk.ok("export", "--since", "2099-01-01").stdout, "")
        XCTAssertEqual(try desk.run(["export", "--since", "whenever"]).status, 1)

        // -o FILE, as README says, and --output FILE write what standard output gets.
        for flag in ["-o", "--output"] {
            let file = desk.directory.appendingPathComponent("export\(flag).jsonl").path
            XCTAssertEqual(try desk.ok("export", flag, file).stdout, "")
            let written = try jsonLines(String(decoding: FileManager.default.contents(atPath: file) ?? Data(), as: UTF8.self))
            XCTAssertEqual(written.map { $0["id"] as? Int }, [1, 2], flag)
            XCTAssertEqual(written.map { $0["messages"] as? NSArray }, tickets.map { $0["messages"] as? NSArray }, flag)
        }
    }
}
