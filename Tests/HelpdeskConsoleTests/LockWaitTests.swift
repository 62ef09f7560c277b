import Foundation
import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog
import HelpdeskTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Another process holding the log's lock: the console waits without blocking its loop,
/// keeps drawing, drops keys typed meanwhile, and `Esc` cancels.
final class LockWaitTests: XCTestCase {
    private func statusLine(_ fixture: ConsoleFixture) -> String {
        fixture.screen().lines.last ?? ""
    }

    func testAnAppendWaitsForTheLockWithoutBlockingAndFinishesOnceItIsFree() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        let lock = try HeldLock(path: fixture.path)
        fixture.press(.character("t"))
        XCTAssertTrue(fixture.console.isWaitingForLog, "handle() returned while the lock is held")
        XCTAssertTrue(statusLine(fixture).contains("waiting for the log… 0 s"), statusLine(fixture))
        XCTAssertTrue(statusLine(fixture).contains("Esc cancels"))

        // Keys typed while waiting open nothing, and none reaches a prompt later.
        fixture.press(.character("g"))
        fixture.type("bob")
        fixture.press(.enter)
        fixture.now = fixture.now.addingTimeInterval(3)
        XCTAssertFalse(fixture.console.retryPendingAppend(), "still locked")
        XCTAssertTrue(statusLine(fixture).contains("waiting for the log… 3 s"), statusLine(fixture))

        lock.release()
        XCTAssertTrue(fixture.console.retryPendingAppend())
        XCTAssertEqual(fixture.console.state.mode, .normal)
        XCTAssertEqual(fixture.console.state.message, StatusMessage(text: "took #1", isError: false))
        XCTAssertEqual(fixture.console.desk.ticket(1)?.assignee, "alice")
        XCTAssertEqual(fixture.console.desk.lastSeq, fixture.log.desk.lastSeq)
        let records = try DeskLog(path: fixture.path, writable: false).desk
        XCTAssertEqual(records.ticket(1)?.assignee, "alice", "the give typed while waiting was never sent")
    }

    func testEscCancelsAndWritesNothing() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        let lock = try HeldLock(path: fixture.path)
        let seq = fixture.log.desk.lastSeq
        fixture.press(.character("s"))
        XCTAssertTrue(fixture.console.isWaitingForLog)
        fixture.press(.escape)
        XCTAssertFalse(fixture.console.isWaitingForLog)
        XCTAssertEqual(fixture.console.state.mode, .normal)
        XCTAssertEqual(fixture.console.state.message?.text, "cancelled while waiting for the log: nothing was written")
        lock.release()
        XCTAssertFalse(fixture.console.retryPendingAppend(), "nothing is left to try")
        fixture.console.catchUp()
        XCTAssertEqual(fixture.log.desk.lastSeq, seq)
        XCTAssertEqual(fixture.console.desk.ticket(1)?.status, .new)
    }

    func testAReplyWaitingForTheLockStaysADraftWhenCancelled() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        let lock = try HeldLock(path: fixture.path)
        fixture.press(.character("r"))
        fixture.type("On its way.")
        fixture.press(.control("d"))
        XCTAssertTrue(fixture.console.isWaitingForLog)
        fixture.press(.escape)
        XCTAssertEqual(fixture.console.state.drafts[1]?.text, "On its way.", "the reply is kept")
        lock.release()
        fixture.press(.character("r"), .control("d"))
        XCTAssertFalse(fixture.console.isWaitingForLog)
        XCTAssertEqual(fixture.console.desk.ticket(1)?.messages.last?.kind, .reply)
        XCTAssertTrue(fixture.console.state.drafts.isEmpty)
    }

    func testGivingUpAfterTheLockTimeoutKeepsTheDraft() throws {
        let fixture = try ConsoleFixture()
        try fixture.open("Printer on fire")
        let lock = try HeldLock(path: fixture.path)
        defer { lock.release() }
        fixture.press(.character("n"))
        fixture.type("internal")
        fixture.press(.control("d"))
        fixture.now = fixture.now.addingTimeInterval(fixture.log.lockTimeout)
        XCTAssertTrue(fixture.console.retryPendingAppend(), "gave up")
        XCTAssertEqual(fixture.console.state.mode, .normal)
        XCTAssertEqual(fixture.console.state.message,
                       StatusMessage(text: LogError.lockTimeout(path: fixture.path, seconds: 10).description, isError: true))
        XCTAssertEqual(fixture.console.state.drafts[1]?.text, "internal")
        XCTAssertEqual(fixture.console.desk.ticket(1)?.messages.count, 1)
    }
}
