import Foundation
import XCTest
@testable import HelpdeskCore

/// A desk in memory driven the way the log drives it: decide, then apply what was decided.
struct DeskFixture {
    var desk = Desk()
    var now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z
    var seq = 0

    init(agents: [(String, Role, Int)] = [("alice", .agent, 1), ("bob", .agent, 1), ("carol", .agent, 2)]) {
        try! run(.createDesk(displayName: "Sam Supervisor"), as: "sam")
        for (account, role, tier) in agents {
            try! run(.addAgent(account: account, displayName: nil, role: role, tier: tier), as: "sam")
        }
    }

    /// Decides and applies; returns the events, as a successful append would.
    @discardableResult
    mutating func run(_ command: Command, as actor: String) throws(Refusal) -> [Event] {
        let events = try Rules.decide(command, by: actor, at: now, on: desk)
        guard !events.isEmpty else { return [] }
        seq += 1
        for event in events { try! desk.apply(event, context: EventContext(seq: seq, at: now, actor: actor)) }
        desk.recordApplied(seq: seq)
        return events
    }

    mutating func advance(_ seconds: TimeInterval) { now = now.addingTimeInterval(seconds) }

    /// Opens a ticket for jane@example.com and returns its id.
    mutating func open(_ subject: String = "Printer on fire", priority: Priority = .normal,
                       body: String? = "It is on fire", email: String = "jane@example.com") -> Int {
        let events = try! run(.openTicket(customerEmail: email, customerName: "Jane Doe", subject: subject,
                                          channel: .email, priority: priority, body: body), as: "alice")
        for case .ticketOpened(let id, _, _, _, _) in events { return id }
        fatalError("no ticket opened")
    }

    func ticket(_ id: Int) -> Ticket { desk.ticket(id)! }

    /// Asserts `command` is refused, with a message containing `text`.
    mutating func assertRefused(_ command: Command, as actor: String, _ kind: Refusal.Kind, containing text: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        do {
            let events = try run(command, as: actor)
            XCTFail("expected a refusal, got \(events)", file: file, line: line)
        } catch {
            XCTAssertEqual(error.kind, kind, "\(error.message)", file: file, line: line)
            XCTAssertTrue(error.message.contains(text), "'\(error.message)' lacks '\(text)'", file: file, line: line)
        }
    }
}
