import Foundation
import HelpdeskCore

public enum PaneID: String, CaseIterable, Sendable {
    case queue, ticket, customer
}

/// What a one-line prompt on the status line is asking for.
public enum PromptKind: Equatable, Sendable {
    case filter
    case give(ticket: Int)
    case followUp(ticket: Int)
    case escalate(ticket: Int)
    case tags(ticket: Int)
    /// The ticket to merge it into.
    case merge(ticket: Int)
    /// `OTHER [kind]` links, `-OTHER` unlinks.
    case link(ticket: Int)
    /// A file's path, attached to the ticket's reply draft.
    case attach(ticket: Int)
}

/// A single key answers these.
public enum Question: Equatable, Sendable {
    case priority(ticket: Int)
    case view
    case steal(ticket: Int, from: String)
    /// Solving a parent whose children are still open.
    case solveParent(ticket: Int, children: [Int])
    case quit
    /// The conversation moved on while a draft was being written.
    case collision(Draft, arrived: [String])
    /// A change to the marked tickets was refused for some (`refusal` names each): apply it to
    /// the others, `steps`, in one record?
    case applyToOthers(refusal: String, steps: [Command], done: String)
}

public enum Mode: Equatable, Sendable {
    case normal
    case help
    case prompt(PromptKind, text: String)
    case question(Question)
    /// The built-in editor, used when neither $VISUAL nor $EDITOR is set.
    case compose(Draft)
    /// An append waits for another process to release the log's lock; `Esc` cancels it.
    case waitingForLog(since: Date)
    /// The macro picker (`m`) over the ticket's pane.
    case pickMacro(MacroPicker)
}

/// The macro picker: the ticket it applies to, what is typed to filter the macros, and which
/// of the matches is chosen.
public struct MacroPicker: Equatable, Sendable {
    public var ticket: Int
    public var filter = ""
    public var selection = 0
}

/// A reply, note or customer message being written, with what the writer had seen.
public struct Draft: Equatable, Sendable {
    public enum Kind: String, Sendable { case reply, note, customerMessage = "customer message" }
    public var kind: Kind
    public var ticket: Int
    public var text: String
    /// How many messages the ticket had when writing started: anything after is news.
    public var seenMessages: Int
    /// The macro whose rendered text this is: sending it applies the macro with it.
    public var macro: String?
    /// Files kept beside the log to send with the reply (`a`).
    public var attachments: [AttachmentRef] = []
}

public struct StatusMessage: Equatable, Sendable {
    public var text: String
    public var isError: Bool
}

/// Everything the console shows besides the desk itself. Changed only by key handling and by
/// the results of appends; the desk changes only by applying records from the log.
public struct ConsoleState: Equatable, Sendable {
    public var view: QueueViewKind = .allOpen
    /// A saved view chosen in the view chooser, by name: while set (and on the desk), it stands
    /// in for `view`.
    public var savedView: String?
    public var sort: QueueSort = .urgency
    public var filter = ""
    /// The ticket the ticket and customer panes show; the queue highlights it.
    public var selected: Int?
    public var queueTop = 0
    public var focus: PaneID = .queue
    /// Lines scrolled up from the newest end of the conversation.
    public var conversationScroll = 0
    public var showHistory = false
    /// Index into the customer's ticket list, when the customer pane has focus.
    public var customerSelection = 0
    /// Which of the selected ticket's links (`Console.links`) is chosen in the ticket pane.
    public var linkSelection: Int?
    public var mode: Mode = .normal
    /// Lines scrolled in the help overlay.
    public var helpScroll = 0
    public var message: StatusMessage?
    /// Why the desk's database cannot be reached just now (the status line says reconnecting…);
    /// nil while it can, and always for a file desk.
    public var reconnecting: String?
    /// Tickets marked (`Space`, `*`): the keys for assigning and changing act on those of them
    /// in the queue's list, all in one record.
    public var marks: Set<Int> = []
    /// Replies and notes not sent yet, by ticket: kept when an append fails.
    public var drafts: [Int: Draft] = [:]

    public init() {}
}
