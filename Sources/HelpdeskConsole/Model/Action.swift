/// Every action of the console, with its default keys and help text: the one table that both
/// the keymap and the help overlay are made from (tig's request table is the model).
public enum Action: String, CaseIterable, Sendable {
    case moveDown, moveUp, pageDown, pageUp, first, last, open, cyclePane, filter, chooseView, cycleSort
    case toggleHistory, help, quit
    case take, steal, give, release, pullNext
    case reply, note, customerMessage, followUp, escalate, priority, solve, reopen, hold, tags

    public enum Group: String, CaseIterable, Sendable {
        case move = "Move and look"
        case assign = "Assign"
        case write = "Write"
        case change = "Change the ticket"
    }

    public var keys: [Key] {
        switch self {
        case .moveDown: [.character("j"), .down]
        case .moveUp: [.character("k"), .up]
        case .pageDown: [.pageDown, .control("f")]
        case .pageUp: [.pageUp, .control("b")]
        case .first: [.home]
        case .last: [.end, .character("G")]
        case .open: [.enter]
        case .cyclePane: [.tab]
        case .filter: [.character("/")]
        case .chooseView: [.character("v")]
        case .cycleSort: [.character("S")]
        case .toggleHistory: [.character("h")]
        case .help: [.character("?")]
        case .quit: [.character("q")]
        case .take: [.character("t")]
        case .steal: [.character("T")]
        case .give: [.character("g")]
        case .release: [.character("u")]
        case .pullNext: [.character("N")]
        case .reply: [.character("r")]
        case .note: [.character("n")]
        case .customerMessage: [.character("c")]
        case .followUp: [.character("f")]
        case .escalate: [.character("e")]
        case .priority: [.character("p")]
        case .solve: [.character("s")]
        case .reopen: [.character("o")]
        case .hold: [.character("H")]
        case .tags: [.character("#")]
        }
    }

    public var help: String {
        switch self {
        case .moveDown: "next ticket (or scroll down)"
        case .moveUp: "previous ticket (or scroll up)"
        case .pageDown: "a page down"
        case .pageUp: "a page up"
        case .first: "first ticket"
        case .last: "last ticket"
        case .open: "open the ticket (or the customer's earlier ticket)"
        case .cyclePane: "next pane: queue, ticket, customer"
        case .filter: "filter the queue as you type (Esc clears)"
        case .chooseView: "choose the view (mine, unassigned, all open, escalated, …)"
        case .cycleSort: "sort by urgency, newest, oldest, last update, id"
        case .toggleHistory: "show the ticket's history instead of its conversation"
        case .help: "this help"
        case .quit: "quit (asks only if a draft is unsent)"
        case .take: "take the ticket"
        case .steal: "take it from whoever has it (asks first)"
        case .give: "give it to an agent (Tab completes)"
        case .release: "release it (unassign)"
        case .pullNext: "take the most urgent unassigned ticket you may work"
        case .reply: "reply to the customer ($VISUAL/$EDITOR)"
        case .note: "internal note"
        case .customerMessage: "customer message, typed in from a call"
        case .followUp: "follow up: 2h, tomorrow 09:00, fri (empty clears)"
        case .escalate: "escalate one tier (asks the reason)"
        case .priority: "priority: l, n, h, u"
        case .solve: "solve"
        case .reopen: "reopen a solved ticket"
        case .hold: "put on hold"
        case .tags: "tags: +tag -tag"
        }
    }

    public var group: Group {
        switch self {
        case .moveDown, .moveUp, .pageDown, .pageUp, .first, .last, .open, .cyclePane, .filter, .chooseView,
             .cycleSort, .toggleHistory, .help, .quit: .move
        case .take, .steal, .give, .release, .pullNext: .assign
        case .reply, .note, .customerMessage: .write
        case .followUp, .escalate, .priority, .solve, .reopen, .hold, .tags: .change
        }
    }

    /// The keymap made from the table.
    public static let byKey: [Key: Action] = {
        var map: [Key: Action] = [:]
        for action in allCases {
            for key in action.keys {
                precondition(map[key] == nil, "key \(key.label) bound twice")
                map[key] = action
            }
        }
        return map
    }()
}
