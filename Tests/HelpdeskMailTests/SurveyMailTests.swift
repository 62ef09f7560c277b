import Foundation
import XCTest
@testable import HelpdeskMail

/// Surveys end to end: `survey set`, a solve, `deliver` mailing the question through a fake
/// sendmail, and the customer's replies ingested as answers.
final class SurveyMailTests: XCTestCase {
    private func makeDesk() throws -> (MailHarness, sent: String) {
        let desk = try MailHarness()
        let sent = desk.directory.appendingPathComponent("sent").path
        try FileManager.default.createDirectory(atPath: sent, withIntermediateDirectories: true)
        let sendmail = try desk.script("fake-sendmail", "f=$(mktemp \(sent)/mail.XXXXXX) && cat > \"$f\"\n")
        try desk.writeConfig("""
            address: support@acme.example
            name: Acme Support
            sendmail: \(sendmail) -t -i
            survey:
              subject: "{{customer.first_name}}, how did we do?"
            """)
        return (desk, sent)
    }

    private func sentMail(_ sent: String) throws -> [ParsedMail] {
        try FileManager.default.contentsOfDirectory(atPath: sent).sorted().map {
            try MailParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: "\(sent)/\($0)"))))
        }
    }

    /// Mails `deliver` until a survey has gone out (the delay is a second); returns it.
    private func awaitSurvey(_ desk: MailHarness, _ sent: String, count: Int) throws -> ParsedMail {
        var surveys: [ParsedMail] = []
        try waitFor("survey \(count) to be mailed") {
            try desk.ok("deliver")
            surveys = try sentMail(sent).filter { $0.header("Auto-Submitted") == "auto-generated" }
            return surveys.count >= count
        }
        return surveys[count - 1]
    }

    private func answer(_ desk: MailHarness, to survey: ParsedMail, id: String, body: String) throws -> String {
        let mail = """
            From: Jane Doe <jane@example.com>
            To: support@acme.example
            Subject: Re: \(survey.subject)
            Message-ID: <\(id)@mail.example.com>
            In-Reply-To: <\(survey.messageID ?? "")>
            Date: Mon, 30 Nov 2026 12:00:00 +0000

            \(body)

            """
        return try desk.ingest(bytes: Data(mail.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    func testASolvedTicketIsSurveyedAndRepliesAreRecordedAsItsRating() throws {
        let (desk, sent) = try makeDesk()
        XCTAssertEqual(try desk.ok("survey", "set", "--delay", "1s").stdout,
                       "the satisfaction survey goes 1s after a solve\n")
        try desk.ingest("plain.eml")
        try desk.ok("take", "1")
        try desk.ok("reply", "1", "--body", "Fixed it")
        try desk.ok("resolve", "1")
        let survey = try awaitSurvey(desk, sent, count: 1)
        XCTAssertEqual(survey.subject, "Jane, how did we do? [#1]")
        XCTAssertEqual(survey.to.map(\.address), ["jane@example.com"])
        XCTAssertTrue(survey.text.contains("Reply with a number from 1 (poor) to 5 (great)"), survey.text)
        XCTAssertTrue(survey.text.hasSuffix("Acme Support\n") || survey.text.hasSuffix("Acme Support"), survey.text)
        XCTAssertEqual(survey.inReplyTo, ["CAF=plain.1@mail.example.com"])

        try answer(desk, to: survey, id: "a1", body: "5 thank you, very quick\n\n> How did we do?")
        var ticket = try desk.ticket(1)
        XCTAssertEqual(ticket["status"] as? String, "solved", "an answer reopens nothing")
        XCTAssertEqual((ticket["rating"] as? [String: Any])?["score"] as? Int, 5)
        XCTAssertEqual((ticket["rating"] as? [String: Any])?["comment"] as? String, "thank you, very quick")

        // A second answer re-rates; both stay in the history, the customer's own.
        try answer(desk, to: survey, id: "a2", body: "Bad: it broke again")
        ticket = try desk.ticket(1)
        XCTAssertEqual((ticket["rating"] as? [String: Any])?["score"] as? Int, 2)
        let history = try desk.ok("history", "1").stdout
        XCTAssertTrue(history.contains("customer  answered the satisfaction survey: 5 of 5: thank you, very quick"), history)
        XCTAssertTrue(history.contains("customer  answered the satisfaction survey: 2 of 5"), history)

        // A long answer that is no score is the customer writing again: the ticket reopens.
        try answer(desk, to: survey, id: "a3", body: String(repeating: "The printer is on fire again. ", count: 400))
        XCTAssertEqual(try desk.ticket(1)["status"] as? String, "open")

        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: try desk.ok("report", "--json").stdoutData) as? [String: Any])
        let csat = try XCTUnwrap(report["csat"] as? [String: Any])
        XCTAssertEqual(csat["sent"] as? Int, 1)
        XCTAssertEqual(csat["answered"] as? Int, 1, "the customer re-rated: one answer, the latest")
        XCTAssertEqual(csat["average"] as? Double, 2)
        let text = try desk.ok("report").stdout
        XCTAssertTrue(text.contains("CSAT survey      2.0 average · 0% satisfied (4-5) · 1 of 1 answered (100%)"), text)
    }

    func testNPSAsksOncePerPeriodAndACustomerWhoOptedOutIsNeverAsked() throws {
        let (desk, sent) = try makeDesk()
        let refused = try desk.run(["survey", "nps", "--every", "1h"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("more often than once a day"), refused.stderr)
        try desk.ok("survey", "nps", "--every", "90d")
        try desk.ingest("plain.eml")
        try desk.ok("resolve", "1")
        let survey = try awaitSurvey(desk, sent, count: 1)
        XCTAssertEqual(survey.subject, "A quick question from Acme Support [#1]")
        XCTAssertTrue(survey.text.contains("from 0 (not at all likely) to 10"), survey.text)
        try answer(desk, to: survey, id: "n1", body: "9, you were great")
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: try desk.ok("report", "--json").stdoutData) as? [String: Any])
        let nps = try XCTUnwrap(report["nps"] as? [String: Any])
        XCTAssertEqual(nps["promoters"] as? Int, 1)
        XCTAssertEqual(nps["score"] as? Double, 100)

        // Solved again within the period: not asked again. Opted out: never.
        try desk.ok("reopen", "1")
        try desk.ok("resolve", "1")
        try desk.ok("customer", "jane@example.com", "--no-surveys")
        XCTAssertTrue(try desk.ok("customer", "jane@example.com").stdout.contains("no surveys"))
        try desk.ok("survey", "set", "--delay", "1s")
        try desk.ok("reopen", "1")
        try desk.ok("resolve", "1")
        let shown = try XCTUnwrap(JSONSerialization.jsonObject(with: try desk.ok("survey", "show", "--json").stdoutData)
                                  as? [String: Any])
        XCTAssertEqual(shown["csat_waiting"] as? Int, 0, "an opted-out customer's solve waits for no survey")
        XCTAssertEqual(shown["opted_out"] as? Int, 1)
        try desk.ok("deliver")
        XCTAssertEqual(try sentMail(sent).count, 1)
    }

    func testASurveyTextThatIsNoTemplateIsRefusedWhenTheSurveyIsTurnedOn() throws {
        let (desk, _) = try makeDesk()
        try desk.writeConfig("address: support@acme.example\nsurvey:\n  body: \"Hi {{customer.nickname}}\"\n")
        let refused = try desk.run(["survey", "set", "--delay", "1h"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("unknown placeholder {{customer.nickname}}"), refused.stderr)
        XCTAssertTrue(try desk.ok("survey", "show").stdout.contains("satisfaction (CSAT): off"))
    }
}
