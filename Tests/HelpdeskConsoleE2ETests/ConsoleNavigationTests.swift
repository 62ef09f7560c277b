import Foundation
import XCTest

/// Looking around: the filter, the views, the help, resizing and quitting.
final class ConsoleNavigationTests: ConsoleE2ECase {
    func testFilterNarrowsAsYouTypeAndEscapeClears() throws {
        try makeDemoDesk()
        try openConsole()
        let all = Self.queueIDs(tmux.capture("main"))
        XCTAssertEqual(all.count, 10, "the demo's open tickets")

        try tmux.type("main", "/")
        try waitForScreen(contains: "/▏")
        // Every key narrows the queue at once, without Enter.
        var previous = all.count
        for typed in ["p", "pu", "pub"] {
            try tmux.type("main", String(typed.last!))
            let screen = try waitForScreen(contains: " · /\(typed)")
            let count = try XCTUnwrap(Self.queueCount(screen), screen)
            XCTAssertEqual(Self.queueIDs(screen).count, count, screen)
            XCTAssertLessThanOrEqual(count, previous, "typing more never widens the queue")
            previous = count
        }
        try tmux.type("main", "lic")
        var screen = try waitForScreen(contains: " · /public")
        XCTAssertEqual(Self.queueIDs(screen), [7], screen)
        XCTAssertEqual(Self.shownTicket(screen), 7, "the selection follows the filter")

        try tmux.press("main", "Escape")
        screen = try waitForScreen(lacks: "/public")
        XCTAssertEqual(Set(Self.queueIDs(screen)), Set(all), "Esc clears the filter")

        // Enter keeps the filter and closes the prompt; matching covers customers too.
        try tmux.type("main", "/rossi")
        try tmux.press("main", "Enter")
        screen = try waitForScreen(for: "the filter kept, its prompt closed") {
            $0.contains(" · /rossi") && $0.contains("? help  q quit")
        }
        XCTAssertEqual(Self.queueIDs(screen), [6], screen)

        // `/` starts a new filter: the one kept goes.
        try tmux.type("main", "/")
        screen = try waitForScreen(for: "a new, empty filter") { !$0.contains("/rossi") && $0.contains("/▏") }
        XCTAssertEqual(Set(Self.queueIDs(screen)), Set(all), screen)
        try tmux.type("main", "zzz")
        try waitForScreen(contains: "no ticket matches /zzz")
        try tmux.press("main", "Escape")
        screen = try waitForScreen(lacks: "/zzz")
        XCTAssertEqual(Set(Self.queueIDs(screen)), Set(all))

        // Enter keeps a filter; Esc in the queue clears it.
        try tmux.type("main", "/rossi")
        try tmux.press("main", "Enter")
        try waitForScreen(contains: " · /rossi (Esc clears)")
        try tmux.press("main", "Escape")
        screen = try waitForScreen(lacks: "/rossi")
        XCTAssertEqual(Set(Self.queueIDs(screen)), Set(all))
    }

    /// Each view shows exactly the tickets the CLI says belong in it.
    func testViewsShowTheirTickets() throws {
        try makeDemoDesk()
        let tickets = try allTickets()
        func ids(_ include: ([String: Any]) -> Bool) -> Set<Int> { Set(tickets.filter(include).compactMap { $0.int("id") }) }
        func active(_ t: [String: Any]) -> Bool { !["solved", "closed"].contains(t.string("status") ?? "") }
        let views: [(key: String, title: String, expected: Set<Int>)] = [
            ("m", "mine", ids { active($0) && $0.string("assignee") == "alice" }),
            ("u", "unassigned", ids { active($0) && $0["assignee"] is NSNull }),
            ("e", "escalated", ids { active($0) && ($0.int("tier") ?? 1) > 1 }),
            ("f", "follow-ups due", ids { active($0) && ($0["follow_up_due"] as? Bool) == true }),
            ("p", "pending", ids { $0.string("status") == "pending" }),
            ("s", "solved", ids { $0.string("status") == "solved" }),
            ("a", "all open", ids(active)),
        ]
        // The demo has something in every view, so each check means something.
        for view in views { XCTAssertFalse(view.expected.isEmpty, "the demo has no ticket in \(view.title)") }

        try openConsole(["console", "--as", "alice"])
        try waitForScreen(contains: " alice · \(desk.shortName) · live")
        for view in views {
            try tmux.type("main", "v")
            try waitForScreen(contains: "view: [m] mine  [u] unassigned  [a] all open  [e] escalated  [f] follow-ups due  [p] pending  [s] solved")
            try tmux.type("main", view.key)
            let screen = try waitForScreen(contains: " Queue · \(view.title) · \(view.expected.count) · ")
            XCTAssertEqual(Set(Self.queueIDs(screen)), view.expected, "view \(view.title):\n\(screen)")
            if let shown = Self.shownTicket(screen) {
                XCTAssertTrue(view.expected.contains(shown), "the selection moves into the view \(view.title):\n\(screen)")
            }
        }
    }

    func testHelpListsTheKeysAndAnyKeyClosesIt() throws {
        try makeDemoDesk()
        try openConsole(rows: 70)  // tall enough for the whole help, the marks and the columns too
        try tmux.type("main", "?")
        let screen = try waitForScreen(contains: "any key closes this help")
        for text in ["Keys", "Move and look", "Assign", "Write", "Change the ticket",
                     "take the ticket", "give it to an agent (Tab completes)", "reply to the customer ($VISUAL/$EDITOR)",
                     "escalate one tier (asks the reason)", "filter anew as you type, conversations too (Esc clears)", "this help"] {
            XCTAssertTrue(screen.contains(text), "the help shows \"\(text)\":\n\(screen)")
        }
        try tmux.type("main", "x")
        let after = try waitForScreen(lacks: "any key closes this help")
        XCTAssertFalse(after.contains("Move and look"), after)
        XCTAssertEqual(Self.queueIDs(after).count, 10, after)
    }

    func testResizeRelayoutsAtOnce() throws {
        try openDemoConsole(selecting: 7)

        try tmux.resize("main", columns: 80, rows: 24)
        var screen = try waitForScreen(contains: "queue   ticket   customer")
        XCTAssertTrue(screen.contains("Tab switches"), screen)
        XCTAssertFalse(screen.contains("│"), "one pane at a time on a narrow terminal:\n\(screen)")
        XCTAssertTrue(screen.contains("#7 "), screen)
        // Tab shows the ticket pane, still on #7.
        try tmux.press("main", "Tab")
        screen = try waitForScreen(contains: " #7 Public complaint about slow support")

        try tmux.resize("main", columns: 20, rows: 6)
        screen = try waitForScreen(contains: "terminal too small")
        XCTAssertFalse(screen.contains("Queue"), screen)

        try tmux.resize("main", columns: 120, rows: 40)
        screen = try waitForScreen(for: "the three panes again") { $0.contains(" Queue · all open") && $0.contains("│") }
        XCTAssertEqual(Self.shownTicket(screen), 7, "the selection survives resizing:\n\(screen)")
        XCTAssertFalse(screen.contains("terminal too small"), screen)
        XCTAssertFalse(screen.contains("EXITED"), "the console still runs:\n\(screen)")

        try tmux.type("main", "q")
        XCTAssertEqual(try exitStatus(), 0)
    }

    func testQuitExitsAndGivesTheTerminalBack() throws {
        try makeDemoDesk()
        try openConsole()
        XCTAssertEqual(try tmux.display("main", "#{alternate_on}"), "1", "the console uses the alternate screen")
        try tmux.type("main", "q")
        XCTAssertEqual(try exitStatus(), 0)
        let screen = tmux.capture("main")
        XCTAssertFalse(screen.contains("Queue · "), "the console's screen is gone:\n\(screen)")
        XCTAssertEqual(try tmux.display("main", "#{alternate_on}"), "0", "alternate screen off")
        XCTAssertEqual(try tmux.display("main", "#{cursor_flag}"), "1", "cursor visible again")
    }

    /// `q` asks only when a draft is unsent.
    func testQuitAsksWhenADraftIsUnsent() throws {
        try openDemoConsole(selecting: 7)
        let before = try ticket(7).int("message_count")
        try tmux.type("main", "r")
        try waitForScreen(contains: "writing: Ctrl-D or F2 sends")
        try tmux.type("main", "Half a reply")
        try waitForScreen(contains: "Half a reply")
        try tmux.press("main", "Escape")
        try waitForScreen(contains: "draft kept")
        try waitForScreen(contains: "unsent reply draft (12 characters)")

        try tmux.type("main", "q")
        try waitForScreen(contains: "unsent drafts on #7: quit anyway? [y/n]")
        try tmux.type("main", "n")
        try waitForScreen(lacks: "quit anyway?")
        XCTAssertFalse(tmux.capture("main").contains("EXITED"), "n keeps the console running")

        try tmux.type("main", "q")
        try waitForScreen(contains: "quit anyway? [y/n]")
        try tmux.type("main", "y")
        XCTAssertEqual(try exitStatus(), 0)
        XCTAssertEqual(try ticket(7).int("message_count"), before, "nothing was sent")
    }
}
