import Foundation
import XCTest
@testable import HelpdeskCore

/// SLA helpers on the in-memory desk: policy changes through the rules, the clock moved to
/// given times, and appends made by the desk itself.
extension DeskFixture {
    /// Changes the policy as a supervisor would (sam is the fixture's supervisor).
    mutating func policy(_ command: SLAPolicyCommand, as actor: String = "sam") throws(Refusal) {
        let events = try SLARules.decide(command, by: actor, on: desk)
        apply(events, as: actor)
    }

    /// Applies events as one record, as a successful append would.
    mutating func apply(_ events: [Event], as actor: String) {
        guard !events.isEmpty else { return }
        seq += 1
        for event in events { try! desk.apply(event, context: EventContext(seq: seq, at: now, actor: actor)) }
        desk.recordApplied(seq: seq)
    }

    /// What an append at `now` would record first: the desk's due escalations.
    @discardableResult
    mutating func escalateDue() -> [Event] {
        let events = SLAEscalation.events(on: desk, now: now)
        apply(events, as: SLAEscalation.actor)
        return events
    }

    func sla(_ id: Int, explain: Bool = false) -> TicketSLA {
        desk.sla(of: ticket(id), now: now, explain: explain)
    }
}

/// "2027-01-15T08:00:00Z" → a date; traps on a typo.
func utc(_ text: String) -> Date {
    guard let date = Timestamp.parse(text) else { fatalError("bad time \(text)") }
    return date
}

let hour: TimeInterval = 3600
let minute: TimeInterval = 60
