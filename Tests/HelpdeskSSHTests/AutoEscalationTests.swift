import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Auto-escalation between real processes, and the SLA commands' contract.
final class AutoEscalationTests: HelpdeskProcessCase {
    func testFourProcessesNoticingTheSameBreachEscalateItOnce() throws {
        try cli("init")
        try cli("sla", "set", "urgent", "--first-response", "1s")
        try cli("new", "--customer", "jane@example.com", "--subject", "Printer on fire", "--priority", "urgent",
                "--body", "Help")
        // When the ticket opened, from the log itself: a read command would notice the breach.
        let opened = try XCTUnwrap(records().last?["at"] as? String)
        let due = try XCTUnwrap(parseTime(opened)).addingTimeInterval(1.05)
        XCTAssertTrue(Processes.waitUntil(timeout: 5) { Date() > due })
        let before = try records().count

        let outputs = (0..<4).map { directory + "/list-\($0).json" }
        let pids = try outputs.map { output in
            try Processes.spawn(BuiltProducts.helpdesk, ["list", "--json"], environment: environment, stdout: output,
                                stderr: output + ".err")
        }
        let statuses = pids.map(Processes.wait)
        XCTAssertEqual(statuses, [0, 0, 0, 0],
                       outputs.map { (try? String(contentsOfFile: $0 + ".err", encoding: .utf8)) ?? "" }.joined())

        let after = try records()
        XCTAssertEqual(after.count, before + 1, "one record between the four of them")
        let escalation = try XCTUnwrap(after.last)
        XCTAssertEqual(escalation["actor"] as? String, "desk")
        XCTAssertEqual(escalation["via"] as? String, currentAccount())
        let events = try XCTUnwrap(escalation["events"] as? [[String: Any]])
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.first?["type"] as? String, "ticket.escalated")
        XCTAssertEqual(events.first?["tier"] as? Int, 2)
        XCTAssertEqual(events.first?["reason"] as? String, "SLA breach: first response")

        // Every one of them printed the desk with the escalation, whoever wrote it.
        for output in outputs {
            let tickets = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output)))
                                        as? [[String: Any]])
            XCTAssertEqual(tickets.first?["tier"] as? Int, 2, output)
            let sla = try XCTUnwrap(tickets.first?["sla"] as? [String: Any])
            XCTAssertEqual(sla["breached"] as? [String], ["first_response"])
        }

        // Later commands, reading or writing, do not escalate the same breach again.
        try cli("status")
        try cli("note", "1", "--body", "looking")
        XCTAssertEqual(try records().filter { $0["actor"] as? String == "desk" }.count, 1)
    }

    func testPolicyCommandsJSONAndReport() throws {
        try cli("init")
        try cli("agent", "add", "bob")
        try cli("hours", "set", "Mon-Fri 09:00-17:00", "--tz", "Europe/Berlin")
        try cli("holiday", "add", "2026-12-25")
        try cli("sla", "set", "high", "--first-response", "2h", "--resolution", "2d")
        let show = try XCTUnwrap(json(try cli("sla", "show", "--json")) as? [String: Any])
        let high = try XCTUnwrap((show["targets"] as? [String: Any])?["high"] as? [String: Int])
        XCTAssertEqual(high, ["first_response": 7200, "next_response": 14_400, "resolution": 172_800])
        XCTAssertEqual(show["business_hours"] as? [String: String], ["hours": "mon-fri 09:00-17:00", "time_zone": "Europe/Berlin"])
        XCTAssertEqual(show["holidays"] as? [String], ["2026-12-25"])
        XCTAssertTrue(try cli("sla", "show").stdout.contains("business hours: mon-fri 09:00-17:00 (Europe/Berlin)"))

        let refused = try Processes.run(BuiltProducts.helpdesk, ["sla", "set", "low", "--first-response", "1h", "--as", "bob"],
                                        environment: environment, in: directory)
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderr, "helpdesk: only supervisors change the SLA policy; bob is an agent\n")
        let bad = try Processes.run(BuiltProducts.helpdesk, ["hours", "set", "mon-fri 17:00-09:00", "--tz", "UTC"],
                                    environment: environment, in: directory)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("ends before it starts"), bad.stderr)

        try cli("new", "--customer", "jane@example.com", "--subject", "Invoice", "--body", "Where is it?")
        let ticket = try XCTUnwrap(json(try cli("show", "1", "--json")) as? [String: Any])
        let sla = try XCTUnwrap(ticket["sla"] as? [String: Any])
        XCTAssertEqual(Set(sla.keys), ["first_response_due", "next_response_due", "resolution_due", "breached"])
        XCTAssertNotNil(sla["first_response_due"] as? String)
        XCTAssertTrue(sla["next_response_due"] is NSNull, "no next response owed")
        XCTAssertNotNil(sla["resolution_due"] as? String)
        XCTAssertEqual(sla["breached"] as? [String], [])
        let listed = try XCTUnwrap(json(try cli("list", "--json")) as? [[String: Any]])
        XCTAssertEqual((listed.first?["sla"] as? [String: Any])?["first_response_due"] as? String,
                       sla["first_response_due"] as? String)

        let why = try cli("sla", "why", "1").stdout
        XCTAssertTrue(why.contains("opened (normal): first response within 8h, resolution within 3d of business time "
                                   + "(mon-fri 09:00-17:00, Europe/Berlin)"), why)
        XCTAssertTrue(why.contains("first response"), why)

        let report = try XCTUnwrap(json(try cli("report", "--since", "1d", "--json")) as? [String: Any])
        XCTAssertEqual(report["opened"] as? Int, 1)
        XCTAssertEqual(report["backlog"] as? Int, 1)
        XCTAssertEqual((report["backlog_by_age"] as? [String: Int])?["<1h"], 1)
        XCTAssertEqual((report["agents"] as? [[String: Any]])?.compactMap { $0["account"] as? String }.last, "bob")
        let text = try cli("report").stdout
        XCTAssertTrue(text.contains("SLA compliance"), text)
        let history = try cli("events").stdout
        XCTAssertTrue(history.contains("set the business hours to mon-fri 09:00-17:00 (Europe/Berlin)"), history)
        XCTAssertTrue(history.contains("added the holiday 2026-12-25"), history)
    }
}

/// An RFC 3339 time with milliseconds, as the log writes it.
func parseTime(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)
}

func currentAccount() -> String {
    guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "root" }
    return String(cString: name)
}
