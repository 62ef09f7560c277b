import Foundation
import HelpdeskDesk
import HelpdeskLog

/// The mail of the console's replies goes out off the loop, the same road as `helpdesk reply`
/// (the `Courier`, under the store's delivery lock): right after the reply is recorded the status
/// line says it is mailing; when the outcome is in (`.mailFinished`), that it was mailed or why
/// not. The ticket pane shows the reply's delivery state from the log meanwhile.
extension Console {
    public var hasMailInFlight: Bool { !mailsInFlight.isEmpty }

    /// The descriptor the loop polls: readable when a mail in flight is done.
    public var mailFinishedFD: Int32 { mailCourier.fd }

    /// Settles what the record queued, or starts sending it; returns what the status line says.
    func handOffMail(of record: Record?, _ pending: PendingAppend) -> String {
        switch service.mailDue(after: record) {
        case nil: return pending.done(nil)
        case .settled(let sending)?: return pending.done(sending)
        case .due(let delivery)?:
            lastMailID += 1
            mailsInFlight[lastMailID] = pending.done
            // The desk's time moves on from now for the thread; the console's clock stays on the loop.
            let handedOff = clock(), started = Date()
            mailCourier.start(id: lastMailID, delivery) { handedOff.addingTimeInterval(Date().timeIntervalSince(started)) }
            return pending.mailing(delivery.recipient)
        }
    }

    /// Takes the outcomes of the mail done since last asked, says the last on the status line,
    /// and reads their records; true when anything was done.
    @discardableResult
    public func collectFinishedMail() -> Bool {
        mailCourier.drain()
        let finished = mailCourier.takeFinished()
        guard !finished.isEmpty else { return false }
        for (id, outcome) in finished {
            guard let words = mailsInFlight.removeValue(forKey: id) else { continue }
            var failed = false
            if case .failed? = outcome { failed = true }
            state.message = StatusMessage(text: words(outcome), isError: failed)
        }
        catchUp()
        return true
    }

    /// On leaving: waits for the mail in flight to reach sendmail and be recorded, so none is left
    /// half-sent (each is bounded by the sendmail and delivery-lock timeouts).
    public func waitForMailInFlight() {
        mailCourier.waitForAll()
        collectFinishedMail()
    }
}
