import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

/// An open console records the SLA escalations that fall due on the desk, by the desk `via`
/// its account, when the loop's timer wakes for them: an idle desk does not wait for the next
/// command. The lock is only tried, never waited for; a busy log leaves it for the next tick.
extension Console {
    /// Records the escalations due now, unless an append of the console's own waits for the
    /// lock or the desk's database cannot be reached; then works out when the next one can fall
    /// due. True when it wrote a record.
    @discardableResult
    public func recordDueBreaches() -> Bool {
        guard let breachWatch, travel == nil, !isWaitingForLog, connectionTrouble() == nil else { return false }
        let recorded = breachWatch.tick(log, now: now)
        if recorded { refresh() }
        return recorded
    }

    /// Seconds until the loop should wake for escalations alone; nil: not before the desk changes.
    public func secondsToNextBreachLook() -> TimeInterval? {
        travel == nil ? breachWatch?.secondsToNextLook(now: now) : nil
    }
}
