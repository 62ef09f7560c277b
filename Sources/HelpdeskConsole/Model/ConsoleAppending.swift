import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

/// An append the console has started but not finished: what to decide against the fresh desk,
/// what to say when it is done, and what to do afterwards.
struct PendingAppend {
    /// What to say once it is done, given what became of the mail it queued.
    let done: (MailSending?) -> String
    /// What to say once it is recorded while its mail goes out (to this address) off the loop.
    let mailing: (String?) -> String
    let decide: (Desk, Date) throws(Refusal) -> Command
    let finished: (_ appended: Bool) -> Void
    /// When the first try found the log locked.
    let since: Date
    /// The reply or note it sends, which stays a draft if it is not written.
    let draft: Draft?
}

/// Appending without freezing the loop: each try takes the log's lock only if it is free at once.
/// While another process holds it the console keeps drawing and following the log, shows
/// "waiting for the log…", and the loop tries again (`retryPendingAppend`) until it gets the
/// lock, `Esc` cancels, or the log's lock timeout passes.
extension Console {
    /// How often the loop tries again while an append waits for the lock, in milliseconds.
    public static let lockRetryInterval: Int32 = 25

    public var isWaitingForLog: Bool { pendingAppend != nil }

    /// Whole seconds the waiting append has waited for the lock, as the status line shows them.
    public var secondsWaitedForLog: Int? {
        guard case .waitingForLog(let since) = state.mode else { return nil }
        return Int(max(now.timeIntervalSince(since), 0))
    }

    func append(_ command: Command, done: String) {
        appendDeciding(done: done) { _, _ in command }
    }

    func appendDeciding(done: String, _ make: @escaping (Desk, Date) throws(Refusal) -> Command,
                        finished: @escaping (_ appended: Bool) -> Void = { _ in }) {
        appendDeciding(saying: { _ in done }, make, finished: finished)
    }

    /// Appends what `make` decides against the fresh desk; says on the status line how it went,
    /// then calls `finished` with whether a record was written (at once, or after waiting).
    /// The mail the record queues goes out off the loop: the status line says `mailing` now and
    /// `done` when its outcome is in (see ConsoleMail).

    func appendDeciding(saying done: @escaping (MailSending?) -> String,
                        mailing: @escaping (String?) -> String = { "recorded; mailing to \($0 ?? "the customer")…" },
                        keeping draft: Draft? = nil,
                        _ make: @escaping (Desk, Date) throws(Refusal) -> Command,
                        finished: @escaping (_ appended: Bool) -> Void = { _ in }) {
        pendingAppend = PendingAppend(done: done, mailing: mailing, decide: make, finished: finished, since: clock(),
                                      draft: draft)
        tryPendingAppend()
    }

    /// One more try of the waiting append; true when it is over (written, refused or given up).
    @discardableResult
    public func retryPendingAppend() -> Bool {
        guard pendingAppend != nil else { return false }
        tryPendingAppend()
        return pendingAppend == nil
    }

    /// `Esc` while waiting: nothing is written; a reply or note stays a draft.
    func cancelPendingAppend() {
        guard let pending = pendingAppend else { return }
        pendingAppend = nil
        state.mode = .normal
        state.message = StatusMessage(text: "cancelled while waiting for the log: nothing was written", isError: false)
        pending.finished(false)
    }

    private func tryPendingAppend() {
        guard let pending = pendingAppend else { return }
        let appended: Bool
        do {
            // Known to be unreachable: not tried (each try would wait on the network), and said.
            if let trouble = connectionTrouble() { throw LogError.unreachable(store: log.path, reason: trouble) }
            let performed = try service.perform(lockWait: 0, sendingMail: false, pending.decide)
            state.message = StatusMessage(text: handOffMail(of: performed.record, pending), isError: false)
            appended = true
        } catch LogError.lockTimeout(_, _) {
            let waited = clock().timeIntervalSince(pending.since)
            if waited < log.lockTimeout {
                state.mode = .waitingForLog(since: pending.since)
                return
            }
            state.message = StatusMessage(text: LogError.lockTimeout(path: log.path, seconds: log.lockTimeout).description,
                                          isError: true)
            appended = false
        } catch let error as LogError where error.isUnreachable {
            sayNothingWritten(because: connectionTrouble() ?? "\(error)", kept: pending.draft)
            appended = false
        } catch let refusal as Refusal {
            state.message = StatusMessage(text: refusal.inConsoleWords, isError: true)
            appended = false
        } catch {
            state.message = StatusMessage(text: "\(error)", isError: true)
            appended = false
        }
        pendingAppend = nil
        if case .waitingForLog = state.mode { state.mode = .normal }
        refresh()
        pending.finished(appended)
    }
}

extension Console {
    /// What the status line says of a sent draft: a reply on a ticket that came by mail says
    /// whether its mail went out, or waits in the outbox for `helpdesk deliver`.
    static func sentWords(_ draft: Draft, mail: MailSending?) -> String {
        let files = draft.attachments.isEmpty ? "" : " with \(fileWords(draft.attachments.count))"
        let what = draft.macro.map { "the macro \($0) on #\(draft.ticket)" } ?? "the \(draft.kind.rawValue) on #\(draft.ticket)\(files)"
        let sent = draft.macro == nil ? "sent" : "applied"
        switch mail {
        case nil: return "\(sent) \(what)"
        case .sent(let address)?: return "\(sent) \(what): mailed to \(address)"
        case .delivered(let channel)?: return "\(sent) \(what): delivered on \(channel)"
        case .undeliverable(let error)?: return "recorded \(what); NOT SENT: \(error)"
        case .notSetUp?: return "recorded \(what); its mail is queued for helpdesk deliver (mail is not set up)"
        case .failed(let error)?: return "recorded \(what); its mail is queued for helpdesk deliver (not sent: \(error))"
        case .waiting(let reason)?: return "recorded \(what); its mail is queued for helpdesk deliver (\(reason))"
        }
    }

    /// What the status line says of a sent draft while its mail is on its way to sendmail.
    static func mailingWords(_ draft: Draft, to address: String?) -> String {
        "recorded the \(draft.kind.rawValue) on #\(draft.ticket); mailing to \(address ?? "the customer")…"
    }
}

extension Refusal {
    /// The refusal as the console says it: which key does it anyway.
    var inConsoleWords: String {
        switch subject {
        case .assignedToOther(let ticket, let holder)?: "#\(ticket) is assigned to \(holder); press T to take it anyway"
        case .notOnRoster?, .inactiveAgent?: "\(message); a supervisor can change that with helpdesk agent"
        case .noSuchTicket?, .badEmail?, nil: message
        }
    }
}
