import Foundation
import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog
import HelpdeskTestSupport

/// The wallboard of a desk opened from its snapshot makes its figures from the active tickets and
/// the few others that can still count: they must equal the figures of every ticket, when the
/// board opens, as time passes, and after records arrive.
final class BoardTicketsTests: XCTestCase {
    func testTheFiguresOfTheTicketsThatCountAreTheFiguresOfEveryTicket() throws {
        let folder = try TemporaryFolder("board-tickets")
        defer { folder.remove() }
        let path = folder.file("desk.log")
        _ = try GeneratedLog.write(GeneratorSettings(tickets: 1500, seed: 3, supervisor: "sam"), to: path)
        var now = GeneratorSettings.end.addingTimeInterval(1800)
        let utc = TimeZone(identifier: "UTC")!
        let log = try DeskLog(path: path, writable: true)
        log.notesTouchedTickets = true
        XCTAssertNotNil(log.desk.tickets.saved, "opened from the snapshot")
        let board = BoardTickets(desk: log.desk, now: now, readAtOnceUpTo: 0)
        XCTAssertTrue(board.isReading)
        board.startReading()
        let fd = try XCTUnwrap(board.waitingFD, "a large desk is read by a thread")
        try waitFor("the wallboard's pass over the desk") {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            return poll(&entry, 1, 0) == 1
        }
        XCTAssertTrue(board.follow(touched: log.takeTouchedTickets()))
        @discardableResult
        func check(_ step: String) throws -> BoardFigures {
            let whole = try DeskLog(path: path, writable: false, snapshots: false).desk
            let expected = BoardFigures.make(desk: whole, now: now, timeZone: utc)
            let readings = board.readings(of: log.desk, now: now)
            XCTAssertLessThan(readings.count, whole.tickets.count, "reads a part of the desk")
            XCTAssertEqual(BoardFigures.make(desk: log.desk, now: now, timeZone: utc, readings: readings), expected, step)
            return expected
        }
        let atOpen = try check("at open")
        XCTAssertFalse(atOpen.lastComments.isEmpty || atOpen.ratingCount == 0, "the desk has recent ratings and comments")
        // Records: a solve, a rating with a comment, a reopen.
        let active = log.desk.statusIndex.activeIDs
        let solved = try XCTUnwrap(log.desk.tickets.first { $0.status == .solved }).id
        for command in [Command.resolve(ticket: active[0]), .rate(ticket: active[0], score: 2, comment: "slow"),
                        .reopen(ticket: solved)] {
            _ = try log.append(actor: "sam", now: now) { desk, time throws(Refusal) in try Rules.decide(command, by: "sam", at: time, on: desk) }
            board.follow(touched: log.takeTouchedTickets())
            try check("after \(command)")
        }
        for hours in [5.0, 30, 100, 200] {
            now = GeneratorSettings.end.addingTimeInterval(hours * 3600)
            try check("\(hours) hours after the desk's end")
        }
    }
}
