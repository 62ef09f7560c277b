/// The keys of the console and the wallboard.
extension KeyTable {
    public static let standard = KeyTable(rows: [
        KeyBinding(.moveDown, [.character("j"), .down], .queue, .move, "next ticket"),
        KeyBinding(.moveUp, [.character("k"), .up], .queue, .move, "previous ticket"),
        KeyBinding(.pageDown, [.pageDown, .control("f")], .queue, .move, "a page down"),
        KeyBinding(.pageUp, [.pageUp, .control("b")], .queue, .move, "a page up"),
        KeyBinding(.first, [.home], .queue, .move, "first ticket"),
        KeyBinding(.last, [.end, .character("G")], .queue, .move, "last ticket"),
        KeyBinding(.open, [.enter], .queue, .move, "open the ticket"),

        KeyBinding(.moveDown, [.character("j"), .down], .ticket, .move, "scroll down, toward the newest message"),
        KeyBinding(.moveUp, [.character("k"), .up], .ticket, .move, "scroll up, to earlier messages"),
        KeyBinding(.pageDown, [.pageDown, .control("f")], .ticket, .move, "a page down"),
        KeyBinding(.pageUp, [.pageUp, .control("b")], .ticket, .move, "a page up"),
        KeyBinding(.last, [.end, .character("G")], .ticket, .move, "the newest message"),
        KeyBinding(.nextLink, [.character("l")], .ticket, .move, "select the ticket's next link (merged and linked tickets)"),
        KeyBinding(.open, [.enter], .ticket, .move, "open the selected link"),

        KeyBinding(.moveDown, [.character("j"), .down], .customer, .move, "the customer's next ticket"),
        KeyBinding(.moveUp, [.character("k"), .up], .customer, .move, "the customer's previous ticket"),
        KeyBinding(.open, [.enter], .customer, .move, "open that ticket"),

        KeyBinding(.cyclePane, [.tab], .console, .move, "next pane: queue, ticket, customer"),
        KeyBinding(.filter, [.character("/")], .console, .move,
                   "filter anew as you type, conversations too (Esc clears)"),
        KeyBinding(.chooseView, [.character("v")], .console, .move, "choose the view (mine, unassigned, all open, …, saved views)"),
        KeyBinding(.cycleSort, [.character("S")], .console, .move, "sort by urgency, newest, oldest, last update, id"),
        KeyBinding(.toggleHistory, [.character("h")], .console, .move, "show the ticket's history instead of its conversation"),
        KeyBinding(.help, [.character("?")], .console, .move, "this help", hint: "help"),
        KeyBinding(.redraw, [.control("l")], .anywhere, .move, "repaint the whole screen (after something wrote over it)"),
        KeyBinding(.quit, [.character("q")], .console, .move, "quit (asks only if a draft is unsent)", hint: "quit"),

        KeyBinding(.take, [.character("t")], .console, .assign, "take the ticket"),
        KeyBinding(.steal, [.character("T")], .console, .assign, "take it from whoever has it (asks first)"),
        KeyBinding(.give, [.character("g")], .console, .assign, "give it to an agent (Tab completes)"),
        KeyBinding(.release, [.character("u")], .console, .assign, "release it (unassign)"),
        KeyBinding(.pullNext, [.character("N")], .console, .assign, "take the most urgent unassigned ticket, your groups' first"),
        KeyBinding(.toggleAvailable, [.character("A")], .console, .assign, "available or away for your groups' automatic assignment"),

        KeyBinding(.reply, [.character("r")], .console, .write, "reply to the customer ($VISUAL/$EDITOR)"),
        KeyBinding(.note, [.character("n")], .console, .write, "internal note"),
        KeyBinding(.customerMessage, [.character("c")], .console, .write, "customer message, typed in from a call"),
        KeyBinding(.macro, [.character("m")], .console, .write, "a macro: type to filter, Enter edits its reply or applies it"),
        KeyBinding(.attach, [.character("a")], .console, .write, "attach a file to the reply (asks its path)"),

        KeyBinding(.followUp, [.character("f")], .console, .change, "follow up: 2h, tomorrow 09:00, fri (empty clears)"),
        KeyBinding(.escalate, [.character("e")], .console, .change, "escalate one tier (asks the reason)"),
        KeyBinding(.priority, [.character("p")], .console, .change, "priority: l, n, h, u"),
        KeyBinding(.solve, [.character("s")], .console, .change, "solve"),
        KeyBinding(.reopen, [.character("o")], .console, .change, "reopen: a solved, pending or on-hold ticket back to open"),
        KeyBinding(.hold, [.character("H")], .console, .change, "put on hold"),
        KeyBinding(.tags, [.character("#")], .console, .change, "tags: +tag -tag"),
        KeyBinding(.merge, [.character("M")], .console, .change, "merge it into another ticket (asks its id)"),
        KeyBinding(.link, [.character("L")], .console, .change, "link: OTHER [parent|child|duplicate]; -OTHER unlinks"),
        KeyBinding(.undo, [.character("z")], .console, .change, "undo your last change on the ticket (within 10 minutes)"),

        KeyBinding(.mark, [.character(" ")], .queue, .marks, "mark or unmark the ticket"),
        KeyBinding(.markAll, [.character("*")], .queue, .marks, "mark every ticket in the view"),
        KeyBinding(.clearMarks, [.escape], .queue, .marks, "clear the marks, else the filter, else go to now"),

        KeyBinding(.recordBack, [.character("[")], .console, .past, "back one record: the desk before it was written"),
        KeyBinding(.recordForward, [.character("]")], .console, .past, "forward one record"),
        KeyBinding(.hourBack, [.character("{")], .console, .past, "back an hour"),
        KeyBinding(.hourForward, [.character("}")], .console, .past, "forward an hour"),

        KeyBinding(.moveDown, [.character("j"), .down], .help, .inPlace, "scroll the help down"),
        KeyBinding(.moveUp, [.character("k"), .up], .help, .inPlace, "scroll the help up"),
        KeyBinding(.pageDown, [.pageDown, .control("f")], .help, .inPlace, "scroll the help a page down"),
        KeyBinding(.pageUp, [.pageUp, .control("b")], .help, .inPlace, "scroll the help a page up"),

        KeyBinding(.submit, [.enter], .prompt, .inPlace, "answer the prompt"),
        KeyBinding(.cancel, [.escape], .prompt, .inPlace, "cancel the prompt"),
        KeyBinding(.complete, [.tab], .prompt, .inPlace, "complete the agent's account (giving a ticket)"),

        KeyBinding(.moveDown, [.down, .control("n")], .picker, .inPlace, "the next macro"),
        KeyBinding(.moveUp, [.up, .control("p")], .picker, .inPlace, "the previous macro"),
        KeyBinding(.submit, [.enter], .picker, .inPlace, "apply the macro", hint: "applies"),
        KeyBinding(.cancel, [.escape], .picker, .inPlace, "close the picker, applying nothing", hint: "cancels"),

        KeyBinding(.send, [.control("d"), .function(2)], .compose, .inPlace, "send what you wrote", hint: "sends"),
        KeyBinding(.keepDraft, [.escape], .compose, .inPlace, "close the editor, keeping a draft", hint: "keeps it as a draft"),

        KeyBinding(.quit, [.character("q"), .character("Q"), .control("c")], .wallboard, .inPlace, "quit the wallboard", hint: "quits"),
    ])

    /// The console's keys with the focus on `pane`: the pane's own, the queue's, the console's.
    public static func scopes(focus pane: PaneID) -> [KeyScope] {
        switch pane {
        case .queue: [.queue, .console, .anywhere]
        case .ticket: [.ticket, .queue, .console, .anywhere]
        case .customer: [.customer, .queue, .console, .anywhere]
        }
    }

    static let wallboardScopes: [KeyScope] = [.wallboard, .anywhere]

    /// The keymaps the programs use, made once.
    static let paneKeys: [PaneID: Keymap] = Dictionary(uniqueKeysWithValues: PaneID.allCases.map {
        ($0, standard.keymap(scopes(focus: $0)))
    })
    static let ticketPaneKeys = standard.keymap([.ticket])
    static let customerPaneKeys = standard.keymap([.customer])
    static let helpKeys = standard.keymap([.help])
    static let promptKeys = standard.keymap([.prompt])
    static let composeKeys = standard.keymap([.compose])
    static let pickerKeys = standard.keymap([.picker])
    static let anywhereKeys = standard.keymap([.anywhere])
    static let wallboardKeys = standard.keymap(wallboardScopes)
}
