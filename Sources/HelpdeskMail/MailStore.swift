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
    /// The desk's database could not be reached, or refused (the reason says which).
    case database(String)
    /// More bytes than the store keeps in one blob (a database desk's limit).
    case tooLarge(size: Int, limit: Int)

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
        case .database(let reason): return reason
        case .tooLarge(let size, let limit):
            return "\(size) bytes is more than the desk keeps in one message or attachment (\(limit >> 20) MiB)"
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

/// Everything mail keeps beside the log: raw messages and attachments by their SHA-256 (so the
/// same bytes are kept once, and a retried delivery stores nothing new), the quarantine (why a
/// message was set aside, and whether it was released), and what delivery needs to send each
/// mail once (a lock, and a marker for a mail sendmail took that the log does not say yet).
/// Everything is kept durably before the log gets the event that refers to it.
///
/// A file desk keeps it in a folder beside its log (`MailFolder`); a database desk in its
/// tables (`MailTables`), so every host sees the same. Nothing that uses the store knows which.
public final class MailStore: @unchecked Sendable {
    /// The folder beside the log, or the database (without its password).
    public let root: String
    private let backend: any MailStoreBackend

    /// The store in the folder `root`.
    public init(root: String) {
        self.root = root
        backend = MailFolder(root: root)
    }

    /// The store of the log at `logPath`.
    public convenience init(logPath: String) {
        self.init(root: logPath + ".mail")
    }

    /// The store of the desk at `location`: beside its log file, or in its database.
    public init(location: StoreLocation) {
        switch location {
        case .file(let path):
            root = path + ".mail"
            backend = MailFolder(root: root)
        case .postgres(let url):
            let tables = MailTables(url: url)
            root = tables.tables.path
            backend = tables
        }
    }

    /// The delivery lock, as messages name it.
    public var lockName: String { backend.lockName }

    /// A file desk's store as `helpdesk migrate` copies it; nil for a database desk's.
    public var fileContents: (any MailStoreContents)? { backend as? MailFolder }

    // MARK: - Blobs

    public static func sha256(_ bytes: [UInt8]) -> String {
        _ = GMime.started
        let checksum = g_checksum_new(G_CHECKSUM_SHA256)
        defer { g_checksum_free(checksum) }
        bytes.withUnsafeBufferPointer { g_checksum_update(checksum, $0.baseAddress, gssize($0.count)) }
        return String(cString: g_checksum_get_string(checksum))
    }

    /// Where a file desk keeps the blob `sha256`.
    public func path(ofBlob sha256: String) -> String {
        MailFolder.path(ofBlob: sha256, root: root)
    }

    /// Keeps `bytes` durably; returns their SHA-256 (hex), the name they are kept under.
    @discardableResult
    public func put(_ bytes: [UInt8]) throws(StoreError) -> String {
        let hash = MailStore.sha256(bytes)
        try backend.put(bytes, sha256: hash)
        return hash
    }

    public func blobExists(_ sha256: String) -> Bool {
        backend.exists(sha256)
    }

    /// The bytes kept under `sha256`, checked against it.
    public func get(_ sha256: String) throws(StoreError) -> [UInt8] {
        let bytes = try backend.get(sha256)
        guard MailStore.sha256(bytes) == sha256 else { throw .corrupt(path: backend.name(ofBlob: sha256)) }
        return bytes
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
        try backend.keepQuarantineEntry([UInt8](data) + [10], sha256: entry.sha256)
    }

    /// Quarantined messages not yet released, oldest first.
    public func quarantined() throws(StoreError) -> [QuarantineEntry] {
        let released = Set(try released().map(\.sha256))
        return try entries(released: false).filter { !released.contains($0.sha256) }
    }

    public func released() throws(StoreError) -> [QuarantineEntry] {
        try entries(released: true)
    }

    /// The quarantined message whose SHA-256 starts with `prefix` (at least 4 characters).
    public func quarantined(matching prefix: String) throws(StoreError) -> [QuarantineEntry] {
        let prefix = prefix.lowercased()
        guard prefix.count >= 4 else { return [] }
        return try quarantined().filter { $0.sha256.hasPrefix(prefix) }
    }

    /// Marks an entry released once its message is on a ticket.
    public func markReleased(_ sha256: String) throws(StoreError) {
        try backend.markReleased(sha256)
    }

    private func entries(released: Bool) throws(StoreError) -> [QuarantineEntry] {
        try backend.quarantineEntries(released: released).compactMap { name, bytes -> QuarantineEntry? in
            guard name.count == 64,
                  let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
                  let reason = object["reason"] as? String,
                  let at = (object["received_at"] as? String).flatMap(Timestamp.parse) else { return nil }
            return QuarantineEntry(sha256: name, reason: reason, receivedAt: at,
                                   size: (object["size"] as? Int) ?? 0, from: object["from"] as? String,
                                   subject: object["subject"] as? String)
        }.sorted { ($0.receivedAt, $0.sha256) < ($1.receivedAt, $1.sha256) }
    }

    // MARK: - Delivery

    /// Runs `body` holding the store's delivery lock, so that two deliveries never send the same
    /// mail. Waits up to `timeout`; nil when it stayed taken.
    public func withDeliveryLock<T>(timeout: TimeInterval, _ body: () throws -> T) throws -> T? {
        try backend.withDeliveryLock(timeout: timeout, body)
    }

    /// Under the delivery lock, before a mail is handed to sendmail: whether to send it (see
    /// `SendingClaim`). A mail claimed and not sent is let go with `releaseClaim`.
    public func claimSending(ticket: Int, mail: Int, messageID: String) throws(StoreError) -> SendingClaim {
        try backend.claimSending(ticket: ticket, mail: mail, messageID: messageID)
    }

    public func releaseClaim(ticket: Int, mail: Int) {
        backend.releaseClaim(ticket: ticket, mail: mail)
    }

    /// Kept (durably) as soon as sendmail has taken a mail, removed once the log says so: a
    /// delivery that finds the marker records the mail as sent instead of sending it again.
    public func markSent(ticket: Int, mail: Int, messageID: String) throws(StoreError) {
        try backend.markSent(ticket: ticket, mail: mail, messageID: messageID)
    }

    public func sentMarker(ticket: Int, mail: Int) -> String? {
        backend.sentMarker(ticket: ticket, mail: mail)
    }

    public func clearSentMarker(ticket: Int, mail: Int) {
        backend.clearSentMarker(ticket: ticket, mail: mail)
    }
}
