import Foundation
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// The index file on disk. It lives in the desk's folder, which every member of the desk's
/// group may write in, so it is trusted for nothing: opened only when it is a regular file with
/// one name that others outside the group cannot write, never through a symlink; its content
/// only counts when it is an index of this format covering bytes the log still has. Anything
/// else is replaced by a new one built under a temporary name and renamed over it (a rename
/// replaces a planted symlink itself, never what it points to).
enum SearchIndexFile {
    /// PRAGMA application_id: "HDSX", so another SQLite file in its place is not taken for one.
    static let applicationID: Int32 = 0x4844_5358
    /// Bump when the tables or what goes in them change: an index of another format is rebuilt.
    static let format = 1

    static let schema = """
        PRAGMA application_id = \(applicationID);
        CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE VIRTUAL TABLE docs USING fts5(subject, body, people, tags, content = '',
            tokenize = 'unicode61 remove_diacritics 2');
        CREATE TABLE tickets(id INTEGER PRIMARY KEY, status TEXT NOT NULL, assignee TEXT, updated REAL NOT NULL,
            subject TEXT NOT NULL, people TEXT NOT NULL, tags TEXT NOT NULL);
        CREATE TABLE messages(ticket INTEGER NOT NULL, n INTEGER NOT NULL, offset INTEGER, length INTEGER, event INTEGER,
            text TEXT, PRIMARY KEY (ticket, n)) WITHOUT ROWID;
        """

    /// Opens the index at `path` if there is one that may be used; nil when there is none or it
    /// is not one to trust (then build a new one). `readOnly` for a search that only reads.
    static func open(_ path: String, readOnly: Bool, busyTimeout: Int32 = 10_000) throws -> SQLiteDatabase? {
        let folder = try DeskFolder.containing(path)
        guard let info = folder.status(of: DeskFolder.name(of: path)), trusted(info) else { return nil }
        let database: SQLiteDatabase
        do {
            database = try SQLiteDatabase(path: path, readOnly: readOnly, busyTimeout: busyTimeout)
        } catch {
            // Not ours to write (another member's, with a umask that keeps the group out): read it
            // if it is current, else it is rebuilt under our own name.
            guard !readOnly, let reading = try? SQLiteDatabase(path: path, readOnly: true) else { return nil }
            database = reading
        }
        guard (try? isIndex(database)) == true else { return nil }
        return database
    }

    /// SQLite's journal beside the index when something other than a regular file of one name is
    /// there (a symlink planted for it): SQLite would refuse to write through it, so every update
    /// would fail. Returns its path, to name it.
    static func plantedJournal(of path: String) -> String? {
        guard let folder = try? DeskFolder.containing(path) else { return nil }
        let name = DeskFolder.name(of: path) + "-journal"
        guard let info = folder.status(of: name), !trusted(info) else { return nil }
        return folder.pathOf(name)
    }

    /// A regular file with one name, which no one outside the desk's group can have written.
    static func trusted(_ info: stat) -> Bool {
        info.st_mode & S_IFMT == S_IFREG && info.st_nlink == 1 && info.st_mode & 0o002 == 0
    }

    static func isIndex(_ database: SQLiteDatabase) throws -> Bool {
        let id = try database.prepare("PRAGMA application_id")
        guard try id.step(), Int32(truncatingIfNeeded: id.integer(0)) == applicationID else { return false }
        return try SearchIndexPosition.read(from: database)?.format == format
    }

    /// Builds a new index at `path` with `fill`: in a new file of a name no one could guess (so no
    /// one planted anything there), without a journal (a crash leaves only that file), synced,
    /// then renamed into place. Returns the new index, opened.
    /// `mode` 0o660 for the desk's group, 0o600 for a private one.
    static func build(at path: String, mode: mode_t, _ fill: (SQLiteDatabase) throws -> Void) throws -> SQLiteDatabase {
        let folder = try DeskFolder.containing(path)
        let name = DeskFolder.name(of: path)
        let temporary = try folder.createTemporary(prefix: "." + name + ".tmp-", mode: mode)
        defer { close(temporary.fd) }
        do {
            do {
                let database = try SQLiteDatabase(path: folder.pathOf(temporary.name))
                try database.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536")
                try database.execute(schema)
                try database.transaction { try fill(database) }
                try database.execute("INSERT INTO docs(docs) VALUES ('optimize')")
            }
            guard fsync(temporary.fd) == 0 else {
                throw LogError.io(path: folder.pathOf(temporary.name), operation: "fsync", errno: errno)
            }
            try folder.rename(temporary.name, to: name)
        } catch {
            folder.removeOwnFile(temporary.name)
            throw error
        }
        try? folder.sync()
        guard let built = try open(path, readOnly: false) else {
            throw SearchIndexError(path: path, reason: "was replaced while it was being built", damaged: false)
        }
        return built
    }
}

/// What the index covers: the log up to `offset` (the records up to `seq`), whose bytes had
/// `fingerprint` when it was brought up to date.
struct SearchIndexPosition: Equatable {
    var format: Int
    var seq: Int
    var offset: Int64
    var fingerprint: LogFingerprint

    static func read(from database: SQLiteDatabase) throws -> SearchIndexPosition? {
        let statement = try database.prepare("SELECT key, value FROM meta")
        var values: [String: Int] = [:]
        while try statement.step() { values[statement.text(0)] = statement.integer(1) }
        guard let format = values["format"], let seq = values["seq"], let offset = values["offset"],
              let head = values["head"], let tail = values["tail"], offset >= 0,
              let headBits = UInt32(exactly: head), let tailBits = UInt32(exactly: tail) else { return nil }
        return SearchIndexPosition(format: format, seq: seq, offset: Int64(offset),
                                   fingerprint: LogFingerprint(head: headBits, tail: tailBits))
    }

    func write(to database: SQLiteDatabase) throws {
        let statement = try database.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")
        for (key, value) in [("format", format), ("seq", seq), ("offset", Int(offset)),
                             ("head", Int(fingerprint.head)), ("tail", Int(fingerprint.tail))] {
            try statement.run([.text(key), .integer(value)])
        }
    }
}
