import Foundation
import HelpdeskCore
import HelpdeskLog

/// The console's part in groups and automatic assignment: `A` says available or away, and a
/// view per group the agent belongs to follows the saved views in the view chooser.
extension Console {
    /// One view per group `me` belongs to, named "group NAME" (no saved view's name has a space).
    var groupViews: [SavedView] {
        desk.team.groups(of: me).map { SavedView(name: "group \($0.name)", group: $0.name) }
    }

    /// A saved view or a group view, by the name the chooser shows.
    func viewChoice(named name: String) -> SavedView? {
        desk.views[name] ?? groupViews.first { $0.name == name }
    }

    /// What the status line says of `me`'s availability: nothing until they belong to a group
    /// or have said it.
    public var availabilityWord: String? {
        guard !desk.team.groups(of: me).isEmpty || desk.team.availability[me] != nil else { return nil }
        return desk.team.isAvailable(me, at: now) ? "available" : "away"
    }

    func toggleAvailable() {
        let me = self.me
        var nowAvailable = false
        appendDeciding(saying: { _ in nowAvailable ? "you are available: your groups hand you tickets" : "you are away" }) { desk, now in
            nowAvailable = !desk.team.isAvailable(me, at: now)
            return .team(nowAvailable ? .available(until: nil) : .away)
        }
    }

    /// The console is closing: its agent becomes away unless another console of theirs is
    /// open or they said `available --for` from the shell. Waits briefly for the lock.
    public func consoleClosing(othersOpen: Bool) {
        if let live { backToLive(live) }
        guard !othersOpen, desk.team.availability[me]?.available == true else { return }
        _ = try? service.perform(.team(.consolesClosed), lockWait: 2)
    }

    /// Agents whose last console ended without closing (killed, as another console found on the
    /// presence board) become away as if it had closed, recorded by the desk via `me`. Tried
    /// again on the next look while the lock stays busy.
    public func consolesLost(_ agents: Set<String>) {
        lostConsoles.formUnion(agents)
        guard live == nil else { return }  // looking at the past: recorded on the way back
        let due = lostConsoles.filter { desk.team.availability[$0]?.becomesAwayWhenConsolesClose(at: now) == true }
        guard !due.isEmpty else {
            lostConsoles = []
            return
        }
        do {
            try service.acting(asDesk: AutoAssignment.actor).perform(.team(.consolesLost(agents: due.sorted())), lockWait: 0)
        } catch LogError.lockTimeout {
            return
        } catch {
            // Refused or not written (a desk this console may only read): nothing to try again.
        }
        lostConsoles = []
    }
}
