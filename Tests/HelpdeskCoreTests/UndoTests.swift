import XCTest
@testable import HelpdeskCore

final class UndoTests: XCTestCase {
    var fixture = DeskFixture()

    func testUndoOfAPriorityChangeRecordsTheCompensatingEvent() throws {
        let id = fixture.open()
        fixture.advance(60)
        try fixture.run(.setPriority(ticket: id, priority: .urgent), as: "alice")
        let changed = fixture.seq
        fixture.advance(9 * 60)
        let events = try fixture.run(.undo(ticket: id), as: "alice")
        XCTAssertEqual(events, [.changeUndone(ticket: id, seq: changed, what: "priority changed", message: nil),
                                .priorityChanged(ticket: id, from: .urgent, to: .normal)])
        XCTAssertEqual(fixture.ticket(id).priority, .normal)
        XCTAssertTrue(fixture.ticket(id).history.map(\.event.summary).contains("undid: priority changed"))
        // The undo is the last change now: it is not undone in turn.
        fixture.assertRefused(.undo(ticket: id), as: "alice", .conflict, containing: "nothing to undo: your last change on ticket \(id) was itself an undo")
    }

    func testUndoOfTakeTagsFollowUpAndEscalationPutsTheTicketBack() throws {
        let id = fixture.open()
        let before = fixture.ticket(id)
        let due = fixture.now.addingTimeInterval(3600)
        try fixture.run(.scheduleFollowUp(ticket: id, due: due, note: "call"), as: "carol")
        let changes: [Command] = [.take(ticket: id, steal: false), .changeTags(ticket: id, add: ["vip"], remove: []),
                                  .scheduleFollowUp(ticket: id, due: due.addingTimeInterval(60), note: nil),
                                  .clearFollowUp(ticket: id), .escalate(ticket: id, reason: "hard", tier: 2),
                                  .link(ticket: id, other: fixture.open("other"), kind: .child)]
        for command in changes {
            let ticket = fixture.ticket(id)
            try fixture.run(command, as: "carol")
            try fixture.run(.undo(ticket: id), as: "carol")
            let after = fixture.ticket(id)
            XCTAssertEqual(after.assignee, ticket.assignee, "\(command)")
            XCTAssertEqual(after.status, ticket.status, "\(command)")
            XCTAssertEqual(after.tags, ticket.tags, "\(command)")
            XCTAssertEqual(after.followUp, ticket.followUp, "\(command)")
            XCTAssertEqual(after.tier, ticket.tier, "\(command)")
            XCTAssertEqual(after.links, ticket.links, "\(command)")
        }
        XCTAssertEqual(fixture.ticket(id).status, .pending)
        XCTAssertEqual(before.status, .new)
    }

    func testUndoOfANoteWithdrawsItAndKeepsItInTheHistory() throws {
        let id = fixture.open()
        try fixture.run(.note(ticket: id, body: "wrong ticket, sorry"), as: "bob")
        let noted = fixture.seq
        let events = try fixture.run(.undo(ticket: id), as: "bob")
        XCTAssertEqual(events, [.changeUndone(ticket: id, seq: noted, what: "note added", message: 2)])
        XCTAssertTrue(fixture.ticket(id).messages[1].withdrawn)
        XCTAssertEqual(fixture.desk.conversation(of: id).map(\.number), [1])
        XCTAssertTrue(fixture.ticket(id).history.contains { if case .messageAdded(_, .note, _) = $0.event { true } else { false } })
    }

    func testUndoOfAMailedReplyIsRefusedSayingMailCannotBeUnsent() throws {
        let taken = try Rules.decision(.takeIn(InboundMessage(channel: .email, externalID: "m1@example.com",
                                                              fromAddress: "jane@example.com", subject: "Help", body: "hi"),
                                               settings: IntakeSettings()), by: Intake.mailActor, at: fixture.now, on: fixture.desk)
        fixture.seq += 1
        for event in taken.events {
            try fixture.desk.apply(event, context: EventContext(seq: fixture.seq, at: fixture.now, actor: Intake.mailActor))
        }
        try fixture.run(.reply(ticket: 1, body: "on it"), as: "alice")
        fixture.assertRefused(.undo(ticket: 1), as: "alice", .conflict, containing: "mail that went out cannot be unsent")
        let phone = fixture.open("by phone")
        try fixture.run(.reply(ticket: phone, body: "said so"), as: "alice")
        fixture.assertRefused(.undo(ticket: phone), as: "alice", .conflict, containing: "a reply cannot be unsent")
    }

    func testRefusalsNameWhyNothingWasUndone() throws {
        let id = fixture.open()
        fixture.assertRefused(.undo(ticket: id), as: "bob", .notAllowed,
                              containing: "the last change on ticket \(id) (opened, customer message added) is alice's, not yours")
        fixture.assertRefused(.undo(ticket: 77), as: "bob", .notFound, containing: "no ticket 77")
        fixture.assertRefused(.undo(ticket: nil), as: "bob", .notFound,
                              containing: "nothing to undo: you changed no ticket in the last 10m")

        try fixture.run(.setPriority(ticket: id, priority: .high), as: "bob")
        fixture.advance(60)
        try fixture.run(.changeTags(ticket: id, add: ["x"], remove: []), as: "carol")
        fixture.assertRefused(.undo(ticket: id), as: "bob", .conflict, containing: "carol changed ticket \(id) since your last change (tags changed, 0s ago)")

        fixture.advance(10 * 60 + 1)
        fixture.assertRefused(.undo(ticket: id), as: "carol", .conflict,
                              containing: "too late: your last change on ticket \(id) (tags changed) was 10m ago; undo works for 10m")
        fixture.assertRefused(.undo(ticket: nil), as: "carol", .notFound, containing: "you changed no ticket in the last 10m")

        let other = fixture.open("other")
        try fixture.run(.merge(source: other, target: id), as: "carol")
        fixture.assertRefused(.undo(ticket: nil), as: "carol", .conflict, containing: "was a merge, which cannot be undone")
    }

    func testMailThatCameInSinceStandsInTheWay() throws {
        let id = fixture.open()
        try fixture.run(.setPriority(ticket: id, priority: .high), as: "bob")
        let mail = InboundMessage(channel: .email, externalID: "x@example.com", fromAddress: "jane@example.com",
                                  subject: "more [#\(id)]", body: "and another thing")
        try fixture.run(.takeIn(mail, settings: IntakeSettings()), as: Intake.mailActor)
        fixture.assertRefused(.undo(ticket: id), as: "bob", .conflict,
                              containing: "mail (the desk itself) changed ticket \(id) since your last change (customer message added, ")
    }

    func testUndoWithoutATicketTakesYourLatestChangeAnywhere() throws {
        let a = fixture.open("a"), b = fixture.open("b")
        try fixture.run(.setPriority(ticket: b, priority: .low), as: "bob")
        fixture.advance(30)
        try fixture.run(.setPriority(ticket: a, priority: .high), as: "bob")
        fixture.advance(30)
        try fixture.run(.changeTags(ticket: b, add: ["later"], remove: []), as: "carol")
        let events = try fixture.run(.undo(ticket: nil), as: "bob")
        XCTAssertEqual(events.last, .priorityChanged(ticket: a, from: .high, to: .normal))
        XCTAssertEqual(fixture.ticket(b).priority, .low)
    }

    func testDeliveryAfterAChangeDoesNotStandInTheWay() throws {
        let id = fixture.open()
        try fixture.run(.setPriority(ticket: id, priority: .high), as: "bob")
        fixture.seq += 1
        try fixture.desk.apply(.mailSent(ticket: id, mail: 1, messageID: "a@b"),
                               context: EventContext(seq: fixture.seq, at: fixture.now, actor: Intake.mailActor))
        XCTAssertEqual(try fixture.run(.undo(ticket: id), as: "bob").last, .priorityChanged(ticket: id, from: .high, to: .normal))
    }
}
