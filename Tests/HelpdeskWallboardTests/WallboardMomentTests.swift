import Foundation
import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog

/// `watch --at`: the board of the desk as it was at a moment, read-only, escalating nothing.
extension WallboardTests {
    func testAtAMomentTheBoardShowsTheDeskThenEscalatesNothingAndSaysSoInTheWarningColour() throws {
        let utc = TimeZone(identifier: "UTC")!
        let moment = now.addingTimeInterval(-1.5 * 3600)  // 10:30: #1 taken by bob and breached, #2 waiting; #3 to come
        let board = try Wallboard.lookingAt(DeskMoment(moment: moment, realClock: { [unowned self] in now }, timeZone: utc),
                                            location: location)
        let recordsBefore = try XCTUnwrap(desk).storedLines().count
        board.refresh()
        board.refresh()
        XCTAssertEqual(try XCTUnwrap(desk).storedLines().count, recordsBefore, "a breach of the past is not escalated")
        XCTAssertEqual(board.escalated, 0)
        let seq = try DeskLog(location: location, asOf: moment).desk.lastSeq
        XCTAssertEqual(board.log.desk.lastSeq, seq)

        let grid = CellGrid(rows: 20, columns: 120)
        board.draw(on: grid)
        let lines = grid.lines
        XCTAssertTrue(lines[0].hasPrefix(" \(try XCTUnwrap(desk).shortName) · wallboard · 10:30 "), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("BACKLOG 2 active"), lines[1])
        XCTAssertTrue(lines.contains { $0.hasPrefix("#1    urgent first response   -30m  bob") }, lines.joined(separator: "\n"))
        XCTAssertFalse(lines.contains { $0.contains("Feature request") }, "#3 was opened after the moment")
        XCTAssertEqual(lines[19], " looking at 10:30 today: read-only · record #\(seq)")
        XCTAssertEqual(grid[19, 1].role, .warning)
    }
}
