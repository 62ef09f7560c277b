import Foundation
import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog
import HelpdeskTestSupport

/// The wallboard drawn on the in-memory grid, from a real desk (a log file, or with
/// HELPDESK_TEST_STORE=postgres a database) read read-only.
final class WallboardTests: XCTestCase {
    var desk: TemporaryDesk?
    var location = StoreLocation.file(path: "")
    /// Friday 2027-01-15 12:00 UTC.
    var now = Timestamp.parse("2027-01-15T12:00:00Z")!

    override func setUpWithError() throws {
        let desk = try TemporaryDesk("wallboard-test")
        self.desk = desk
        location = StoreLocation.parse(desk.storeName)
        let log = try DeskLog.create(at: location, actor: "sam", displayName: "Sam", now: now.addingTimeInterval(-86_400))
        func run(_ command: Command, as actor: String, hoursAgo: Double) throws {
            _ = try log.append(actor: actor, now: now.addingTimeInterval(-hoursAgo * 3600)) { desk, time throws(Refusal) in
                try Rules.decide(command, by: actor, at: time, on: desk)
            }
        }
        func open(_ subject: String, _ priority: Priority, hoursAgo: Double) throws {
            try run(.openTicket(customerEmail: "jane@example.com", customerName: "Jane Doe", subject: subject, channel: .email,
                                priority: priority, body: "Help"), as: "alice", hoursAgo: hoursAgo)
        }
        try run(.addAgent(account: "alice", displayName: nil, role: .agent, tier: 1), as: "sam", hoursAgo: 20)
        try run(.addAgent(account: "bob", displayName: nil, role: .agent, tier: 1), as: "sam", hoursAgo: 20)
        try open("Printer on fire", .urgent, hoursAgo: 3)            // #1 first response breached 2h ago
        try run(.take(ticket: 1, steal: false), as: "bob", hoursAgo: 2.9)
        try open("Invoice question", .normal, hoursAgo: 6.5)         // #2 1h30m of 8h left: at risk
        try open("Feature request", .low, hoursAgo: 1)               // #3 fine
        try run(.take(ticket: 3, steal: false), as: "alice", hoursAgo: 0.9)
        try run(.reply(ticket: 3, body: "Noted"), as: "alice", hoursAgo: 0.5)
        try open("Password reset", .high, hoursAgo: 4)               // #4 solved and rated
        try run(.reply(ticket: 4, body: "Done"), as: "bob", hoursAgo: 3.5)
        try run(.resolve(ticket: 4), as: "bob", hoursAgo: 3)
        try run(.rate(ticket: 4, score: 4, comment: "Quick, thanks"), as: "alice", hoursAgo: 2)
    }

    override func tearDown() {
        desk?.remove()
    }

    func board(watching: Bool) throws -> Wallboard {
        let log = try DeskLog(location: location, writable: false)
        return Wallboard(log: log, watch: watching ? BreachWatch(location: location, via: "sam") : nil,
                         timeZone: TimeZone(identifier: "UTC")!, clock: { [unowned self] in self.now })
    }

    /// What a 120-column board has right of its separator.
    static func rightColumn(_ lines: [String]) -> [String] {
        lines.map { $0.count > 69 ? String($0.dropFirst(69)) : "" }
    }

    func testTheWholeBoardOnAWideTerminal() throws {
        let board = try board(watching: false)
        board.refresh()
        let grid = CellGrid(rows: 20, columns: 120)
        board.draw(on: grid)
        let lines = grid.lines
        XCTAssertTrue(lines[0].hasPrefix(" \(try XCTUnwrap(desk).shortName) · wallboard · 12:00 "), lines.joined(separator: "\n"))
        XCTAssertTrue(lines[0].hasSuffix("read-only · q quits"), lines[0])
        let left = lines.map { String($0.prefix(67)).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
        XCTAssertEqual(Array(left[1...12]), [
            "BACKLOG 3 active · new 1 · open 2 · pending 0 · on-hold 0",
            "  urgent 1 · high 0 · normal 1 · low 1",
            "  last 24h ▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▃▃▅▅▅██ now 3",
            "UNASSIGNED 1 · oldest #2 waiting 6h 30m",
            "ESCALATED tier 2: 0 · tier 3: 0",
            "FOLLOW-UPS DUE 0",
            "",
            "BREACHED (1)",
            "#1    urgent first response    -2h  bob      t1 Printer on fire",
            "AT RISK (1)",
            "#2    normal first response     1h  -        t1 Invoice question",
            "",
        ], left.joined(separator: "\n"))
        let right = Self.rightColumn(lines)
        XCTAssertEqual(Array(right[1...6]), [
            "AGENT        OPEN  SOLVED TODAY  1ST REPLY TODAY",
            "sam          0     0             -",
            "alice        1     0             30m",
            "bob          1     1             30m",
            "",
            "SATISFACTION 4.0/5 from 1 rating (7 days)",
        ], right.joined(separator: "\n"))
        XCTAssertEqual(right[7], "  4/5 #4 Quick, thanks")
        XCTAssertEqual(lines[19], " live · record #13 · breaches shown, not escalated")

        // Roles: the breach and the risk in their colours, the grid's separator in its column.
        let breachRow = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("#1 ") })
        let minus = try XCTUnwrap(lines[breachRow].range(of: "-2h")).lowerBound
        XCTAssertEqual(grid[breachRow, lines[breachRow].distance(from: lines[breachRow].startIndex, to: minus)].role, .breached)
        let riskRow = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("#2 ") })
        XCTAssertEqual(grid[riskRow, 30].role, .atRisk, lines[riskRow])
        XCTAssertEqual(grid[5, 67].text, "│")
    }

    func testTheNetPromoterScoreOfTheLast30DaysIsShownOnceThereAreAnswers() throws {
        func npsLine() throws -> String? {
            let board = try board(watching: false)
            board.refresh()
            let grid = CellGrid(rows: 20, columns: 120)
            board.draw(on: grid)
            let right = Self.rightColumn(grid.lines)
            return right.firstIndex { $0.hasPrefix("NPS") }.map { right[$0] + " /" + right[$0 + 1] }
        }
        XCTAssertNil(try npsLine(), "no answers: no line")
        let log = try DeskLog(location: location, writable: true)
        for (score, hoursAgo) in [(10, 1.5), (9, 1.0), (3, 0.5)] {
            // Answers as intake records them (the survey's mail and threading are SurveyTests').
            _ = try log.append(actor: "mail", now: now.addingTimeInterval(-hoursAgo * 3600)) { _, _ throws(Refusal) in
                [.surveyAnswered(ticket: 4, kind: .nps, score: score, comment: nil)]
            }
        }
        XCTAssertEqual(try npsLine(), "NPS +33 from 3 answers (30 days) /  promoters 2 · passives 0 · detractors 1")
        now = now.addingTimeInterval(30 * 86_400 - 1.25 * 3600)
        XCTAssertEqual(try npsLine(), "NPS +0 from 2 answers (30 days) /  promoters 1 · passives 0 · detractors 1",
                       "the first answer is now more than 30 days old")
    }

    /// billing (alice, round-robin; she is away) holds #2, tech (bob, no hand-out) #1; bob is available.
    func addGroups() throws {
        let log = try DeskLog(location: location, writable: true)
        func run(_ command: TeamCommand, as actor: String = "sam") throws {
            _ = try log.append(actor: actor, now: now.addingTimeInterval(-60)) { desk, time throws(Refusal) in
                try Rules.decide(.team(command), by: actor, at: time, on: desk)
            }
        }
        try run(.addGroup(name: "billing", displayName: "Billing"))
        try run(.addGroup(name: "tech", displayName: nil))
        try run(.addMember(group: "billing", agent: "alice"))
        try run(.addMember(group: "tech", agent: "bob"))
        try run(.setAssignMode(group: "billing", mode: .roundRobin, capacity: nil))
        try run(.setGroup(ticket: 2, group: "billing"))
        try run(.setGroup(ticket: 1, group: "tech"))
        try run(.available(until: nil), as: "bob")
    }

    /// A read-only board of the desk with groups, drawn once.
    func groupBoard(rows: Int, columns: Int) throws -> (Wallboard, CellGrid) {
        try addGroups()
        let board = try board(watching: false)
        board.refresh()
        let grid = CellGrid(rows: rows, columns: columns)
        board.draw(on: grid)
        return (board, grid)
    }

    func testGroupsAndWhoIsAvailableOnAWideTerminal() throws {
        let (_, grid) = try groupBoard(rows: 24, columns: 120)
        let lines = grid.lines, right = Self.rightColumn(grid.lines)
        XCTAssertEqual(Array(right[1...11]), [
            "GROUP        BACKLOG  UNASSIGNED  WAITING",
            "billing      1        1           1",
            "tech         1        0           0",
            "",
            "AGENT        NOW    OPEN  SOLVED TODAY  1ST REPLY",
            "sam          away   0     0             -",
            "alice        away   1     0             30m",
            "bob          avail  1     1             30m",
            "",
            "SATISFACTION 4.0/5 from 1 rating (7 days)",
            "  4/5 #4 Quick, thanks",
        ], right.joined(separator: "\n"))
        XCTAssertTrue(lines.allSatisfy { TextWidth.columns(of: $0) <= 120 })
        XCTAssertEqual(grid[2, 69 + 34].role, .atRisk, "a ticket waiting for an available agent stands out")
        XCTAssertEqual(grid[3, 69 + 34].role, .normal)
        XCTAssertEqual(grid[8, 69 + 13].role, .presence, "available")
        XCTAssertEqual(grid[7, 69 + 13].role, .dim, "away")
        XCTAssertEqual(lines[1].prefix(8), "BACKLOG ", "the left column is as before")
    }

    func testGroupsOnNarrowTerminalsComeBeforeTheAgents() throws {
        let (board, grid) = try groupBoard(rows: 30, columns: 60)
        let lines = grid.lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
        let text = lines.joined(separator: "\n")
        for expected in ["BREACHED (1)", "AT RISK (1)", "billing      1        1           1", "bob          avail  1     1"] {
            XCTAssertTrue(text.contains(expected), "\(expected) missing:\n\(text)")
        }
        let group = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("GROUP ") }, text)
        let agent = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("AGENT ") }, text)
        XCTAssertLessThan(lines.firstIndex { $0.hasPrefix("AT RISK") } ?? .max, group)
        XCTAssertLessThan(group, agent)
        for rows in 0...14 {
            for columns in [0, 39, 40, 41, 60, 119, 120, 200] { board.draw(on: CellGrid(rows: rows, columns: columns)) }
        }
    }

    func testNarrowAndTinyTerminals() throws {
        let board = try board(watching: false)
        board.refresh()
        let grid = CellGrid(rows: 24, columns: 80)
        board.draw(on: grid)
        let text = grid.lines.joined(separator: "\n")
        for expected in ["BACKLOG 3 active", "BREACHED (1)", "AT RISK (1)", "AGENT        OPEN", "bob          1     1             30m", "SATISFACTION 4.0/5"] {
            XCTAssertTrue(text.contains(expected), "\(expected) missing:\n\(text)")
        }
        let small = CellGrid(rows: 6, columns: 30)
        board.draw(on: small)
        XCTAssertEqual(small.lines[0], "terminal too small: 30×6, need")
        for rows in 0...12 {
            for columns in [0, 1, 39, 40, 41, 80, 99, 100, 101, 200] { board.draw(on: CellGrid(rows: rows, columns: columns)) }
        }
    }

    func testTheBoardRecordsADueEscalationOnceAndShowsIt() throws {
        let board = try board(watching: true)
        let before = board.log.desk.lastSeq
        board.refresh()
        XCTAssertEqual(board.escalated, 1)
        let records = try XCTUnwrap(desk).storedLines()
        XCTAssertEqual(records.count, before + 1)
        let last = String(records.last ?? "")
        XCTAssertTrue(last.contains(#""actor":"desk","via":"sam""#), last)
        XCTAssertTrue(last.contains(#""reason":"SLA breach: first response""#), last)
        XCTAssertEqual(board.log.desk.ticket(1)?.tier, 2)
        XCTAssertNil(board.log.desk.ticket(1)?.assignee, "bob works at tier 1")
        board.refresh()
        let second = try self.board(watching: true)
        second.refresh()
        XCTAssertEqual(board.escalated + second.escalated, 1, "a breach is escalated once")
        let grid = CellGrid(rows: 20, columns: 120)
        board.draw(on: grid)
        XCTAssertTrue(grid.lines[5].hasPrefix("ESCALATED tier 2: 1 · tier 3: 0"), grid.lines[5])
        XCTAssertEqual(grid.lines[19], " live · record #\(before + 1) · recorded 1 escalation record")
    }

    func testABusyLogLeavesTheEscalationForTheNextTickWithoutBlockingTheLoop() throws {
        let board = Wallboard(log: try DeskLog(location: location, writable: false),
                              watch: BreachWatch(location: location, via: "sam", lockTimeout: 0),
                              timeZone: TimeZone(identifier: "UTC")!, clock: { [unowned self] in self.now })
        let program = WallboardProgram(board: board)
        let lock = try HeldWritersLock(try XCTUnwrap(desk))
        _ = program.update(.tick)
        XCTAssertEqual(board.escalated, 0)
        XCTAssertEqual(program.timeout(), 505, "tries again soon")
        XCTAssertTrue(board.status.hasSuffix("an escalation is due; the log is busy, trying again"), board.status)
        lock.release()
        _ = program.update(.tick)
        XCTAssertEqual(board.escalated, 1)
        XCTAssertEqual(board.log.desk.ticket(1)?.tier, 2)
    }

    /// While the follower says the desk's database cannot be reached, the board reads nothing
    /// and says "reconnecting…" in the warning style; once it is back it catches up.
    func testReconnectingShowsOnTheStatusLineAndCatchesUpAfter() throws {
        let board = try board(watching: false)
        var trouble: String? = "cannot reach the desk's database postgresql://db.example/desk: connection refused"
        board.connectionTrouble = { trouble }
        board.refresh()
        let before = board.log.desk.lastSeq
        let writer = try DeskLog(location: location, writable: true)
        _ = try writer.append(actor: "bob", now: now) { desk, time throws(Refusal) in
            try Rules.decide(.take(ticket: 2, steal: false), by: "bob", at: time, on: desk)
        }
        _ = WallboardProgram(board: board).update(.logChanged)
        XCTAssertEqual(board.log.desk.lastSeq, before)
        let grid = CellGrid(rows: 20, columns: 120)
        board.draw(on: grid)
        XCTAssertEqual(grid.lines[19].trimmingCharacters(in: .whitespaces), "reconnecting… " + trouble!)
        XCTAssertEqual(grid[19, 0].role, .warning)
        trouble = nil
        _ = WallboardProgram(board: board).update(.logChanged)
        XCTAssertEqual(board.log.desk.lastSeq, before + 1)
        XCTAssertTrue(board.status.hasPrefix("live · record #\(before + 1)"), board.status)
    }

    func testTheTimerWakesForTheNextDueClock() throws {
        let board = try board(watching: false)
        now = Timestamp.parse("2027-01-15T12:00:10Z")!
        board.refresh()
        // #2 breaches at 17:30, #3 comes at risk later; the next minute comes first.
        XCTAssertEqual(board.timeout(), 50_005)
        XCTAssertEqual(WallboardView.sparkline([0, 1, 2, 3, 4, 5, 6, 7]), "▁▂▃▄▅▆▇█")
        XCTAssertEqual(WallboardView.sparkline([2, 2]), "▄▄")
    }
}
