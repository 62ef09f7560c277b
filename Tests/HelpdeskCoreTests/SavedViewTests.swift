import Foundation
import XCTest
@testable import HelpdeskCore

/// Saved views: supervisors save and remove them for the whole desk; "mine" means whoever uses one.
final class SavedViewTests: XCTestCase {
    private var fixture = DeskFixture()

    func testASupervisorSavesAViewAndItsMineMeansWhoeverUsesIt() throws {
        let view = SavedView(name: "my-urgent", assignment: .mine, priority: .urgent, tags: ["VIP"], sort: .urgency)
        let events = try fixture.run(.saveView(view, replacing: false), as: "sam")
        var kept = view
        kept.tags = ["vip"]
        XCTAssertEqual(events, [.viewSaved(kept)], "tags kept as tags are: lower case")
        XCTAssertEqual(fixture.desk.views["my-urgent"], kept)
        XCTAssertEqual(kept.query(for: "alice"),
                       TicketQuery(assignment: .assigned(to: "alice"), priority: .urgent, tags: ["vip"], sort: .urgency))
        XCTAssertEqual(kept.arguments, ["--mine", "--priority", "urgent", "--tag", "vip", "--sort", "urgency"])

        let a = fixture.open("A", priority: .urgent), b = fixture.open("B", priority: .urgent)
        try fixture.run(.take(ticket: a, steal: false), as: "alice")
        try fixture.run(.take(ticket: b, steal: false), as: "bob")
        try fixture.run(.changeTags(ticket: a, add: ["vip"], remove: []), as: "alice")
        try fixture.run(.changeTags(ticket: b, add: ["vip"], remove: []), as: "bob")
        XCTAssertEqual(fixture.desk.tickets(matching: kept.query(for: "alice"), now: fixture.now).map(\.id), [a])
        XCTAssertEqual(fixture.desk.tickets(matching: kept.query(for: "bob"), now: fixture.now).map(\.id), [b])

        try fixture.run(.removeView(name: "my-urgent"), as: "sam")
        XCTAssertNil(fixture.desk.views["my-urgent"])
    }

    func testOnlySupervisorsSaveAndRemoveAndBadViewsAreRefusedNamingWhy() throws {
        try fixture.run(.saveView(SavedView(name: "open"), replacing: false), as: "sam")
        fixture.assertRefused(.saveView(SavedView(name: "mine"), replacing: false), as: "alice", .notAllowed,
                              containing: "only supervisors may save views; alice is an agent")
        fixture.assertRefused(.removeView(name: "open"), as: "alice", .notAllowed, containing: "only supervisors may remove views")
        fixture.assertRefused(.removeView(name: "absent"), as: "sam", .notFound, containing: "no view absent")
        fixture.assertRefused(.saveView(SavedView(name: "open", priority: .low), replacing: false), as: "sam", .conflict,
                              containing: "a view named open exists already")
        XCTAssertNoThrow(try fixture.run(.saveView(SavedView(name: "open", priority: .low), replacing: true), as: "sam"))
        XCTAssertEqual(fixture.desk.views["open"]?.priority, .low, "replaced")
        let refusals: [(SavedView, String)] = [
            (SavedView(name: "two words"), "bad view name 'two words'"),
            (SavedView(name: "t", tier: 9), "bad tier 9"),
            
            (SavedView(name: "t", tags: ["a b"]), "bad tag 'a b'"),
            (SavedView(name: "s", status: .open, allStatuses: true), "one status, or all"),
        ]
        for (view, text) in refusals {
            fixture.assertRefused(.saveView(view, replacing: false), as: "sam", .invalid, containing: text)
        }
        fixture.assertRefused(.saveView(SavedView(name: "a", assignment: .agent("zed")), replacing: false), as: "sam",
                              .notFound, containing: "no agent zed on the roster")
    }
}
