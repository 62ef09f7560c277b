import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

/// The console's brain: turns keys into state changes and commands, and commands into
/// changes of the desk. It never changes the desk itself: every change goes the desk's one
/// road (`DeskService`), and the desk it shows is what the log says.
public final class Console {
    /// The road its commands take: decided under the log's lock, mail sent after a reply.
    public internal(set) var service: DeskService
    public var log: DeskLog { service.log }
    public let me: String
    public var state = ConsoleState()
    public internal(set) var queue = QueueView()
    /// Other agents looking at each ticket right now (ephemeral, from the presence board).
    public var viewers: [Int: [String]] = [:]
    /// Agents whose last console was found dead, while recording them away waits for the lock.
    var lostConsoles: Set<String> = []
    /// Each customer's tickets, for the customer pane (read off the loop on a large desk).
    var customers: CustomerTickets
    /// Whether $VISUAL or $EDITOR is set; without one, the built-in editor is used.
    public let externalEditor: Bool
    var clock: () -> Date { service.clock }
    /// An append waiting for another process to release the log's lock (see ConsoleAppending).
    var pendingAppend: PendingAppend?
    /// Sends the mail of the console's replies off the loop (see ConsoleMail).
    let mailCourier = MailCourierThread()
    /// What to say when each mail in flight is done, by the id `mailCourier` returns it with.
    var mailsInFlight: [Int: (MailSending?) -> String] = [:]
    var lastMailID = 0
    /// Records the SLA escalations that fall due while the console is open (see
    /// ConsoleEscalations); nil: only a command of its own records them.
    public var breachWatch: BreachWatch?
    /// The moment the console looks at (nil: the live desk): opened with `--at`, or stepped into
    /// from the live desk with `[` or `{`; see ConsoleTravel.
    public internal(set) var travel: DeskMoment?
    /// The live desk, kept as it was, while a live console looks at the past (nil: it does not,
    /// or the console was opened `--at`).
    var live: LiveDesk?
    /// Why the desk's database cannot be reached, as the log's follower knows it (nil: it can, or
    /// a file desk); while it cannot, nothing is read or written (see ConsoleConnection).
    public var connectionTrouble: () -> String? = { nil }
    /// What the status line was told because the database could not be reached, cleared with
    /// "reconnecting…" when it is back.
    var outageMessage: StatusMessage?
    /// What the agent is to hear of, for the terminal to ring or show (see ConsoleNotifications).
    var notices: [Notice] = []
    /// The SLA clock runs already warned of (ticket, target, due).
    var warnedBreaches = Set<String>()
    /// When the clocks were last looked at for those warnings.
    var lastBreachLook: Date?

    /// `/` over the conversations too, once the desk's search index is ready (nil: the queue's columns alone).
    public private(set) var conversations: ConversationMatches?
    /// Whether the index a background thread is making is ready (see `ConversationIndexThread`).
    var conversationIndexReady: () -> Bool = { false }

    /// Lets `/` search the conversations, through the desk's search index brought up to date
    /// (built first when there is none: the loop has a thread do that before it calls this).
    public func searchConversations() throws {
        conversations = try ConversationMatches(log: log)
        refresh()
    }

    /// What the loop must do for a key that the console cannot do alone.
    public enum Effect: Equatable {
        case none
        case quit
        /// Run the external editor on the draft, then call `finishEditing`.
        case edit(Draft)
    }

    public init(service: DeskService, externalEditor: Bool) {
        self.service = service
        self.me = service.identity.actor
        self.externalEditor = externalEditor
        customers = CustomerTickets(desk: service.log.desk)
        service.log.notesTouchedTickets = true
        refresh()
        customers.startReading()  // after the queue: on a large desk it must not slow the first frame
    }

    /// A console on a bare log (tests, benchmarks): it writes only what it is asked, with no
    /// escalations first and no mail after.
    public convenience init(log: DeskLog, me: String, externalEditor: Bool, clock: @escaping () -> Date) {
        let service = DeskService(log: log, identity: Identity(actor: me), clock: clock)
        service.escalatesDueBreaches = false
        self.init(service: service, externalEditor: externalEditor)
    }

    public var desk: Desk { log.desk }
    public var now: Date { clock() }

    /// The desk's saved views the view chooser offers after the built-in ones, keys 1 to 9, by name.
    public var savedViewChoices: [SavedView] {
        Array((desk.views.keys.sorted().compactMap { desk.views[$0] } + groupViews).prefix(9))
    }

    public var selectedTicket: Ticket? { state.selected.flatMap(desk.ticket) }

    /// Brings the queue up to date with the desk, the view, the filter and the clock, keeping
    /// the selection on the same ticket.
    public func refresh() {
        if let name = state.savedView, viewChoice(named: name) == nil { state.savedView = nil }  // removed meanwhile
        // The queue walks the clocks of every ticket it holds at open: their histories are not kept.
        log.readingDetailsOnce {
            queue.update(desk: desk, view: state.view, saved: state.savedView.flatMap(viewChoice(named:)), sort: state.sort,
                         filter: state.filter, me: me, now: now, touched: log.takeTouchedTickets(), conversations: conversations)
        }
        customers.follow(desk)
        if state.selected == nil || desk.ticket(state.selected!) == nil { state.selected = queue.ids.first }
    }

    /// Reads what others appended; true when anything changed (the status line included: it
    /// says "reconnecting…" while the desk's database cannot be reached).
    @discardableResult
    public func catchUp() -> Bool {
        guard travel == nil else { return false }  // the past does not change; `backToLive` catches up
        if let trouble = connectionTrouble() { return lostConnection(trouble) }
        do {
            let before = desk.lastSeq
            let applied = try log.catchUp()
            let back = reconnected()
            guard applied > 0 else { return back }
            notice(after: before, touched: log.touchedSoFar)
        } catch let error as LogError where error.isUnreachable {
            return lostConnection("\(error)")
        } catch {
            state.message = StatusMessage(text: "\(error)", isError: true)
            return true
        }
        refresh()
        return true
    }

    // MARK: Keys

    public func handle(_ key: Key) -> Effect {
        switch state.mode {
        case .help:
            switch KeyTable.helpKeys[key] {
            case .moveDown?: state.helpScroll += 1
            case .moveUp?: state.helpScroll = max(state.helpScroll - 1, 0)
            case .pageDown?: state.helpScroll += 10
            case .pageUp?: state.helpScroll = max(state.helpScroll - 10, 0)
            default: state.mode = .normal
            }
            state.helpScroll = min(state.helpScroll, Overlays.helpLines(focus: state.focus).count)
            return .none
        case .prompt(let kind, let text):
            return handlePrompt(key, kind: kind, text: text)
        case .question(let question):
            return answer(question, with: key)
        case .compose(let draft):
            return handleCompose(key, draft: draft)
        case .pickMacro(let picker):
            return handlePicker(key, picker)
        case .waitingForLog:
            // Keys typed while waiting are dropped, so none lands in a prompt that opens later.
            if key == .escape { cancelPendingAppend() }
            return .none
        case .normal:
            state.message = nil
            if state.focus == .ticket, let scroll = scrollConversation(key) { state.conversationScroll = scroll; return .none }
            if state.focus == .ticket, handleTicketPane(key) { return .none }
            if state.focus == .customer, handleCustomerPane(key) { return .none }
            guard let action = KeyTable.paneKeys[state.focus]?[key] else { return .none }
            return perform(action)
        }
    }

    private func perform(_ action: Action) -> Effect {
        let ids = queue.ids
        let index = state.selected.flatMap { queue.index(of: $0) }
        func select(_ newIndex: Int) {
            guard !ids.isEmpty else { return }
            let clamped = min(max(newIndex, 0), ids.count - 1)
            if ids[clamped] != state.selected {
                state.selected = ids[clamped]
                state.conversationScroll = 0
                state.customerSelection = 0
                state.linkSelection = nil
            }
        }
        let page = 10
        if refusesInThePast(action) { return .none }
        switch action {
        case .moveDown: select((index ?? -1) + 1)
        case .moveUp: select((index ?? 1) - 1)
        case .pageDown: select((index ?? 0) + page)
        case .pageUp: select((index ?? 0) - page)
        case .first: select(0)
        case .last: select(ids.count - 1)
        case .open: state.focus = .ticket
        case .cyclePane:
            let all = PaneID.allCases
            state.focus = all[(all.firstIndex(of: state.focus)! + 1) % all.count]
        case .filter:
            // A new filter each time: the one before is in the queue's title until then.
            state.mode = .prompt(.filter, text: "")
            setFilter("")
        case .mark:
            toggleMark()
            select((index ?? -1) + 1)
        case .markAll: markAll()
        case .clearMarks: clearMarksOrFilter()
        case .recordBack, .recordForward, .hourBack, .hourForward: step(action)
        case .chooseView: state.mode = .question(.view)
        case .cycleSort:
            state.sort = state.sort.next
            refresh()
            state.message = StatusMessage(text: "sorted by \(state.sort.rawValue)", isError: false)
        case .toggleHistory:
            state.showHistory.toggle()
            state.conversationScroll = 0
        case .help:
            state.mode = .help
            state.helpScroll = 0
        case .quit:
            if state.drafts.isEmpty { return .quit }
            state.mode = .question(.quit)
        case .pullNext: pullNext()
        case .toggleAvailable: toggleAvailable()
        case .redraw: break  // the loop repaints
        default: return performOnTicket(action)
        }
        return .none
    }

    private func performOnTicket(_ action: Action) -> Effect {
        guard let ticket = selectedTicket else {
            state.message = StatusMessage(text: "no ticket selected", isError: true)
            return .none
        }
        let id = ticket.id
        guard state.filter.isEmpty || queue.index(of: id) != nil else {
            state.message = StatusMessage(text: "#\(id) is not in the filtered list; choose a ticket in it (Esc clears the filter)",
                                          isError: true)
            return .none
        }
        switch action {
        case .take: act(on: id, done: { "took \($0)" }) { .take(ticket: $0, steal: false) }
        case .steal:
            // Ask about the holder the log knows now, not the one this screen last showed.
            catchUp()
            guard let holder = desk.ticket(id)?.assignee, holder != me else {
                append(.take(ticket: id, steal: false), done: "took #\(id)")
                return .none
            }
            state.mode = .question(.steal(ticket: id, from: holder))
        case .give: state.mode = .prompt(.give(ticket: id), text: "")
        case .release: act(on: id, done: { "released \($0)" }) { .release(ticket: $0) }
        case .reply: return startDraft(.reply, ticket)
        case .note: return startDraft(.note, ticket)
        case .customerMessage: return startDraft(.customerMessage, ticket)
        case .macro: openMacroPicker(ticket)
        case .followUp: state.mode = .prompt(.followUp(ticket: id), text: "")
        case .escalate: state.mode = .prompt(.escalate(ticket: id), text: "")
        case .priority: state.mode = .question(.priority(ticket: id))
        // With marks, solved in bulk; one ticket alone asks first when it is a parent with open children.
        case .solve:
            if state.marks.isEmpty { solveAsking(id) } else { act(on: id, done: { "solved \($0)" }) { .resolve(ticket: $0) } }
        case .undo: undo(id)
        case .reopen: append(.reopen(ticket: id), done: "reopened #\(id)")
        case .hold: append(.hold(ticket: id), done: "#\(id) is on hold")
        case .tags: state.mode = .prompt(.tags(ticket: id), text: "")
        case .merge: state.mode = .prompt(.merge(ticket: id), text: "")
        case .link: state.mode = .prompt(.link(ticket: id), text: "")
        case .attach: state.mode = .prompt(.attach(ticket: id), text: "")
        default: break
        }
        return .none
    }

    // MARK: Panes with focus

    private func scrollConversation(_ key: Key) -> Int? {
        switch KeyTable.ticketPaneKeys[key] {
        case .moveUp?: return state.conversationScroll + 1
        case .moveDown?: return max(state.conversationScroll - 1, 0)
        case .pageUp?: return state.conversationScroll + 10
        case .pageDown?: return max(state.conversationScroll - 10, 0)
        case .last?: return 0
        default: return nil
        }
    }

    /// Where the selected ticket is in the queue, if it is in the current view.
    public func queueIndex(of id: Int) -> Int? { queue.index(of: id) }

    /// The customer's tickets, newest first, as the customer pane lists them; nil while a large
    /// desk's tickets are still being read for it (see `CustomerTickets`).
    /// Read only (the customer pane draws it): `refresh` keeps the index up to date.
    public func customerTickets() -> [Ticket]? {
        guard let ticket = selectedTicket else { return [] }
        return customers.ids(of: ticket.customerID)?.reversed().compactMap(desk.ticket)
    }

    /// What the loop watches while the customer pane waits for a large desk's tickets (nil: nothing).
    public var customerIndexFD: Int32? { customers.waitingFD }

    /// The customer pane's tickets are read: true when they just became so (the loop redraws).
    public func customerIndexReady() -> Bool {
        customers.drain()
        return customers.follow(desk)
    }

    private func handleCustomerPane(_ key: Key) -> Bool {
        let tickets = customerTickets() ?? []
        switch KeyTable.customerPaneKeys[key] {
        case .moveDown?: state.customerSelection = min(state.customerSelection + 1, max(tickets.count - 1, 0))
        case .moveUp?: state.customerSelection = max(state.customerSelection - 1, 0)
        case .open?:
            guard tickets.indices.contains(state.customerSelection) else { return true }
            state.selected = tickets[state.customerSelection].id
            state.linkSelection = nil
            state.conversationScroll = 0
            state.customerSelection = 0
            state.focus = .ticket
        default: return false
        }
        return true
    }

    // MARK: Prompts and questions

    private func handlePrompt(_ key: Key, kind: PromptKind, text: String) -> Effect {
        var text = text
        switch (KeyTable.promptKeys[key], key) {
        case (.cancel?, _):
            state.mode = .normal
            if kind == .filter { setFilter("") }
            return .none
        case (.submit?, _):
            state.mode = .normal
            submit(kind, text.trimmingCharacters(in: .whitespaces))
            return .none
        case (.complete?, _):
            if case .give = kind { text = completeAgent(text) }
        case (_, .backspace):
            if !text.isEmpty { text.removeLast() }
        case (_, .character(let character)):
            text.append(character)
        default:
            return .none
        }
        state.mode = .prompt(kind, text: text)
        if kind == .filter { setFilter(text) }
        return .none
    }

    /// Keys act only on a ticket in the filtered list: the selection moves to its first ticket
    /// (none when nothing matches) when the one selected is not in it.
    func setFilter(_ text: String) {
        if conversations == nil, conversationIndexReady() { try? searchConversations() }
        state.filter = text
        refresh()
        if !text.isEmpty, !queue.ids.contains(state.selected ?? -1) {
            state.selected = queue.ids.first
            state.conversationScroll = 0
        }
    }

    /// Completes an agent's account from the roster: the longest common prefix of the matches.
    public func completeAgent(_ prefix: String) -> String {
        let matches = desk.roster.filter { $0.hasPrefix(prefix) && desk.agents[$0]?.active == true }
        guard var common = matches.first else { return prefix }
        for match in matches.dropFirst() {
            while !match.hasPrefix(common) { common.removeLast() }
        }
        return common
    }

    private func submit(_ kind: PromptKind, _ text: String) {
        switch kind {
        case .filter: break
        case .give(let id):
            guard !text.isEmpty else { return }
            act(on: id, done: { "gave \($0) to \(text)" }) { .give(ticket: $0, to: text) }
        case .followUp(let id):
            if text.isEmpty {
                act(on: id, done: { "cleared the follow-up of \($0)" }) { .clearFollowUp(ticket: $0) }
                return
            }
            guard !state.marks.isEmpty else {
                appendDeciding(done: "#\(id) is pending until its follow-up") { _, now throws(Refusal) in
                    let due = try TimeText.parse(text, now: now, timeZone: .current, durations: .ahead)
                    return .scheduleFollowUp(ticket: id, due: due, note: nil)
                }
                return
            }
            do {
                let due = try TimeText.parse(text, now: now, timeZone: .current, durations: .ahead)
                act(on: id, done: { "\($0): pending until the follow-up" }) { .scheduleFollowUp(ticket: $0, due: due, note: nil) }
            } catch {
                state.message = StatusMessage(text: error.message, isError: true)
            }
        case .escalate(let id):
            act(on: id, done: { "escalated \($0)" }) { .escalate(ticket: $0, reason: text, tier: nil) }
        case .tags(let id):
            let changes = TagChanges(line: text)
            guard !changes.isEmpty else { return }
            act(on: id, done: { "tagged \($0)" }) { .changeTags(ticket: $0, add: changes.add, remove: changes.remove) }
        case .merge(let id): merge(id, into: text)
        case .link(let id): link(id, text)
        case .attach(let id): attach(text, toReplyOn: id)
        }
    }

    private func answer(_ question: Question, with key: Key) -> Effect {
        state.mode = .normal
        guard case .character(let answer) = key else {
            if case .collision(let draft, _) = question { state.drafts[draft.ticket] = draft }
            return .none
        }
        switch question {
        case .priority(let id):
            let choices: [Character: Priority] = ["l": .low, "n": .normal, "h": .high, "u": .urgent]
            if let priority = choices[answer] {
                act(on: id, done: { "\($0) now \(priority.rawValue) priority" }) { .setPriority(ticket: $0, priority: priority) }
            }
        case .view:
            let saved = savedViewChoices
            if let view = QueueViewKind.allCases.first(where: { $0.key == answer }) {
                state.view = view
                state.savedView = nil
            } else if answer.isASCII, let number = answer.wholeNumberValue, saved.indices.contains(number - 1) {
                state.savedView = saved[number - 1].name
                if let sort = saved[number - 1].sort { state.sort = QueueSort(sort) }
            } else {
                return .none
            }
            refresh()
            if !queue.ids.contains(state.selected ?? -1) { state.selected = queue.ids.first ?? state.selected }
        case .steal(let id, let from):
            if answer == "y" { append(.take(ticket: id, steal: true), done: "took #\(id) from \(from)") }
        case .solveParent(let id, _):
            if answer == "y" { append(.resolve(ticket: id), done: "solved #\(id)") }
        case .quit:
            if answer == "y" { return .quit }
        case .applyToOthers(_, let steps, let done):
            applyToOthers(steps, done: done, answer: answer)
        case .collision(let draft, _):
            switch answer {
            case "s": send(draft, force: true)
            case "e":
                var again = draft
                again.seenMessages = desk.ticket(draft.ticket)?.messages.count ?? draft.seenMessages
                return beginEditing(again)
            default:
                state.drafts[draft.ticket] = nil
                state.message = StatusMessage(text: "discarded the \(draft.kind.rawValue) on #\(draft.ticket)", isError: false)
            }
        }
        return .none
    }

    // MARK: Drafts

    private func startDraft(_ kind: Draft.Kind, _ ticket: Ticket) -> Effect {
        var draft = state.drafts[ticket.id].flatMap { $0.kind == kind && $0.macro == nil ? $0 : nil }
            ?? Draft(kind: kind, ticket: ticket.id, text: "", seenMessages: ticket.messages.count)
        draft.seenMessages = min(draft.seenMessages, ticket.messages.count)
        return beginEditing(draft)
    }

    func beginEditing(_ draft: Draft) -> Effect {
        state.drafts[draft.ticket] = draft
        if externalEditor { return .edit(draft) }
        state.mode = .compose(draft)
        return .none
    }

    private func handleCompose(_ key: Key, draft: Draft) -> Effect {
        var draft = draft
        switch (KeyTable.composeKeys[key], key) {
        case (.keepDraft?, _):
            state.mode = .normal
            state.drafts[draft.ticket] = draft.text.isEmpty && draft.attachments.isEmpty ? nil : draft
            let kept = !draft.text.isEmpty || !draft.attachments.isEmpty
            state.message = StatusMessage(text: kept ? "draft kept; press the same key to go on" : "cancelled", isError: false)
            return .none
        case (.send?, _):
            state.mode = .normal
            finishEditing(draft, text: draft.text)
            return .none
        case (_, .enter): draft.text.append("\n")
        case (_, .tab): draft.text.append("    ")
        case (_, .backspace): if !draft.text.isEmpty { draft.text.removeLast() }
        case (_, .character(let character)): draft.text.append(character)
        default: break
        }
        state.mode = .compose(draft)
        state.drafts[draft.ticket] = draft
        return .none
    }

    /// The editor is done: an empty text cancels, anything else is sent.
    public func finishEditing(_ draft: Draft, text: String?) {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            state.drafts[draft.ticket] = nil
            let what = draft.macro.map { "the macro \($0) was not applied" } ?? "the \(draft.kind.rawValue) was not sent"
            // An empty text is how a reply's files are dropped: no other key takes them back.
            let files = draft.attachments.isEmpty ? "" : " and its \(Console.fileWords(draft.attachments.count)) dropped"
            state.message = StatusMessage(text: "nothing written; \(what)\(files)", isError: false)
            return
        }
        var draft = draft
        draft.text = text
        state.drafts[draft.ticket] = draft
        send(draft, force: false)
    }

    /// Sends a draft. Unless forced, refuses when the conversation moved on since writing began
    /// (a customer message, or someone else's reply), and asks what to do.
    func send(_ draft: Draft, force: Bool) {
        var arrived: [Message] = []
        let me = self.me
        appendDeciding(saying: { Console.sentWords(draft, mail: $0) },
                       mailing: { Console.mailingWords(draft, to: $0) }, keeping: draft) { desk, _ throws(Refusal) in
            if !force, let ticket = desk.ticket(draft.ticket), ticket.messages.count > draft.seenMessages {
                arrived = ticket.messages[draft.seenMessages...].filter {
                    $0.kind == .customer || ($0.kind == .reply && $0.author != me)
                }
                if !arrived.isEmpty { throw Refusal(.conflict, "the conversation moved on") }
            }
            if let macro = draft.macro { return .applyMacro(ticket: draft.ticket, name: macro, text: draft.text) }
            switch draft.kind {
            case .reply where draft.attachments.isEmpty: return .reply(ticket: draft.ticket, body: draft.text)
            case .reply: return .replyAttaching(ticket: draft.ticket, body: draft.text, attachments: draft.attachments)
            case .note: return .note(ticket: draft.ticket, body: draft.text)
            case .customerMessage: return .addCustomerMessage(ticket: draft.ticket, body: draft.text)
            }
        } finished: { [unowned self] sent in
            if sent {
                state.drafts[draft.ticket] = nil
            } else if !arrived.isEmpty {
                let texts = arrived.map { message in
                    let body = (try? log.text(of: message.body)) ?? ""
                    return "\(message.author): \(body.prefix(200))"
                }
                state.message = nil
                state.mode = .question(.collision(draft, arrived: texts))
            }
        }
    }

    // MARK: Appending

    private func pullNext() {
        let me = self.me
        var taken: Int?
        appendDeciding(done: "pulled the next ticket") { desk, now throws(Refusal) in
            let command = try NextTicket.take(by: me, on: desk, now: now)
            if case .take(let next, _) = command { taken = next }
            return command
        } finished: { [unowned self] _ in
            if let taken {
                // The ticket taken is selected, so the filter goes if it hides it.
                if !state.filter.isEmpty, queue.index(of: taken) == nil { setFilter("") }
                state.selected = taken
                state.message = StatusMessage(text: "took #\(taken), the most urgent unassigned ticket", isError: false)
            }
        }
    }
}
