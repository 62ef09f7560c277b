import CGMime
import Foundation
import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// What can go wrong in the store beside the log.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case io(path: String, operation: String, errno: Int32)
    case missing(path: String)
    case corrupt(path: String)

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
/// - `quarantine/<sha256>` (and `quarantine/released/`): why a message was set aside;
/// - `tmp/`: files being written; `deliver.lock`: one delivery at a time.
///
/// Every file is written to `tmp/`, fsynced, renamed into place and its directory fsynced,
/// before the log gets the event that refers to it.
public final class MailStore: @unchecked Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// The store of the log at `logPath`.
    public convenience init(logPath: String) {
        self.init(root: logPath + ".mail")
    }

    var blobs: String { root + "/blobs" }
    var quarantineDirectory: String { root + "/quarantine" }
    var releasedDirectory: String { root + "/quarantine/released" }
    var temporary: String { root + "/tmp" }

    // MARK: - Blobs

    public static func sha256(_ bytes: [UInt8]) -> String {
        _ = GMime.started
        let checksum = g_checksum_new(G_CHECKSUM_SHA256)
        defer { g_checksum_free(checksum) }
        bytes.withUnsafeBufferPointer { g_checksum_update(checksum, $0.baseAddress, gssize($0.count)) }
        return String(cString: g_checksum_get_string(checksum))
    }

    public func path(ofBlob sha256: String) -> String {
        "\(blobs)/\(sha256.prefix(2))/\(sha256)"
    }

    /// Keeps `bytes` durably; returns their SHA-256 (hex), the name they are kept under.
    @discardableResult
    public func put(_ bytes: [UInt8]) throws(StoreError) -> String {
        let hash = MailStore.sha256(bytes)
        let path = path(ofBlob: hash)
        if access(path, F_OK) == 0 { return hash }
        try makeDirectory(blobs)
        try makeDirectory((path as NSString).deletingLastPathComponent)
        try writeDurably(bytes, to: path)
        return hash
    }

    public func blobExists(_ sha256: String) -> Bool {
        access(path(ofBlob: sha256), F_OK) == 0
    }

    public func get(_ sha256: String) throws(StoreError) -> [UInt8] {
        let path = path(ofBlob: sha256)
        guard let data = FileManager.default.contents(atPath: path) else {
            if access(path, F_OK) != 0 { throw .missing(path: path) }
            throw .io(path: path, operation: "read", errno: errno)
        }
        let bytes = [UInt8](data)
        guard MailStore.sha256(bytes) == sha256 else { throw .corrupt(path: path) }
        return bytes
    }

    // MARK: - Quarantine

    /// Sets the message `sha256` (already kept with `put`) aside with `reason`.
    public func quarantine(_ entry: QuarantineEntry) throws(StoreError) {
        try makeDirectory(quarantineDirectory)
        var fields: [String: Any] = [
            "sha256": entry.sha256, "reason": entry.reason, "received_at": Timestamp.format(entry.receivedAt),
            "size": entry.size,
        ]
        if let from = entry.from { fields["from"] = from }
        if let subject = entry.subject { fields["subject"] = subject }
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data()
        try writeDurably([UInt8](data) + [10], to: "\(quarantineDirectory)/\(entry.sha256)", replace: true)
    }

    /// Quarantined messages not yet released, oldest first.
    public func quarantined() -> [QuarantineEntry] {
        entries(in: quarantineDirectory)
    }

    public func released() -> [QuarantineEntry] {
        entries(in: releasedDirectory)
    }

    /// The quarantined message whose SHA-256 starts with `prefix` (at least 4 characters).
    public func quarantined(matching prefix: String) -> [QuarantineEntry] {
        let prefix = prefix.lowercased()
        guard prefix.count >= 4 else { return [] }
        return quarantined().filter { $0.sha256.hasPrefix(prefix) }
    }

    /// Moves an entry to `quarantine/released/` once its message is on a ticket.
    public func markReleased(_ sha256: String) throws(StoreError) {
        try makeDirectory(releasedDirectory)
        let from = "\(quarantineDirectory)/\(sha256)", to = "\(releasedDirectory)/\(sha256)"
        guard rename(from, to) == 0 else { throw .io(path: from, operation: "rename", errno: errno) }
        try syncDirectory(quarantineDirectory)
        try syncDirectory(releasedDirectory)
    }

    private func entries(in directory: String) -> [QuarantineEntry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name -> QuarantineEntry? in
            guard name.count == 64, let data = FileManager.default.contents(atPath: "\(directory)/\(name)"),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let reason = object["reason"] as? String,
                  let at = (object["received_at"] as? String).flatMap(Timestamp.parse) else { return nil }
            return QuarantineEntry(sha256: name, reason: reason, receivedAt: at,
                                   size: (object["size"] as? Int) ?? 0, from: object["from"] as? String,
                                   subject: object["subject"] as? String)
        }.sorted { ($0.receivedAt, $0.sha256) < ($1.receivedAt, $1.sha256) }
    }

    // MARK: - Delivery lock

    /// Runs `body` holding the store's delivery lock (flock on `deliver.lock`), so that two
    /// deliveries never send the same mail. Waits up to `timeout`; false when it stayed taken.
    public func withDeliveryLock<T>(timeout: TimeInterval, _ body: () throws -> T) throws -> T? {
        try makeDirectory(root)
        let path = root + "/deliver.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o660)
        guard fd >= 0 else { throw StoreError.io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw StoreError.io(path: path, operation: "lock", errno: errno) }
            guard Date() < deadline else { return nil }
            usleep(5_000)
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    // MARK: - Sent markers

    /// Written (durably) as soon as sendmail has taken a mail, removed once the log says so: a
    /// delivery that finds one records the mail as sent instead of sending it again.
    public func markSent(ticket: Int, mail: Int, messageID: String) throws(StoreError) {
        try makeDirectory(root + "/sent")
        try writeDurably(Array((messageID + "\n").utf8), to: "\(root)/sent/\(ticket).\(mail)", replace: true)
    }

    public func sentMarker(ticket: Int, mail: Int) -> String? {
        FileManager.default.contents(atPath: "\(root)/sent/\(ticket).\(mail)")
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    public func clearSentMarker(ticket: Int, mail: Int) {
        unlink("\(root)/sent/\(ticket).\(mail)")
    }

    // MARK: - Durable files

    /// Creates a directory (group-writable, like the log) and makes its entry durable.
    func makeDirectory(_ path: String) throws(StoreError) {
        if access(path, F_OK) == 0 { return }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, access(parent, F_OK) != 0 { try makeDirectory(parent) }
        if mkdir(path, 0o2770) != 0 {
            if errno == EEXIST { return }
            throw .io(path: path, operation: "create directory", errno: errno)
        }
        _ = chmod(path, 0o2770)
        try syncDirectory(parent.isEmpty ? "." : parent)
    }

    func syncDirectory(_ path: String) throws(StoreError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, operation: "open directory", errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io(path: path, operation: "fsync directory", errno: errno) }
    }

    /// Writes to a temporary file, fsyncs it, renames it to `path` and fsyncs the directory.
    func writeDurably(_ bytes: [UInt8], to path: String, replace: Bool = false) throws(StoreError) {
        try makeDirectory(temporary)
        let temp = "\(temporary)/\(getpid()).\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o660)
        guard fd >= 0 else { throw .io(path: temp, operation: "create", errno: errno) }
        var failure: StoreError?
        _ = fchmod(fd, 0o660)
        bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = .io(path: temp, operation: "write", errno: errno)
                    return
                }
                written += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = .io(path: temp, operation: "fsync", errno: errno) }
        if close(fd) != 0, failure == nil { failure = .io(path: temp, operation: "close", errno: errno) }
        if let failure {
            unlink(temp)
            throw failure
        }
        if replace {
            guard rename(temp, path) == 0 else {
                let code = errno
                unlink(temp)
                throw .io(path: path, operation: "rename", errno: code)
            }
        } else {
            // link() never replaces: bytes already there (another delivery of the same mail) stay.
            if link(temp, path) != 0, errno != EEXIST {
                let code = errno
                unlink(temp)
                throw .io(path: path, operation: "link", errno: code)
            }
            unlink(temp)
        }
        try syncDirectory((path as NSString).deletingLastPathComponent)
    }
}
