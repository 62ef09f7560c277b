import Foundation
import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// Opens or creates the store at a location, with where this process keeps its snapshot of it:
/// beside a log file (shared by the team), or for a database in this account's own cache folder
/// (`$XDG_CACHE_HOME/helpdesk/DESK-ID.snapshot`), since a database has no folder beside it.
enum StoreOpening {
    struct Opened {
        var store: any LogStore
        var snapshotPath: String?
    }

    static func open(_ location: StoreLocation, writable: Bool) throws -> Opened {
        switch location {
        case .file(let path):
            if writable, let target = MovedMarker.target(ofLog: path) { throw LogError.moved(path: path, to: target) }
            return Opened(store: try LogFile.open(path, writable: writable), snapshotPath: SnapshotFile.path(forLog: path))
        case .postgres(let url):
            let store = try PostgresStore(url: url)
            return Opened(store: store, snapshotPath: cachedSnapshotPath(deskID: store.deskID))
        }
    }

    static func create(_ location: StoreLocation) throws -> Opened {
        switch location {
        case .file(let path):
            return Opened(store: try LogFile.create(path), snapshotPath: SnapshotFile.path(forLog: path))
        case .postgres(let url):
            let store = try PostgresStore.create(url: url)
            return Opened(store: store, snapshotPath: cachedSnapshotPath(deskID: store.deskID))
        }
    }

    /// This account's snapshot of the database desk `deskID`; nil when there is no cache folder
    /// this account owns and can make (the desk then replays in full).
    static func cachedSnapshotPath(deskID: String) -> String? {
        guard deskID.allSatisfy({ $0.isHexDigit || $0 == "-" }), !deskID.isEmpty else { return nil }
        let environment = EnvironmentVariables.process
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        let folder = cache + "/helpdesk"
        for path in [cache, folder] {
            if mkdir(path, 0o700) != 0, errno != EEXIST { return nil }
        }
        // A folder of our own, not one planted for us.
        var info = stat()
        guard lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid(),
              info.st_mode & 0o022 == 0 else { return nil }
        return folder + "/\(deskID).snapshot"
    }
}

/// `desk.log.moved`: written by `helpdesk migrate` beside a file desk it moved to a database,
/// holding the database's URL (without its password), so the file takes no more writes. Only a
/// marker owned by the log's owner counts: one a group member planted would stop the desk.
public enum MovedMarker {
    public static func name(ofLog path: String) -> String { DeskFolder.name(of: path) + ".moved" }

    /// Where the desk at `path` moved, if it did.
    public static func target(ofLog path: String) -> String? {
        guard let folder = try? DeskFolder.containing(path),
              let log = folder.status(of: DeskFolder.name(of: path)),
              let marker = folder.read(name(ofLog: path), limit: 4096),
              marker.owner == log.st_uid || marker.owner == 0 else { return nil }
        let text = String(decoding: marker.bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : VisibleText.sanitize(text)
    }

    /// Marks the desk at `path` moved to `url` (said without its password): a file of this
    /// account's, written whole under a temporary name and linked into place, never replacing one
    /// found there (group members may read it, not change where writers go). A marker that
    /// already names the same store is left as it is.
    public static func write(ofLog path: String, url: String) throws {
        let folder = try DeskFolder.containing(path)
        let name = name(ofLog: path)
        let store = StoreLocation.redacted(url)
        let temporary = try folder.createTemporary(prefix: "." + name + ".", mode: 0o644)
        defer {
            close(temporary.fd)
            folder.removeOwnFile(temporary.name)
        }
        let bytes = Array((store + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(temporary.fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw LogError.io(path: folder.pathOf(temporary.name), operation: "write", errno: errno) }
            written += n
        }
        guard fsync(temporary.fd) == 0 else {
            throw LogError.io(path: folder.pathOf(temporary.name), operation: "fsync", errno: errno)
        }
        guard try folder.link(temporary.name, to: name, in: folder) else {
            if target(ofLog: path) == store { return }
            throw LogError.unsafe(path: folder.pathOf(name), reason: "is there already and does not say this desk moved to \(store); "
                + "remove it, then run migrate again")
        }
        try folder.sync()
    }
}
