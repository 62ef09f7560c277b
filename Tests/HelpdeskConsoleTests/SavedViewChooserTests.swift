import Foundation
import XCTest
@testable import HelpdeskConsole
import HelpdeskCore

/// The view chooser (`v`) offers the desk's saved views after the built-in ones, keys 1 to 9.
final class SavedViewChooserTests: XCTestCase {
    func testASavedViewIsChosenByItsNumberAndFollowsTheDesk() throws {
        let fixture = try ConsoleFixture()
        let urgent = try fixture.open("Server down", priority: .urgent, hoursAgo: 2)
        let normal = try fixture.open("Question", hoursAgo: 3)
        try fixture.run(.saveView(SavedView(name: "urgent", priority: .urgent, sort: .newest), replacing: false), as: "sam")
        try fixture.run(.saveView(SavedView(name: "all", allStatuses: true), replacing: false), as: "sam")

        fixture.press(.character("v"))
        let prompt = fixture.screen(columns: 160).lines.last ?? ""
        XCTAssertTrue(prompt.contains("[s] solved  [1] all  [2] urgent"), prompt)

        fixture.press(.character("2"))
        XCTAssertEqual(fixture.console.state.savedView, "urgent")
        XCTAssertEqual(fixture.console.state.sort, .newest, "the view's own order")
        let screen = fixture.screen()
        XCTAssertEqual(fixture.console.queue.ids, [urgent])
        XCTAssertTrue(screen.lines.contains { $0.contains("Queue · urgent · 1 · by newest") }, screen.lines.joined(separator: "\n"))

        try fixture.appendElsewhere(.setPriority(ticket: normal, priority: .urgent), as: "bob")
        XCTAssertTrue(fixture.console.catchUp())
        XCTAssertEqual(fixture.console.queue.ids, [normal, urgent], "another console's change shows, in the view's order")

        fixture.press(.character("v"), .character("9"))
        XCTAssertEqual(fixture.console.state.savedView, "urgent", "a number without a view changes nothing")

        try fixture.appendElsewhere(.removeView(name: "urgent"), as: "sam")
        XCTAssertTrue(fixture.console.catchUp())
        XCTAssertNil(fixture.console.state.savedView, "a removed view falls back to the built-in one")
        XCTAssertEqual(Set(fixture.console.queue.ids), [urgent, normal])

        fixture.press(.character("v"), .character("1"))
        XCTAssertEqual(fixture.console.state.savedView, "all")
        fixture.press(.character("v"), .character("m"))
        XCTAssertNil(fixture.console.state.savedView, "a built-in view leaves the saved one")
        XCTAssertEqual(fixture.console.state.view, .mine)
    }
}
