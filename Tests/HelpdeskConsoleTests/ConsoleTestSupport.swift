import Foundation
import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog
import HelpdeskTestSupport

/// A desk in a temporary log, a console on it at a fixed time, and a grid to draw on.
final class ConsoleFixture {
    let folder: TemporaryFolder
    var directory: String { folder.path }
    let path: String
    let log: DeskLog
    var now = Timestamp.parse("2026-11-20T12:00:00Z")!
    lazy var console = Console(log: log, me: "alice", externalEditor: false, clock: { [unowned self] in self.now })
    var view = ConsoleView()

    init() throws {
        folder = try TemporaryFolder("console-test")
        path = folder.file("desk.log")
        log = try DeskLog.create(path: path, actor: "sam", displayName: "Sam", now: now.addingTimeInterval(-86_400))
        for (account, tier) in [("alice", 1), ("bob", 1), ("carol", 2)] {
            try run(.addAgent(account: account, displayName: nil, role: .agent, tier: tier), as: "sam", hoursAgo: 24)
        }
    }

    deinit { folder.remove() }

    /// Appends through the rules, `hoursAgo` before `now`, as `actor`.
    func run(_ command: Command, as actor: String, hoursAgo: Double = 0) throws {
        let at = now.addingTimeInterval(-hoursAgo * 3600)
        _ = try log.append(actor: actor, now: at) { desk, time throws(Refusal) in
            try Rules.decide(command, by: actor, at: time, on: desk)
        }
    }

    @discardableResult
    func open(_ subject: String, email: String = "jane@example.com", name: String = "Jane Doe",
              priority: Priority = .normal, body: String = "Help!", hoursAgo: Double = 1) throws -> Int {
        try run(.openTicket(customerEmail: email, customerName: name, subject: subject, channel: .email,
                            priority: priority, body: body), as: "bob", hoursAgo: hoursAgo)
        return log.desk.tickets.count
    }

    /// Another process's append: written by a second DeskLog on the same file.
    func appendElsewhere(_ command: Command, as actor: String) throws {
        let other = try DeskLog(path: path, writable: true)
        _ = try other.append(actor: actor, now: now) { desk, time throws(Refusal) in
            try Rules.decide(command, by: actor, at: time, on: desk)
        }
    }

    func screen(rows: Int = 24, columns: Int = 120) -> CellGrid {
        console.refresh()
        view.settle(console, rows: rows, columns: columns)
        let grid = CellGrid(rows: rows, columns: columns)
        view.draw(console, on: grid, live: true)
        return grid
    }

    func press(_ keys: Key...) {
        for key in keys { _ = console.handle(key) }
    }

    func type(_ text: String) {
        for character in text { _ = console.handle(.character(character)) }
    }
}

func assertScreen(_ grid: CellGrid, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
    let actual = grid.lines
    if actual != expected {
        XCTFail("screen differs:\n" + actual.map { "|\($0)|" }.joined(separator: "\n"), file: file, line: line)
    }
}
