import Foundation
import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog
import HelpdeskTestSupport

/// An open console records the SLA escalations that fall due while nobody runs a command: its
/// timer wakes at the breach, the tick records one escalation by the desk, `via` the account.
final class BackgroundEscalationTests: XCTestCase {
    /// A console on a desk whose urgent ticket (first response 1h) breaches 30 s after `now`.
    private func breachingSoon() throws -> (ConsoleFixture, ConsoleProgram) {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire", priority: .urgent, hoursAgo: 1)
        fixture.now = fixture.now.addingTimeInterval(-30)
        fixture.console.breachWatch = BreachWatch(writer: fixture.log, via: "alice")
        return (fixture, ConsoleProgram(console: fixture.console, presence: nil, editor: nil))
    }

    private func escalationRecords(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
            .filter { $0.contains(#""type":"ticket.escalated""#) }
    }

    func testTheTimerWakesAtTheBreachAndTheTickRecordsOneEscalation() throws {
        let (fixture, program) = try breachingSoon()
        _ = program.update(.tick)
        XCTAssertEqual(try escalationRecords(fixture.path), [], "not due yet")
        XCTAssertEqual(program.timeout(), 30_005, "wakes at the breach, before the next minute")

        fixture.now = fixture.now.addingTimeInterval(30.005)  // where the timer wakes
        _ = program.update(.tick)
        let records = try escalationRecords(fixture.path)
        XCTAssertEqual(records.count, 1)
        XCTAssertTrue(records[0].contains(#""actor":"desk","via":"alice""#), records[0])
        XCTAssertTrue(records[0].contains(#""reason":"SLA breach: first response""#), records[0])
        XCTAssertEqual(fixture.console.desk.ticket(1)?.tier, 2)
        XCTAssertEqual(fixture.console.breachWatch?.nextMoment?.timeIntervalSince1970 ?? 0,
                       Timestamp.parse("2026-11-20T15:00:00Z")!.timeIntervalSince1970, accuracy: 0.001,
                       "the next look is when resolution falls due")

        // A second console on the same desk noticing the same breach records nothing.
        let other = Console(log: try DeskLog(path: fixture.path, writable: true), me: "bob", externalEditor: false,
                            clock: { fixture.now })
        other.breachWatch = BreachWatch(writer: other.log, via: "bob")
        XCTAssertFalse(other.recordDueBreaches())
        _ = program.update(.tick)
        XCTAssertEqual(try escalationRecords(fixture.path).count, 1, "a breach is escalated once")
    }

    func testABusyLogLeavesTheEscalationForTheNextTickWithoutWaiting() throws {
        let (fixture, program) = try breachingSoon()
        fixture.now = fixture.now.addingTimeInterval(31)
        let lock = try HeldLock(path: fixture.path)
        _ = program.update(.tick)
        XCTAssertEqual(try escalationRecords(fixture.path), [])
        XCTAssertTrue(fixture.console.breachWatch?.isWaitingForLock == true)
        XCTAssertFalse(fixture.console.isWaitingForLog, "no append of the console's own is held up")
        XCTAssertEqual(program.timeout(), 505, "tries again soon")
        lock.release()
        _ = program.update(.tick)
        XCTAssertEqual(try escalationRecords(fixture.path).count, 1)
    }

    func testAConsoleWithoutAWatchLeavesBreachesToCommands() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire", priority: .urgent, hoursAgo: 2)
        let program = ConsoleProgram(console: fixture.console, presence: nil, editor: nil)
        _ = program.update(.tick)
        XCTAssertEqual(try escalationRecords(fixture.path), [])
    }
}
