import Foundation
import HelpdeskLog

/// A database desk whose database cannot be reached: the console keeps working on what it has
/// (keys, drafts, navigation), the status line says "reconnecting…" with why, an append is not
/// written and says so (a reply or note stays a draft), and when the follower is back the
/// console catches up and the status line forgets the outage.
extension Console {
    /// Notes why the database cannot be reached; true when that is news for the screen.
    func lostConnection(_ reason: String) -> Bool {
        defer { state.reconnecting = reason }
        return state.reconnecting != reason
    }

    /// The database answered: "reconnecting…" goes, with what was said because of the outage.
    /// True when it had been lost.
    func reconnected() -> Bool {
        guard state.reconnecting != nil else { return false }
        state.reconnecting = nil
        if let said = outageMessage, state.message == said { state.message = nil }
        outageMessage = nil
        return true
    }

    /// An append found the database unreachable: nothing was written.
    func sayNothingWritten(because reason: String, kept draft: Draft?) {
        _ = lostConnection(reason)
        var text = "nothing was written: the desk's database cannot be reached"
        if let draft { text += "; the \(draft.kind.rawValue) on #\(draft.ticket) is kept as a draft" }
        state.message = StatusMessage(text: text, isError: true)
        outageMessage = state.message
    }
}

extension LogError {
    /// The database could not be reached (as opposed to a refusal or damage).
    var isUnreachable: Bool {
        if case .unreachable = self { return true }
        return false
    }
}
