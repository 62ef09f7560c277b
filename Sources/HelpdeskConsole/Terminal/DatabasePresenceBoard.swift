import Foundation
import HelpdeskCore
import HelpdeskLog

/// The presence board of a database desk (see `PostgresPresence`): a console on another host
/// is shown as `ACCOUNT@HOST`, one on this host by its account alone.
public final class DatabasePresenceBoard: PresenceBoard {
    private let board: PostgresPresence
    private let host: String

    public init(url: String, me: String, host: String) throws {
        self.host = host
        board = try PostgresPresence(url: url, account: me, host: host)
    }

    public var fd: Int32 { board.fd }
    public func show(_ ticket: Int?) { board.show(ticket) }
    public func leave() { board.leave() }
    public func drain() { board.drain() }

    public func read() -> [Int: [String]] {
        var viewers: [Int: [String]] = [:]
        for viewer in board.others {
            // What another console wrote: shown short and visible, whatever it holds.
            let account = VisibleText.sanitize(String(viewer.account.prefix(64)))
            let name = viewer.host == host ? account : account + "@" + VisibleText.sanitize(String(viewer.host.prefix(64)))
            if !(viewers[viewer.ticket]?.contains(name) ?? false) { viewers[viewer.ticket, default: []].append(name) }
        }
        return viewers.mapValues { $0.sorted() }
    }

    public func hasOtherConsole(of account: String) -> Bool {
        board.otherAccounts.contains(account)
    }

    /// None: a row's account is whatever the console that wrote it said, so a colleague with the
    /// database could write one for someone else's dead console and have them made away. A killed
    /// console's agent stays available until they say away or their next console closes.
    public func takeLost() -> Set<String> { [] }

    /// The board's thread sweeps and looks again by itself.
    public var othersPresent: Bool { false }
}
