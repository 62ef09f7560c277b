import Foundation
import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog
import HelpdeskTestSupport

/// The console tells its agent, on the status line and by the terminal, of what others do that
/// concerns them; never of their own doing.
final class NotificationTests: XCTestCase {
    /// Another process's change, and the console catching up with it.
    private func elsewhere(_ fixture: ConsoleFixture, _ command: Command, as actor: String) throws {
        try fixture.appendElsewhere(command, as: actor)
        XCTAssertTrue(fixture.console.catchUp())
    }

    func testATicketGivenByAnotherRingsTheBellAndSaysSoOnTheStatusLine() throws {
        let fixture = try ConsoleFixture()
        let id = try fixture.open("Printer on fire")
        _ = fixture.console
        try elsewhere(fixture, .give(ticket: id, to: "alice"), as: "sam")
        let said = "#\(id) is yours now (given by sam): Printer on fire"
        XCTAssertEqual(fixture.console.state.message?.text, said)
        XCTAssertTrue(fixture.screen().lines.last?.contains(said) == true, fixture.screen().lines.joined(separator: "\n"))

        let program = ConsoleProgram(console: fixture.console, presence: nil, editor: nil)
        program.notify = .both
        XCTAssertEqual(program.takeAlerts(), [.bell, .desktop(title: "helpdesk #\(id)", body: said)])
        XCTAssertEqual(program.takeAlerts(), [], "taken once")
    }

    func testTheAgentsOwnDoingsAndOthersTicketsSayNothing() throws {
        let fixture = try ConsoleFixture()
        let mine = try fixture.open("Mine")
        let bobs = try fixture.open("Bob's")
        _ = fixture.console
        try elsewhere(fixture, .take(ticket: mine, steal: false), as: "alice")
        try elsewhere(fixture, .take(ticket: bobs, steal: false), as: "bob")
        try elsewhere(fixture, .addCustomerMessage(ticket: bobs, body: "Hello?"), as: "bob")
        try elsewhere(fixture, .note(ticket: bobs, body: "mail bob@alice.com or @alicex"), as: "bob")
        XCTAssertEqual(fixture.console.takeNotices(), [])
        XCTAssertNil(fixture.console.state.message)
    }

    func testACustomerWritingOnMyTicketAndANoteMentioningMeAreTold() throws {
        let fixture = try ConsoleFixture()
        let id = try fixture.open("Invoice")
        _ = fixture.console
        try elsewhere(fixture, .take(ticket: id, steal: false), as: "alice")
        try elsewhere(fixture, .addCustomerMessage(ticket: id, body: "Any news?"), as: "bob")
        try elsewhere(fixture, .note(ticket: id, body: "Could @alice look at the refund?"), as: "carol")
        XCTAssertEqual(fixture.console.takeNotices().map(\.text),
                       ["#\(id): the customer wrote: Invoice", "#\(id): carol mentioned you in a note"])
    }

    func testAMentionIsAWordOfItsOwn() {
        XCTAssertTrue(Console.mentions("alice", in: "@alice please"))
        XCTAssertTrue(Console.mentions("alice", in: "thanks, @alice."))
        XCTAssertTrue(Console.mentions("alice", in: "(@alice)"))
        XCTAssertFalse(Console.mentions("alice", in: "bob@alice.com"))
        XCTAssertFalse(Console.mentions("alice", in: "@alicex"))
        XCTAssertFalse(Console.mentions("alice", in: "@alice.smith"))
        XCTAssertFalse(Console.mentions("alice", in: "alice"))
    }

    /// An urgent ticket of alice's, just opened: its running clock, and when it falls due.
    private func myUrgentTicket() throws -> (fixture: ConsoleFixture, id: Int, clock: SLAClock, due: Date) {
        let fixture = try ConsoleFixture()
        let id = try fixture.open("Server down", priority: .urgent, hoursAgo: 0)
        try fixture.run(.take(ticket: id, steal: false), as: "alice")
        let clock = try XCTUnwrap(SLACalculator(policy: fixture.log.desk.slaPolicy)
            .evaluate(fixture.log.desk.ticket(id)!, now: fixture.now).clocks.first { $0.state == .running })
        return (fixture, id, clock, try XCTUnwrap(clock.due))
    }

    func testATicketOfMineAboutToBreachIsToldOnce() throws {
        let (fixture, id, clock, due) = try myUrgentTicket()
        fixture.now = due.addingTimeInterval(-16 * 60)
        fixture.console.noticeComingBreaches()
        XCTAssertEqual(fixture.console.takeNotices(), [], "16 minutes left: not yet")
        fixture.now = due.addingTimeInterval(-10 * 60)
        fixture.console.noticeComingBreaches()
        XCTAssertEqual(fixture.console.takeNotices().map(\.text), ["#\(id) breaches its \(clock.target.name) SLA in 10m: Server down"])
        fixture.now = due.addingTimeInterval(-5 * 60)
        fixture.console.noticeComingBreaches()
        XCTAssertEqual(fixture.console.takeNotices(), [], "told once")
    }

    func testTheTimerLooksAtTheClocksAtMostOnceAMinute() throws {
        let (fixture, _, _, due) = try myUrgentTicket()
        fixture.now = due.addingTimeInterval(-15 * 60 - 20)  // 20 s before the warning's window
        fixture.console.noticeComingBreachesIfDue()
        fixture.now = due.addingTimeInterval(-15 * 60 + 10)  // inside it, but 30 s after the last look
        fixture.console.noticeComingBreachesIfDue()
        XCTAssertEqual(fixture.console.takeNotices(), [], "not looked at again within the minute")
        fixture.now = due.addingTimeInterval(-15 * 60 + 40)
        fixture.console.noticeComingBreachesIfDue()
        XCTAssertEqual(fixture.console.takeNotices().count, 1, "a minute later it is")
    }

    func testDesktopNotificationsAreChosenByTheTerminalAndCarryNoControlCharacters() {
        XCTAssertEqual(DesktopNotification.forTerminal(["TERM": "xterm-kitty"]), .osc99)
        XCTAssertEqual(DesktopNotification.forTerminal(["TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"]), .osc9)
        XCTAssertEqual(DesktopNotification.forTerminal(["TERM": "foot"]), .osc777)
        XCTAssertNil(DesktopNotification.forTerminal(["TERM": "tmux-256color"]))
        let sequence = DesktopNotification.osc777.sequence(title: "helpdesk #4", body: "evil\u{1B}]0;x\u{07};more\u{9B}")
        XCTAssertEqual(sequence, "\u{1B}]777;notify;helpdesk #4;evil ]0 x  more \u{07}")
    }

    func testNotifyIsReadFromTheAgentsConfigAndABadValueIsNamed() throws {
        let folder = try TemporaryFolder("notify-config")
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path + "/helpdesk", withIntermediateDirectories: true)
        let environment = ["XDG_CONFIG_HOME": folder.path]
        XCTAssertEqual(try UserConfig.notify(environment: environment), .bell, "no file: the bell")
        try "theme: dark\nnotify: both\n".write(toFile: folder.path + "/helpdesk/config.yaml", atomically: true, encoding: .utf8)
        XCTAssertEqual(try UserConfig.notify(environment: environment), .both)
        XCTAssertEqual(try ThemeChoice.configuredTheme(environment: environment), "dark")
        try "notify: loud\n".write(toFile: folder.path + "/helpdesk/config.yaml", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try UserConfig.notify(environment: environment)) { error in
            XCTAssertTrue("\(error)".contains("notify should be one of bell, desktop, both, none"), "\(error)")
        }
    }
}
