import Foundation
import XCTest
@testable import HelpdeskCore

/// Surveys: when the desk asks (CSAT after a solve, NPS once a period), whom it never asks, and
/// how a customer's reply is read as an answer.
final class SurveyTests: XCTestCase {
    private var fixture = DeskFixture()
    private var mails = 0

    /// Mail in, decided and applied as intake would.
    @discardableResult
    private func takeIn(_ id: String, from: String = "jane@example.com", body: String = "It is on fire",
                        references: [String] = []) throws -> IntakeResult {
        let message = InboundMessage(channel: .email, externalID: id, fromAddress: from, fromName: "Jane Doe",
                                     subject: "Printer on fire", body: body, references: references, raw: "raw-\(id)")
        let (result, events) = try Intake.decide(message, on: fixture.desk, at: fixture.now, settings: IntakeSettings())
        apply(events, as: Intake.mailActor)
        return result
    }

    private func apply(_ events: [Event], as actor: String) {
        guard !events.isEmpty else { return }
        fixture.seq += 1
        for event in events { try! fixture.desk.apply(event, context: EventContext(seq: fixture.seq, at: fixture.now, actor: actor)) }
        fixture.desk.recordApplied(seq: fixture.seq)
    }

    /// Queues the surveys due and marks them sent; returns (ticket, kind, Message-ID) of each.
    @discardableResult
    private func sendDueSurveys() throws -> [(ticket: Int, kind: SurveyKind, messageID: String)] {
        let queued = try fixture.run(.queueDueSurveys, as: Intake.mailActor)
        var sent: [(Int, SurveyKind, String)] = []
        for case .surveyQueued(let ticket, let mail, let kind) in queued {
            mails += 1
            let messageID = "survey.\(mails)@acme.example"
            try fixture.run(.recordMailSent(ticket: ticket, mail: mail, messageID: messageID), as: Intake.mailActor)
            sent.append((ticket, kind, messageID))
        }
        return sent
    }

    /// A mail ticket from jane, answered and solved by alice.
    private func solvedMailTicket(_ id: String = "m1@x", from: String = "jane@example.com") throws -> Int {
        guard case .opened(let ticket) = try takeIn(id, from: from) else { fatalError("no ticket") }
        try fixture.run(.take(ticket: ticket, steal: false), as: "alice")
        try fixture.run(.reply(ticket: ticket, body: "Fixed"), as: "alice")
        try fixture.run(.resolve(ticket: ticket), as: "alice")
        return ticket
    }

    func testOnlySupervisorsChangeSurveysAndNPSIsNotAskedMoreThanDaily() throws {
        fixture.assertRefused(.configureSurvey(kind: .csat, every: 3600), as: "alice", .notAllowed,
                              containing: "only supervisors may change surveys")
        fixture.assertRefused(.configureSurvey(kind: .nps, every: 3600), as: "sam", .invalid, containing: "more often than once a day")
        XCTAssertEqual(try fixture.run(.configureSurvey(kind: .csat, every: 3600), as: "sam"),
                       [.surveyConfigured(kind: .csat, every: 3600)])
        XCTAssertEqual(try fixture.run(.configureSurvey(kind: .csat, every: 3600), as: "sam"), [], "no change, no record")
        XCTAssertEqual(fixture.desk.surveys.settings, SurveySettings(csatDelay: 3600))
    }

    func testASolvedMailTicketIsSurveyedOnceAfterTheDelay() throws {
        try fixture.run(.configureSurvey(kind: .csat, every: 3600), as: "sam")
        let ticket = try solvedMailTicket()
        let phone = fixture.open("By phone")
        try fixture.run(.resolve(ticket: phone), as: "alice")
        fixture.advance(3599)
        XCTAssertEqual(try sendDueSurveys().count, 0, "not before the delay")
        fixture.advance(1)
        let sent = try sendDueSurveys()
        XCTAssertEqual(sent.map(\.ticket), [ticket], "the phone ticket has no mail to answer")
        XCTAssertEqual(fixture.ticket(ticket).outbound.last?.survey, .csat)
        XCTAssertEqual(fixture.ticket(ticket).status, .solved)
        fixture.advance(86_400)
        XCTAssertEqual(try sendDueSurveys().count, 0, "one survey per solve")
    }

    func testNoSurveyForARatedTicketAnOptedOutOrBlockedCustomerOrATicketReopenedInTime() throws {
        try fixture.run(.configureSurvey(kind: .csat, every: 3600), as: "sam")
        let rated = try solvedMailTicket("a@x", from: "rated@example.com")
        try fixture.run(.rate(ticket: rated, score: 4, comment: nil), as: "alice")
        _ = try solvedMailTicket("b@x", from: "optout@example.com")
        try fixture.run(.allowSurveys(email: "optout@example.com", allowed: false), as: "alice")
        _ = try solvedMailTicket("c@x", from: "spam@blocked.example")
        try fixture.run(.blockSender(pattern: "@blocked.example", reason: nil), as: "sam")
        let reopened = try solvedMailTicket("d@x", from: "again@example.com")
        try fixture.run(.reopen(ticket: reopened), as: "alice")
        fixture.advance(7200)
        XCTAssertEqual(try sendDueSurveys().count, 0)

        try fixture.run(.allowSurveys(email: "optout@example.com", allowed: true), as: "alice")
        try fixture.run(.resolve(ticket: reopened), as: "alice")
        fixture.advance(3600)
        XCTAssertEqual(try sendDueSurveys().map(\.ticket), [2, reopened],
                       "the customer who may be asked again is, and the ticket solved again is after the delay")
        fixture.assertRefused(.allowSurveys(email: "nobody@example.com", allowed: false), as: "alice", .notFound,
                              containing: "no customer nobody@example.com")
    }

    func testAnswersAreReadFromTheStartOfTheReply() {
        let cases: [(String, SurveyKind, Int?, String?)] = [
            ("5", .csat, 5, nil),
            ("4/5 thanks, quick work", .csat, 4, "thanks, quick work"),
            ("  Great, thanks!\n\nJane", .csat, 5, "thanks!\n\nJane"),
            ("Bad. Nobody called me back.", .csat, 2, "Nobody called me back."),
            ("3.\n> How did we do?", .csat, 3, nil),
            ("2\n\nOn Mon, 30 Nov 2026, Acme Support wrote:\n> How did we do?", .csat, 2, nil),
            ("10", .csat, nil, nil),
            ("4.5", .csat, nil, nil),
            ("45 minutes on hold", .csat, nil, nil),
            ("The printer still does not work", .csat, nil, nil),
            ("0 - never again", .nps, 0, "never again"),
            ("9: would recommend", .nps, 9, "would recommend"),
            ("11", .nps, nil, nil),
            ("great", .nps, nil, nil),
        ]
        for (text, kind, score, comment) in cases {
            let answer = Surveys.answer(text, kind: kind)
            XCTAssertEqual(answer?.score, score, text.debugDescription)
            XCTAssertEqual(answer?.comment, comment, text.debugDescription)
        }
        let long = "1 " + String(repeating: "terrible service ", count: 500)
        XCTAssertEqual(Surveys.answer(long, kind: .csat)?.comment?.count, Surveys.commentLimit)
    }

    func testAReplyToTheSurveyRatesTheTicketAsTheCustomerWithoutReopeningItAndASecondAnswerReRates() throws {
        try fixture.run(.configureSurvey(kind: .csat, every: 60), as: "sam")
        let ticket = try solvedMailTicket()
        fixture.advance(60)
        let survey = try XCTUnwrap(try sendDueSurveys().first)
        try fixture.run(.close(ticket: ticket), as: "alice")
        fixture.advance(60)

        XCTAssertEqual(try takeIn("answer1@x", body: "4 quick, thanks\n> How did we do?", references: [survey.messageID]),
                       .added(ticket: ticket, threading: .reference(ticket: ticket)))
        var rated = fixture.ticket(ticket)
        XCTAssertEqual(rated.status, .closed, "an answer reopens nothing, on a closed ticket too")
        XCTAssertEqual(rated.rating, Rating(score: 4, comment: "quick, thanks", at: fixture.now))
        XCTAssertEqual(rated.history.last?.actor, Surveys.customerActor)
        XCTAssertEqual(rated.messages.last?.kind, .note)

        fixture.advance(60)
        try takeIn("answer2@x", body: "Bad, it broke again", references: [survey.messageID])
        rated = fixture.ticket(ticket)
        XCTAssertEqual(rated.rating?.score, 2, "the latest answer counts")
        let answers = rated.history.compactMap { entry -> Int? in
            if case .surveyAnswered(_, _, let score, _) = entry.event { return score } else { return nil }
        }
        XCTAssertEqual(answers, [4, 2], "both are kept in the history")

        // Words that are no answer are the customer writing again: a closed ticket stays closed, so a new one opens.
        XCTAssertEqual(try takeIn("more@x", body: "The printer is on fire again", references: [survey.messageID]),
                       .opened(ticket: ticket + 1))
    }

    func testAnAnswerToTheSurveyOfAnotherTicketRatesThatTicket() throws {
        try fixture.run(.configureSurvey(kind: .csat, every: 60), as: "sam")
        let first = try solvedMailTicket("one@x")
        fixture.advance(60)
        let survey = try XCTUnwrap(try sendDueSurveys().first)
        let second = try solvedMailTicket("two@x")
        XCTAssertEqual(try takeIn("answer@x", body: "5", references: [survey.messageID]),
                       .added(ticket: first, threading: .reference(ticket: first)))
        XCTAssertEqual(fixture.ticket(first).rating?.score, 5)
        XCTAssertNil(fixture.ticket(second).rating)
    }

    func testNPSAsksCustomersWithASolvedTicketAtMostOncePerPeriod() throws {
        try fixture.run(.configureSurvey(kind: .nps, every: 90 * 86_400), as: "sam")
        let ticket = try solvedMailTicket()
        _ = try solvedMailTicket("other@x", from: "joe@example.com")
        let asked = try sendDueSurveys()
        XCTAssertEqual(asked.map(\.kind), [.nps, .nps])
        XCTAssertEqual(asked.first?.ticket, ticket)
        try takeIn("nps@x", body: "9 - great people", references: [asked[0].messageID])
        XCTAssertNil(fixture.ticket(ticket).rating, "an NPS answer is not the ticket's rating")
        XCTAssertEqual(fixture.desk.surveys.recentNPS.map(\.score), [9])

        fixture.advance(30 * 86_400)
        try fixture.run(.reopen(ticket: ticket), as: "alice")
        try fixture.run(.resolve(ticket: ticket), as: "alice")
        XCTAssertEqual(try sendDueSurveys().count, 0, "asked 30 days ago: not again within the period")
        fixture.advance(61 * 86_400)
        XCTAssertEqual(try sendDueSurveys().map(\.ticket), [ticket], "a solve in the new period: asked again")
        fixture.advance(100 * 86_400)
        XCTAssertEqual(try sendDueSurveys().count, 0, "no solve since: not asked")
    }

    func testTheReportCountsSurveysSentAndAnsweredAndTheNetPromoterScore() throws {
        let start = fixture.now
        try fixture.run(.configureSurvey(kind: .csat, every: 60), as: "sam")
        try fixture.run(.configureSurvey(kind: .nps, every: 90 * 86_400), as: "sam")
        var surveys: [(ticket: Int, kind: SurveyKind, messageID: String)] = []
        for (index, customer) in ["a", "b", "c", "d"].enumerated() {
            _ = try solvedMailTicket("t\(index)@x", from: "\(customer)@example.com")
        }
        surveys += try sendDueSurveys()
        fixture.advance(60)
        surveys += try sendDueSurveys()
        let csat = surveys.filter { $0.kind == .csat }, nps = surveys.filter { $0.kind == .nps }
        XCTAssertEqual([csat.count, nps.count], [4, 4])
        for (survey, answer) in zip(csat, ["5", "4", "1"]) {
            try takeIn("c-\(survey.ticket)@x", from: ["a", "b", "c", "d"][survey.ticket - 1] + "@example.com", body: answer,
                       references: [survey.messageID])
        }
        for (survey, answer) in zip(nps, ["10", "9", "3", "7"]) {
            try takeIn("n-\(survey.ticket)@x", from: ["a", "b", "c", "d"][survey.ticket - 1] + "@example.com", body: answer,
                       references: [survey.messageID])
        }
        let report = DeskReport.make(desk: fixture.desk, since: start, now: fixture.now)
        XCTAssertEqual(report.csat.sent, 4)
        XCTAssertEqual(report.csat.scores, [5, 4, 1])
        XCTAssertEqual(report.csat.responseRate, 0.75)
        XCTAssertEqual(report.csat.satisfiedRate ?? 0, 2.0 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(report.nps.answered, 4)
        XCTAssertEqual([report.nps.promoters, report.nps.passives, report.nps.detractors], [2, 1, 1])
        XCTAssertEqual(report.nps.netPromoterScore, 25)
        XCTAssertEqual(report.agents.first { $0.account == "alice" }?.csat.scores, [5, 4, 1])
    }

    func testCSATCountsUnderTheTicketsGroup() throws {
        let start = fixture.now
        try fixture.run(.team(.addGroup(name: "billing", displayName: nil)), as: "sam")
        try fixture.run(.team(.addGroup(name: "tech", displayName: nil)), as: "sam")
        try fixture.run(.configureSurvey(kind: .csat, every: 60), as: "sam")
        for (index, customer) in ["a", "b", "c", "d"].enumerated() {
            let id = try solvedMailTicket("t\(index)@x", from: "\(customer)@example.com")
            let group = [0: "billing", 1: "billing", 2: "tech"][index]
            if let group { try fixture.run(.team(.setGroup(ticket: id, group: group)), as: "sam") }
        }
        fixture.advance(60)
        let surveys = try sendDueSurveys()
        XCTAssertEqual(surveys.count, 4)
        for (survey, answer) in zip(surveys, ["5", "4", "2", "1"]) {
            try takeIn("c-\(survey.ticket)@x", from: ["a", "b", "c", "d"][survey.ticket - 1] + "@example.com", body: answer,
                       references: [survey.messageID])
        }
        let report = DeskReport.make(desk: fixture.desk, since: start, now: fixture.now)
        XCTAssertEqual(report.groups.map(\.name), ["billing", "tech"])
        XCTAssertEqual(report.groups.map(\.csat.sent), [2, 1])
        XCTAssertEqual(report.groups.map(\.csat.scores), [[5, 4], [2]], "the ticket in no group counts only overall")
        XCTAssertEqual(report.csat.scores.count, 4)
        XCTAssertEqual(DeskReport.make(desk: fixture.desk, since: start, now: fixture.now, group: "none").csat.scores, [1])
    }
}
