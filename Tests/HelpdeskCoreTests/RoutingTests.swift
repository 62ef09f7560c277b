import Foundation
import XCTest
@testable import HelpdeskCore

/// Routing rules: checked when added, run in order on every new ticket, first match wins, in
/// the record that opens it.
final class RoutingTests: XCTestCase {
    func rule(_ name: String, _ conditions: [String], _ actions: [String]) -> Command {
        .team(.addRule(RoutingRule(name: name, conditions: conditions, actions: actions)))
    }

    func testARuleNamingAnUnknownGroupAgentOrFieldIsRefusedNamingIt() {
        var f = GroupTests.teamDesk()
        f.assertRefused(rule("r", ["channel=chat"], ["group=sales"]), as: "sam", .notFound, containing: "no group sales")
        f.assertRefused(rule("r", ["channel=chat"], ["assign=zed"]), as: "sam", .notFound, containing: "no agent zed")
        f.assertRefused(rule("r", ["colour=red"], ["group=billing"]), as: "sam", .invalid, containing: "unknown field 'colour'")
        f.assertRefused(rule("r", ["channel=chat"], ["queue=x"]), as: "sam", .invalid, containing: "unknown field 'queue'")
        f.assertRefused(rule("r", ["channel=fax"], ["group=billing"]), as: "sam", .invalid, containing: "unknown channel 'fax'")
        f.assertRefused(rule("r", ["channel=chat"], ["priority=huge"]), as: "sam", .invalid, containing: "unknown priority 'huge'")
        f.assertRefused(rule("r", ["channel=chat"], ["tag=vip"]), as: "sam", .invalid, containing: "tag=+a")
        f.assertRefused(rule("r", ["subject=refund"], ["tag=+a"]), as: "sam", .invalid, containing: "matched with ~")
        f.assertRefused(rule("r", ["channel~chat"], ["tag=+a"]), as: "sam", .invalid, containing: "matched with =")
        f.assertRefused(rule("r", ["nothing"], ["tag=+a"]), as: "sam", .invalid, containing: "bad condition 'nothing'")
        f.assertRefused(rule("r", [], ["tag=+a"]), as: "sam", .invalid, containing: "no condition")
        f.assertRefused(rule("r", ["channel=chat"], []), as: "sam", .invalid, containing: "no action")
        f.assertRefused(rule("r", ["channel=chat"], ["group=billing", "group=tech"]), as: "sam", .invalid, containing: "more than once")
        f.assertRefused(rule("r", ["channel=chat"], ["tag=+a"]), as: "alice", .notAllowed, containing: "only supervisors")
        try! f.run(rule("r", ["channel=chat"], ["tag=+a"]), as: "sam")
        f.assertRefused(rule("r", ["channel=chat"], ["tag=+a"]), as: "sam", .conflict, containing: "exists already")
        f.assertRefused(.team(.removeRule(name: "s")), as: "sam", .notFound, containing: "no rule s")
        f.assertRefused(.team(.moveRule(name: "r", before: "s")), as: "sam", .notFound, containing: "no rule s")
        f.assertRefused(.team(.moveRule(name: "s", before: "r")), as: "sam", .notFound, containing: "no rule s")
        f.assertRefused(.team(.moveRule(name: "r", before: "r")), as: "sam", .invalid, containing: "before itself")
        try! f.run(rule("s", ["channel=web"], ["tag=+b"]), as: "sam")
        f.assertRefused(.team(.moveRule(name: "r", before: "s")), as: "sam", .conflict, containing: "already just before")
        f.assertRefused(.team(.moveRule(name: "s", before: "r")), as: "alice", .notAllowed, containing: "only supervisors")
    }

    func testEveryConditionMustHold() {
        let facts = RoutingFacts(channel: .email, recipients: ["Billing@Acme.example"], from: "Ann@BigCorp.com",
                                 subject: "Refund please", body: "I want to cancel my account now", organisation: "Acme ")
        func matches(_ conditions: [String]) -> Bool {
            RoutingRule(name: "r", conditions: conditions, actions: ["tag=+a"]).matches(facts)
        }
        XCTAssertTrue(matches(["channel=email", "to=billing@acme.example", "from=@bigcorp.com", "subject~refund",
                               "body~\"cancel my account\"", "organisation=acme"]))
        XCTAssertTrue(matches(["from=ann@bigcorp.com"]))
        XCTAssertFalse(matches(["from=@corp.com.au"]))
        XCTAssertFalse(matches(["channel=chat", "subject~refund"]), "one condition failing fails the rule")
        XCTAssertFalse(matches(["to=sales@acme.example"]))
        XCTAssertFalse(matches(["body~close my account"]))
        XCTAssertFalse(matches(["organisation=Other"]))
    }

    func testTheFirstMatchingRuleActsInTheRecordThatOpensTheTicket() throws {
        var f = GroupTests.teamDesk()
        try f.run(rule("refunds", ["subject~refund"], ["group=billing", "priority=high", "tag=+refund", "assign=alice"]), as: "sam")
        try f.run(rule("fire", ["body~fire"], ["group=tech", "tag=+fire"]), as: "sam")
        let events = try f.run(.openTicket(customerEmail: "jane@example.com", customerName: nil, subject: "Refund for fire",
                                           channel: .email, priority: .normal, body: "It is on fire"), as: "bob")
        XCTAssertEqual(Array(events.suffix(5)), [
            .ticketRouted(ticket: 1, rule: "refunds", mode: nil), .ticketGrouped(ticket: 1, group: "billing", from: nil),
            .priorityChanged(ticket: 1, from: .normal, to: .high), .assigned(ticket: 1, to: "alice", from: nil),
            .tagsChanged(ticket: 1, added: ["refund"], removed: []),
        ])
        XCTAssertEqual(f.ticket(1).group, "billing")
        XCTAssertTrue(f.ticket(1).history.contains { $0.event.summary == "routed it by the rule refunds" })

        try f.run(.team(.moveRule(name: "fire", before: "refunds")), as: "sam")
        XCTAssertEqual(f.desk.team.rules.map(\.name), ["fire", "refunds"])
        _ = f.open("Refund for fire")
        XCTAssertEqual(f.ticket(2).group, "tech")
        XCTAssertEqual(f.ticket(2).tags, ["fire"])
        _ = f.open("Nothing matches", body: "Hello")
        XCTAssertNil(f.ticket(3).group)
        XCTAssertFalse(f.ticket(3).history.contains { if case .ticketRouted = $0.event { true } else { false } })
    }

    func testMailAndJSONIntakeAreRoutedByRecipientSenderAndOrganisation() throws {
        var f = GroupTests.teamDesk()
        try f.run(rule("billing-mail", ["to=billing@acme.example"], ["group=billing"]), as: "sam")
        try f.run(rule("bigcorp-chat", ["channel=chat", "from=@bigcorp.com"], ["group=tech", "priority=urgent"]), as: "sam")
        var mail = InboundMessage(channel: .email, externalID: "m1@x", fromAddress: "ann@example.com", subject: "Invoice",
                                  body: "Where is it?")
        mail.recipients = ["Billing@acme.example"]
        try f.run(.takeIn(mail, settings: IntakeSettings()), as: Intake.mailActor)
        XCTAssertEqual(f.ticket(1).group, "billing")
        let chat = InboundMessage(channel: .chat, externalID: "c1", fromAddress: "bo@bigcorp.com", subject: "Down",
                                  body: "All down")
        try f.run(.takeIn(chat, settings: IntakeSettings()), as: Intake.intakeActor)
        XCTAssertEqual(f.ticket(2).group, "tech")
        XCTAssertEqual(f.ticket(2).priority, .urgent)
        XCTAssertEqual(f.ticket(2).history.first { if case .ticketRouted = $0.event { true } else { false } }?.actor,
                       Intake.intakeActor)
    }
}
