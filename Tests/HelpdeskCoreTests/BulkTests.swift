import Foundation
import XCTest
@testable import HelpdeskCore

/// Bulk actions: one step per ticket, each by the ticket's own rules on the desk as the steps
/// before left it, all in one decision; one refusal refuses the whole unless it is partial.
final class BulkTests: XCTestCase {
    private var fixture = DeskFixture()

    private func takes(_ ids: [Int]) -> [Command] { ids.map { .take(ticket: $0, steal: false) } }

    func testEveryTicketsStepLandsInOneDecision() throws {
        let ids = [fixture.open(), fixture.open(), fixture.open()]
        let decision = try Rules.decision(.bulk(takes(ids), partial: false), by: "alice", at: fixture.now, on: fixture.desk)
        XCTAssertEqual(decision.events, ids.flatMap { id -> [Event] in
            [.assigned(ticket: id, to: "alice", from: nil), .statusChanged(ticket: id, from: .new, to: .open)]
        })
        guard case .bulk(let result)? = decision.outcome else { return XCTFail("no bulk outcome") }
        XCTAssertEqual(result, BulkResult(applied: ids, refused: []))
        try fixture.run(.bulk(takes(ids), partial: false), as: "alice")
        XCTAssertEqual(ids.map { fixture.ticket($0).assignee }, ["alice", "alice", "alice"])
    }

    func testOneRefusalRefusesTheWholeNamingEveryRefusal() throws {
        let ids = [fixture.open(), fixture.open(), fixture.open(), fixture.open()]
        try fixture.run(.take(ticket: ids[1], steal: false), as: "bob")
        try fixture.run(.take(ticket: ids[3], steal: false), as: "bob")
        fixture.assertRefused(.bulk(takes(ids), partial: false), as: "alice", .conflict,
                              containing: "2 of 4 refused: #\(ids[1]): ticket \(ids[1]) is assigned to bob; #\(ids[3]): ")
        XCTAssertEqual(ids.map { fixture.ticket($0).assignee }, [nil, "bob", nil, "bob"], "nothing applied")
    }

    func testPartialAppliesThoseThatMayBeChangedAndNamesTheRest() throws {
        let ids = [fixture.open(), fixture.open(), fixture.open()]
        try fixture.run(.take(ticket: ids[1], steal: false), as: "bob")
        let decision = try Rules.decision(.bulk(takes(ids + [99]), partial: true), by: "alice", at: fixture.now,
                                          on: fixture.desk)
        guard case .bulk(let result)? = decision.outcome else { return XCTFail("no bulk outcome") }
        XCTAssertEqual(result.applied, [ids[0], ids[2]])
        XCTAssertEqual(result.refused.map(\.ticket), [ids[1], 99])
        XCTAssertEqual(result.refused.last?.reason, "no ticket 99")
        try fixture.run(.bulk(takes(ids), partial: true), as: "alice")
        XCTAssertEqual(ids.map { fixture.ticket($0).assignee }, ["alice", "bob", "alice"])
        fixture.assertRefused(.bulk(takes([ids[1]]), partial: true), as: "alice", .conflict,
                              containing: "1 of 1 refused")
    }

    func testEachStepIsDecidedOnTheDeskTheStepsBeforeLeft() throws {
        try fixture.run(.saveMacro(Macro(name: "mine", addTags: ["bulk"], assignment: .me), replacing: false), as: "sam")
        let ids = [fixture.open(), fixture.open()]
        let events = try fixture.run(.bulk(ids.map { .applyMacro(ticket: $0, name: "mine", text: nil) }, partial: false),
                                     as: "alice")
        XCTAssertEqual(events.count, 6)
        XCTAssertEqual(ids.map { fixture.ticket($0).tags }, [["bulk"], ["bulk"]])
        fixture.assertRefused(.bulk(takes([ids[0], ids[0]]), partial: false), as: "alice", .invalid,
                              containing: "ticket \(ids[0]) is named twice")
        fixture.assertRefused(.bulk([], partial: false), as: "alice", .invalid, containing: "at least one ticket")
        fixture.assertRefused(.bulk([.reply(ticket: ids[0], body: "hi")], partial: false), as: "alice", .invalid,
                              containing: "cannot be done in bulk")
        fixture.assertRefused(.bulk(takes(ids), partial: false), as: "zed", .notAllowed, containing: "zed")
    }
}
