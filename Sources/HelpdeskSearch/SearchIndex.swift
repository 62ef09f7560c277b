import CSQLite
import Foundation
import HelpdeskCore
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// The desk's full-text index (`desk.log.search` beside the log; for a database desk, beside
/// this account's snapshot of it): SQLite FTS5, one document per ticket, derived from the log
/// like the snapshot and never a source of truth. It records how far into the log it goes and
/// the log's fingerprint there; whoever searches brings it up to date from there, writers
/// refresh it after their record, and one that is missing, damaged, of another format or of
/// other bytes is built again. Deleting it is always safe.
public final class SearchIndex {
    public let path: String
    let database: SQLiteDatabase
    private(set) var position: SearchIndexPosition
    /// Where the messages' texts are read for snippets: the desk loaded, or the store.
    let texts: any MessageTexts
    /// A private index in the temporary folder (the shared one could not be used): removed with this.
    private let privateFolder: DeskFolder?

    private init(path: String, database: SQLiteDatabase, texts: any MessageTexts, privateFolder: DeskFolder? = nil) throws {
        guard let position = try SearchIndexPosition.read(from: database) else {
            throw SearchIndexError(path: path, reason: "has no position", damaged: true)
        }
        self.path = path
        self.database = database
        self.position = position
        self.texts = texts
        self.privateFolder = privateFolder
    }

    deinit {
        privateFolder?.removeOwnFile(DeskFolder.name(of: path))
    }

    /// The index, if it already covers the whole log: answers a search without loading the desk.
    public static func openIfCurrent(_ probe: StoreProbe) -> SearchIndex? {
        guard let path = probe.searchIndexPath,
              let database = try? SearchIndexFile.open(path, readOnly: true),
              let index = try? SearchIndex(path: path, database: database, texts: probe),
              let size = try? probe.size(), size == index.position.offset,
              (try? probe.fingerprint(upTo: size)) == index.position.fingerprint else { return nil }
        return index
    }

    /// The index brought up to date with the desk `log` has read: updated from where it stopped,
    /// or built anew (telling `progress` tickets done of all) when there is none to trust. When the
    /// shared one can be neither used nor replaced, `notice` hears why and a private one is built.
    /// With `rebuild`, it is built anew whatever is there (one found damaged while searching).
    public static func current(for log: DeskLog, rebuild: Bool = false, progress: ((_ done: Int, _ total: Int) -> Void)? = nil,
                               notice: (String) -> Void = { _ in }) throws -> SearchIndex {
        if let path = log.searchIndexPath, let planted = SearchIndexFile.plantedJournal(of: path) {
            notice("refused \(planted): it is not a regular file of its own (a symlink?); remove it. Searching a private index")
        } else if let path = log.searchIndexPath {
            do {
                if !rebuild, let database = try SearchIndexFile.open(path, readOnly: false),
                   let index = try? SearchIndex(path: path, database: database, texts: log),
                   (try? index.update(from: log)) == true {
                    return index
                }
                return try build(at: path, mode: 0o660, from: log, progress: progress)
            } catch {
                notice("could not use or rebuild the search index \(path) (\(error)); searching a private one")
            }
        }
        let folder = try DeskFolder.containing(NSTemporaryDirectory() + "/x")
        let temporary = try folder.createTemporary(prefix: "helpdesk-search-", mode: 0o600)
        close(temporary.fd)
        let path = folder.pathOf(temporary.name)
        folder.removeOwnFile(temporary.name)  // built anew under this name by `build`
        let index = try build(at: path, mode: 0o600, from: log, progress: progress)
        return try SearchIndex(path: path, database: index.database, texts: log, privateFolder: folder)
    }

    /// Whether SQLite can be loaded (it then is): where the index can be done without, ask this
    /// first, since any call into a missing SQLite ends the process (exit 127) naming it.
    public static var canLoadSQLite: Bool { hd_sqlite_present() }

    /// After a writer's record, brings an index that exists and fits the log up to date, when
    /// little is missing; anything else is left to the next search. Never builds one, and never
    /// waits for another process updating it (that one brings it up to date anyway).
    /// Without SQLite (loaded on first use) too: the write is done, and only a search needs it.
    public static func refreshAfterWrite(_ log: DeskLog, most records: Int = 1000) {
        guard let path = log.searchIndexPath, access(path, F_OK) == 0, canLoadSQLite,
              let database = try? SearchIndexFile.open(path, readOnly: false, busyTimeout: 0),
              let index = try? SearchIndex(path: path, database: database, texts: log),
              log.desk.lastSeq - index.position.seq <= records else { return }
        _ = try? index.update(from: log)
    }

    /// Adds what `log` read since the index's position. False when the index does not fit the
    /// log (another log's, or bytes since changed): it must be built again.
    @discardableResult
    public func update(from log: DeskLog) throws -> Bool {
        do {
            return try database.transaction {
                // Another process may have moved it on since it was opened.
                guard let now = try SearchIndexPosition.read(from: database) else { return false }
                position = now
                // (It may be ahead of this process's reading: the log's bytes still decide.)
                guard position.format == SearchIndexFile.format,
                      try log.fingerprint(upTo: position.offset) == position.fingerprint else { return false }
                guard position.offset < log.readOffset else { return true }
                let touched = try TicketDocuments.touched(in: log, from: position.offset)
                let documents = try TicketDocuments(database)
                try documents.write(touched.sorted(), from: log, fresh: false)
                position = SearchIndexPosition(format: SearchIndexFile.format, seq: log.desk.lastSeq, offset: log.readOffset,
                                               fingerprint: try log.fingerprint(upTo: log.readOffset))
                try position.write(to: database)
                return true
            }
        } catch let error as SearchIndexError where !error.damaged && error.reason.contains("readonly") {
            return false
        }
    }

    private static func build(at path: String, mode: mode_t, from log: DeskLog, progress: ((Int, Int) -> Void)?) throws -> SearchIndex {
        let database = try SearchIndexFile.build(at: path, mode: mode) { database in
            let documents = try TicketDocuments(database)
            let total = log.desk.tickets.count
            for first in stride(from: 1, through: total, by: TicketDocuments.ticketsPerRead) {
                let last = min(first + TicketDocuments.ticketsPerRead - 1, total)
                try documents.write(first...last, from: log, fresh: true)
                progress?(last, total)
            }
            progress?(total, total)
            try SearchIndexPosition(format: SearchIndexFile.format, seq: log.desk.lastSeq, offset: log.readOffset,
                                    fingerprint: try log.fingerprint(upTo: log.readOffset)).write(to: database)
        }
        return try SearchIndex(path: path, database: database, texts: log)
    }
}
