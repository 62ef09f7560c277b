import Foundation
import HelpdeskCore
import HelpdeskLog

/// The console as the loop runs it: its update turns each message into a change of the model
/// (`Console`) and says what the loop must do; its draw only reads the model.
public final class ConsoleProgram: LoopProgram {
    public let console: Console
    let presence: (any PresenceBoard)?
    /// The external editor's command; nil: the built-in editor.
    let editor: String?
    var view = ConsoleView()
    var size = (rows: 24, columns: 80)
    /// When the waiting append was last tried; the next try is `Console.lockRetryInterval` after.
    private var lastTry: Date?
    /// The seconds of waiting the status line shows, so a tick that changes nothing draws nothing.
    private var waitShown: Int?
    /// How the agent is told of notices (the bell, a desktop notification, both, neither).
    public var notify = NotifyStyle.bell

    public init(console: Console, presence: (any PresenceBoard)?, editor: String?) {
        self.console = console
        self.presence = presence
        self.editor = editor
        lookAtPresence()
    }

    /// Until the next try of a waiting append; else until the next minute (ages and due
    /// follow-ups change then) or the next moment an SLA escalation can fall due, whichever
    /// comes first, every 2 s while other consoles are around, to notice one that died
    /// without saying so.
    public func timeout() -> Int32 {
        let now = console.now
        if console.isWaitingForLog {
            let since = lastTry.map { now.timeIntervalSince($0) * 1000 } ?? 0
            return max(Console.lockRetryInterval - Int32(max(since, 0)), 0)
        }
        var wait = Int32((60 - now.timeIntervalSince1970.truncatingRemainder(dividingBy: 60)) * 1000) + 5
        if let look = console.secondsToNextBreachLook() { wait = min(wait, Int32(min(look, 60) * 1000) + 5) }
        return presence?.othersPresent == true ? min(wait, 2000) : wait
    }

    public func update(_ message: LoopMessage) -> LoopEffect {
        let wasWaiting = console.isWaitingForLog
        let effect: LoopEffect
        switch message {
        case .key(let key):
            if KeyTable.anywhereKeys[key] == .redraw { return .repaint }
            switch console.handle(key) {
            case .none: effect = .redraw
            case .quit: return .quit(0)
            case .edit(let draft):
                let command = editor ?? "vi"
                effect = .suspend { .edited(draft, text: EditorRunner.edit(draft.text, command: command)) }
            }
        case .edited(let draft, let text):
            if let text {
                console.finishEditing(draft, text: text)
            } else {
                console.state.message = StatusMessage(text: "the editor failed; the \(draft.kind.rawValue) is kept as a draft",
                                                      isError: true)
            }
            effect = .redraw
        case .resize(let rows, let columns):
            size = (rows, columns)
            effect = .redraw
        case .logChanged:
            let changed = console.catchUp()
            // What changed may bring the next escalation nearer (a new ticket, another policy).
            effect = console.recordDueBreaches() || changed ? .redraw : .none
        case .mailFinished:
            effect = console.collectFinishedMail() ? .redraw : .none
        case .scanFinished:
            effect = console.customerIndexReady() ? .redraw : .none
        case .presenceChanged:
            lookAtPresence()
            effect = .redraw
        case .tick:
            effect = tick()
        case .signal(let signal): return .quit(128 + signal)
        case .hangUp: return .quit(128 + SIGHUP)
        }
        if !wasWaiting, console.isWaitingForLog { lastTry = console.now }
        if case .none = effect { return .none }
        settle()
        return effect
    }

    /// The clocks moved: try a waiting append again (after the keys of this wake-up, so none
    /// typed while waiting reaches what its outcome opens), or look at the clocks and who is here.
    private func tick() -> LoopEffect {
        guard console.isWaitingForLog else {
            console.recordDueBreaches()
            console.noticeComingBreachesIfDue()
            lookAtPresence()
            return .redraw
        }
        lastTry = console.now
        if console.retryPendingAppend() {
            waitShown = nil
            return .redraw
        }
        guard console.secondsWaitedForLog != waitShown else { return .none }
        waitShown = console.secondsWaitedForLog
        return .redraw
    }

    /// Who looks at which ticket; an agent whose last console was found dead becomes away.
    private func lookAtPresence() {
        guard let presence else { return }
        console.viewers = presence.read()
        let lost = presence.takeLost().filter { $0 != console.me && !presence.hasOtherConsole(of: $0) }
        if !lost.isEmpty || !console.lostConsoles.isEmpty { console.consolesLost(lost) }
    }

    /// Brings what the screen shows up to date with the model: the queue, the scroll positions,
    /// and the ticket this console is on for the others.
    func settle() {
        console.refresh()
        view.settle(console, rows: size.rows, columns: size.columns)
        presence?.show(console.state.selected)
    }

    public func takeAlerts() -> [TerminalAlert] {
        console.takeNotices().flatMap { notice -> [TerminalAlert] in
            (notify.rings ? [.bell] : []) + (notify.showsOnDesktop ? [.desktop(title: "helpdesk #\(notice.ticket)", body: notice.text)] : [])
        }
    }

    public func draw(on grid: CellGrid) {
        view.draw(console, on: grid, live: true)
    }
}
