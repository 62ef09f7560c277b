import Foundation
import HelpdeskLog
import HelpdeskSearch

/// Makes the desk's search index current off the loop when the console starts, through a
/// handle of its own on the log (the console's `DeskLog` stays on the loop's thread): building
/// one from nothing takes a while on a large desk, and keys must never wait for it. Until it is
/// ready (or when it could not be made, or SQLite is missing), `/` searches the queue's columns alone.
final class ConversationIndexThread: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    var isReady: Bool { lock.withLock { done } }

    init(location: StoreLocation) {
        let thread = Thread { [self] in
            guard HelpdeskSearch.SearchIndex.canLoadSQLite, let log = try? DeskLog(location: location, writable: false),
                  (try? HelpdeskSearch.SearchIndex.current(for: log)) != nil else { return }
            lock.withLock { done = true }
        }
        thread.name = "helpdesk search index"
        thread.start()
    }
}
