/// Everything a key can ask of the console or the wallboard. What each is bound to, where, and
/// what the help says about it is data in `KeyTable`.
public enum Action: String, CaseIterable, Sendable {
    case moveDown, moveUp, pageDown, pageUp, first, last, open, cyclePane, filter, chooseView, cycleSort
    case toggleHistory, help, redraw, quit
    case take, steal, give, release, pullNext, toggleAvailable
    case reply, note, customerMessage, macro, followUp, escalate, priority, solve, reopen, hold, tags, undo
    /// Merging the ticket into another, linking or unlinking it, attaching a file to its reply.
    case merge, link, attach
    case mark, markAll, clearMarks
    /// A console opened at a moment (`--at`): step the whole desk through the past.
    case recordBack, recordForward, hourBack, hourForward
    /// In the ticket pane: the next of the ticket's links (`open` opens it).
    case nextLink
    /// In a one-line prompt and the built-in editor.
    case submit, cancel, complete, send, keepDraft
}

/// Where a binding applies. A pane's own bindings come before the queue's, which come before
/// the console's; `anywhere` holds in both programs whatever they show.
public enum KeyScope: String, CaseIterable, Sendable {
    /// Both programs, in every mode (repainting the screen).
    case anywhere
    /// The console's commands, whatever pane has focus.
    case console
    /// Moving in the queue: from every pane, unless the focused pane binds the key itself.
    case queue
    /// The ticket pane has focus (scrolling the conversation).
    case ticket
    /// The customer pane has focus (the customer's tickets).
    case customer
    /// The help overlay is open.
    case help
    /// A one-line prompt on the status line.
    case prompt
    /// The built-in editor.
    case compose
    /// The macro picker, where other keys type the filter.
    case picker
    /// `helpdesk watch`.
    case wallboard
}

/// The headings of the help overlay, in order.
public enum KeyGroup: String, CaseIterable, Sendable {
    case move = "Move and look"
    case assign = "Assign"
    case write = "Write"
    case change = "Change the ticket"
    /// Marking tickets, which the keys for assigning and changing then act on together.
    case marks = "Mark several tickets (t g u p # s e f m then act on every marked one)"
    /// Stepping through the past, from the live desk or in a console opened at a moment.
    case past = "The desk at a moment (read-only; Esc: back to now)"
    /// Keys that the screen they work on tells about (a prompt, the editor, the help, the wallboard).
    case inPlace = "Where they are used"
}
