import CGMime
import Foundation
import HelpdeskCore
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// What can go wrong in the store beside the log.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case io(path: String, operation: String, errno: Int32)
    case missing(path: String)
    case corrupt(path: String)
    /// A symlink, or a file or folder of the wrong type, or one others may replace.
    case unsafe(path: String, reason: String)

    /// The disk (or the account's quota) is full: worth trying again later.
    public var isNoSpace: Bool {
        if case .io(_, _, let code) = self { return code == ENOSPC || code == EDQUOT }
        return false
    }

    public var description: String {
        switch self {
        case .io(let path, let operation, let code):
            return "\(path): \(operation) failed: \(String(cString: strerror(code)))"
        case .missing(let path): return "\(path) is missing from the store"
        case .corrupt(let path): return "\(path) does not hold what its name says (damaged?)"
        case .unsafe(let path, let reason): return "refused \(path): it \(reason)"
        }
    }
}

/// A quarantined message: kept whole, with why it was set aside.
public struct QuarantineEntry: Equatable, Sendable {
    public var sha256: String
    public var reason: String
    public var receivedAt: Date
    public var size: Int
    public var from: String?
    public var subject: String?

    public init(sha256: String, reason: String, receivedAt: Date, size: Int, from: String?, subject: String?) {
        self.sha256 = sha256
        self.reason = reason
        self.receivedAt = receivedAt
        self.size = size
        self.from = from
        self.subject = subject
    }
}

/// Everything mail keeps beside the log, in `<log>.mail/`:
///
/// - `blobs/ab/abcdef…`: raw messages and attachments, named by their SHA-256 (so the same bytes
///   are kept once, and a retried delivery stores nothing new);
/// - `quarantine/<sha256>`: why a message was set aside; `quarantine/released/<sha256>`: the
///   same, once it is on a ticket;
/// - `sent/TICKET.MAIL`: mail sendmail has taken that the log does not say yet;
/// - `tmp/`: files being written; `deliver.lock`: one delivery at a time.
///
/// Every folder is sticky (group members create files in it; none may remove or replace
/// another's), and everything is reached through `DeskFolder`, never through a symlink. Every
/// file is written to `tmp/` under an unguessable name, fsynced, moved into place and its folder
/// fsynced, before the log gets the event that refers to it.
public final class MailStore: @unchecked Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// The store of the log at `logPath`.
    public convenience init(logPath: String) {
        self.init(root: logPath + ".mail")
    }

    // MARK: - Blobs

    public static func sha256(_ bytes: [UInt8]) -> String {
        _ = GMime.started
        let checksum = g_checksum_new(G_CHECKSUM_SHA256)
        defer { g_checksum_free(checksum) }
        bytes.withUnsafeBufferPointer { g_checksum_update(checksum, $0.baseAddress, gssize($0.count)) }
        return String(cString: g_checksum_get_string(checksum))
    }

    public func path(ofBlob sha256: String) -> String {
        "\(root)/blobs/\(sha256.prefix(2))/\(sha256)"
    }

    private func blobFolder(_ sha256: String, create: Bool) throws(StoreError) -> DeskFolder? {
        try folder(["blobs", String(sha256.prefix(2))], create: create)
    }

    /// Keeps `bytes` durably; returns their SHA-256 (hex), the name they are kept under.
    @discardableResult
    public func put(_ bytes: [UInt8]) throws(StoreError) -> String {
        let hash = MailStore.sha256(bytes)
        let folder = try blobFolder(hash, create: true)!
        if let kept = folder.status(of: hash) {
            guard kept.st_mode & S_IFMT == S_IFREG else {
                throw .unsafe(path: folder.pathOf(hash), reason: "is not a regular file (planted?); remove it")
            }
            return hash
        }
        try writeDurably(bytes, to: hash, in: folder)
        return hash
    }

    public func blobExists(_ sha256: String) -> Bool {
        guard let folder = try? blobFolder(sha256, create: false) else { return false }
        return folder.status(of: sha256) != nil
    }

    public func get(_ sha256: String) throws(StoreError) -> [UInt8] {
        let path = path(ofBlob: sha256)
        guard let folder = try blobFolder(sha256, create: false), folder.status(of: sha256) != nil else {
            throw .missing(path: path)
        }
        guard let file = folder.read(sha256, limit: Int.max) else { throw .io(path: path, operation: "read", errno: errno) }
        guard MailStore.sha256(file.bytes) == sha256 else { throw .corrupt(path: path) }
        return file.bytes
    }

    // MARK: - Quarantine

    /// Sets the message `sha256` (already kept with `put`) aside with `reason`. A message set
    /// aside before keeps its first entry.
    public func quarantine(_ entry: QuarantineEntry) throws(StoreError) {
        var fields: [String: Any] = [
            "sha256": entry.sha256, "reason": entry.reason, "received_at": Timestamp.format(entry.receivedAt),
            "size": entry.size,
        ]
        if let from = entry.from { fields["from"] = from }
        if let subject = entry.subject { fields["subject"] = subject }
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data()
        try writeDurably([UInt8](data) + [10], to: entry.sha256, in: try folder(["quarantine"], create: true)!)
    }

    /// Quarantined messages not yet released, oldest first.
    public func quarantined() -> [QuarantineEntry] {
        let released = Set(released().map(\.sha256))
        return entries(in: ["quarantine"]).filter { !released.contains($0.sha256) }
    }

    public func released() -> [QuarantineEntry] {
        entries(in: ["quarantine", "released"])
    }

    /// The quarantined message whose SHA-256 starts with `prefix` (at least 4 characters).
    public func quarantined(matching prefix: String) -> [QuarantineEntry] {
        let prefix = prefix.lowercased()
        guard prefix.count >= 4 else { return [] }
        return quarantined().filter { $0.sha256.hasPrefix(prefix) }
    }

    /// Copies an entry to `quarantine/released/` once its message is on a ticket (the entry
    /// itself is removed when this account wrote it; in a sticky folder no one else may).
    public func markReleased(_ sha256: String) throws(StoreError) {
        guard let quarantine = try folder(["quarantine"], create: false),
              let entry = quarantine.read(sha256) else { throw .missing(path: "\(root)/quarantine/\(sha256)") }
        try writeDurably(entry.bytes, to: sha256, in: try folder(["quarantine", "released"], create: true)!)
        if quarantine.removeOwnFile(sha256) { try? quarantine.sync() }
    }

    private func entries(in path: [String]) -> [QuarantineEntry] {
        guard let folder = try? folder(path, create: false) else { return [] }
        return folder.names().compactMap { name -> QuarantineEntry? in
            guard name.count == 64, let file = folder.read(name),
                  let object = try? JSONSerialization.jsonObject(with: Data(file.bytes)) as? [String: Any],
                  let reason = object["reason"] as? String,
                  let at = (object["received_at"] as? String).flatMap(Timestamp.parse) else { return nil }
            return QuarantineEntry(sha256: name, reason: reason, receivedAt: at,
                                   size: (object["size"] as? Int) ?? 0, from: object["from"] as? String,
                                   subject: object["subject"] as? String)
        }.sorted { ($0.receivedAt, $0.sha256) < ($1.receivedAt, $1.sha256) }
    }

    // MARK: - Delivery lock

    /// Runs `body` holding the store's delivery lock (flock on `deliver.lock`, mode 0660 so any
    /// member of the group can take it), so that two deliveries never send the same mail. Waits
    /// up to `timeout`; nil when it stayed taken.
    public func withDeliveryLock<T>(timeout: TimeInterval, _ body: () throws -> T) throws -> T? {
        let fd = try storing { try folder([], create: true)!.openShared("deliver.lock") }
        defer { close(fd) }
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw StoreError.io(path: root + "/deliver.lock", operation: "lock", errno: errno)
            }
            guard ContinuousClock.now < deadline else { return nil }
            usleep(5_000)
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    // MARK: - Sent markers

    /// Written (durably) as soon as sendmail has taken a mail, removed once the log says so: a
    /// delivery that finds one records the mail as sent instead of sending it again.
    public func markSent(ticket: Int, mail: Int, messageID: String) throws(StoreError) {
        try writeDurably(Array((messageID + "\n").utf8), to: "\(ticket).\(mail)", in: try folder(["sent"], create: true)!,
                         replace: true)
    }

    public func sentMarker(ticket: Int, mail: Int) -> String? {
        guard let sent = try? folder(["sent"], create: false), let file = sent.read("\(ticket).\(mail)") else { return nil }
        return String(decoding: file.bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func clearSentMarker(ticket: Int, mail: Int) {
        _ = (try? folder(["sent"], create: false))??.removeOwnFile("\(ticket).\(mail)")
    }

    // MARK: - Folders and durable files

    /// The folder `path` (names below the store's root; [] is the root), each level opened
    /// without following symlinks and, with `create`, made sticky and group-writable when missing.
    func folder(_ path: [String], create: Bool) throws(StoreError) -> DeskFolder? {
        try storing {
            guard var folder = try DeskFolder.containing(root).folder(DeskFolder.name(of: root), create: create) else {
                return nil
            }
            for name in path {
                guard let next = try folder.folder(name, create: create) else { return nil }
                folder = next
            }
            return folder
        }
    }

    /// Writes `bytes` to a new file in `tmp/`, fsyncs it, moves it to `name` in `folder` and
    /// fsyncs that. Without `replace` a file already there stays (another delivery of the same
    /// bytes); with it, it is replaced if this account may (the folders are sticky).
    func writeDurably(_ bytes: [UInt8], to name: String, in folder: DeskFolder, replace: Bool = false) throws(StoreError) {
        let temporaries = try self.folder(["tmp"], create: true)!
        try storing {
            let temporary = try temporaries.createTemporary(prefix: "\(getpid()).")
            let path = temporaries.pathOf(temporary.name)
            var failure: StoreError?
            bytes.withUnsafeBytes { buffer in
                var written = 0
                while written < buffer.count {
                    let n = write(temporary.fd, buffer.baseAddress! + written, buffer.count - written)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = .io(path: path, operation: "write", errno: errno)
                        return
                    }
                    written += n
                }
            }
            if failure == nil, fsync(temporary.fd) != 0 { failure = .io(path: path, operation: "fsync", errno: errno) }
            if close(temporary.fd) != 0, failure == nil { failure = .io(path: path, operation: "close", errno: errno) }
            defer { temporaries.removeOwnFile(temporary.name) }
            if let failure { throw failure }
            if replace {
                try temporaries.rename(temporary.name, to: name, in: folder)
            } else {
                _ = try temporaries.link(temporary.name, to: name, in: folder)
            }
            try folder.sync()
        }
    }

    /// Runs `body`, turning the log module's errors about the folders into the store's.
    private func storing<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch LogError.io(let path, let operation, let code) {
            throw .io(path: path, operation: operation, errno: code)
        } catch LogError.unsafe(let path, let reason) {
            throw .unsafe(path: path, reason: reason)
        } catch {
            throw .io(path: root, operation: "\(error)", errno: EIO)
        }
    }
}
