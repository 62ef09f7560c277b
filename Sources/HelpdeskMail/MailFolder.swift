import Foundation
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// A file desk's mail store, in `<log>.mail/`:
///
/// - `blobs/ab/abcdef…`: raw messages and attachments, named by their SHA-256;
/// - `quarantine/<sha256>`: why a message was set aside; `quarantine/released/<sha256>`: the
///   same, once it is on a ticket;
/// - `sent/TICKET.MAIL`: mail sendmail has taken that the log does not say yet;
/// - `tmp/`: files being written; `deliver.lock`: one delivery at a time.
///
/// Every folder is sticky (group members create files in it; none may remove or replace
/// another's), and everything is reached through `DeskFolder`, never through a symlink. Every
/// file is written to `tmp/` under an unguessable name, fsynced, moved into place and its folder
/// fsynced, before the log gets the event that refers to it.
final class MailFolder: MailStoreBackend {
    let root: String

    init(root: String) {
        self.root = root
    }

    static func path(ofBlob sha256: String, root: String) -> String {
        "\(root)/blobs/\(sha256.prefix(2))/\(sha256)"
    }

    func name(ofBlob sha256: String) -> String { Self.path(ofBlob: sha256, root: root) }

    var lockName: String { root + "/deliver.lock" }

    // MARK: - Blobs

    private func blobFolder(_ sha256: String, create: Bool) throws(StoreError) -> DeskFolder? {
        try folder(["blobs", String(sha256.prefix(2))], create: create)
    }

    func put(_ bytes: [UInt8], sha256 hash: String) throws(StoreError) {
        let folder = try blobFolder(hash, create: true)!
        if let kept = folder.status(of: hash) {
            guard kept.st_mode & S_IFMT == S_IFREG else {
                throw .unsafe(path: folder.pathOf(hash), reason: "is not a regular file (planted?); remove it")
            }
            return
        }
        try writeDurably(bytes, to: hash, in: folder)
    }

    func exists(_ sha256: String) -> Bool {
        guard let folder = try? blobFolder(sha256, create: false) else { return false }
        return folder.status(of: sha256) != nil
    }

    func get(_ sha256: String) throws(StoreError) -> [UInt8] {
        let path = name(ofBlob: sha256)
        guard let folder = try blobFolder(sha256, create: false), folder.status(of: sha256) != nil else {
            throw .missing(path: path)
        }
        guard let file = folder.read(sha256, limit: Int.max) else { throw .io(path: path, operation: "read", errno: errno) }
        return file.bytes
    }

    // MARK: - Quarantine

    func keepQuarantineEntry(_ bytes: [UInt8], sha256: String) throws(StoreError) {
        try writeDurably(bytes, to: sha256, in: try folder(["quarantine"], create: true)!)
    }

    /// Every entry in `quarantine/` (released ones too), or those in `quarantine/released/`.
    func quarantineEntries(released: Bool) throws(StoreError) -> [(name: String, bytes: [UInt8])] {
        guard let folder = try? folder(released ? ["quarantine", "released"] : ["quarantine"], create: false) else { return [] }
        return folder.names().compactMap { name in
            guard name.count == 64, let file = folder.read(name) else { return nil }
            return (name, file.bytes)
        }
    }

    /// Copies an entry to `quarantine/released/` (the entry itself is removed when this account
    /// wrote it; in a sticky folder no one else may).
    func markReleased(_ sha256: String) throws(StoreError) {
        guard let quarantine = try folder(["quarantine"], create: false),
              let entry = quarantine.read(sha256) else { throw .missing(path: "\(root)/quarantine/\(sha256)") }
        try writeDurably(entry.bytes, to: sha256, in: try folder(["quarantine", "released"], create: true)!)
        if quarantine.removeOwnFile(sha256) { try? quarantine.sync() }
    }

    // MARK: - Delivery

    /// flock on `deliver.lock`, mode 0660 so any member of the group can take it.
    func withDeliveryLock<T>(timeout: TimeInterval, _ body: () throws -> T) throws -> T? {
        let fd = try storing { try folder([], create: true)!.openShared("deliver.lock") }
        defer { close(fd) }
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw StoreError.io(path: lockName, operation: "lock", errno: errno)
            }
            guard ContinuousClock.now < deadline else { return nil }
            usleep(5_000)
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// The flock keeps every other delivery out while this one holds it: a mail is either
    /// marked sent or this delivery's to send.
    func claimSending(ticket: Int, mail: Int, messageID: String) throws(StoreError) -> SendingClaim {
        sentMarker(ticket: ticket, mail: mail).map { .handed(messageID: $0) } ?? .mine
    }

    func releaseClaim(ticket: Int, mail: Int) {}

    func markSent(ticket: Int, mail: Int, messageID: String) throws(StoreError) {
        try writeDurably(Array((messageID + "\n").utf8), to: "\(ticket).\(mail)", in: try folder(["sent"], create: true)!,
                         replace: true)
    }

    func sentMarker(ticket: Int, mail: Int) -> String? {
        guard let sent = try? folder(["sent"], create: false), let file = sent.read("\(ticket).\(mail)") else { return nil }
        return String(decoding: file.bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func clearSentMarker(ticket: Int, mail: Int) {
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

/// What `helpdesk migrate` copies of a file desk's mail store into a database.
extension MailFolder: MailStoreContents {
    func blobAddresses() throws -> [String] {
        guard let blobs = try folder(["blobs"], create: false) else { return [] }
        return try blobs.names().filter { $0.count == 2 }.sorted().flatMap { prefix -> [String] in
            guard let shard = try folder(["blobs", prefix], create: false) else { return [] }
            return shard.names().filter { $0.count == 64 && $0.hasPrefix(prefix) }.sorted()
        }
    }

    func blob(_ sha256: String) throws -> [UInt8] { try get(sha256) }

    func quarantine() throws -> [(sha256: String, entry: [UInt8], released: Bool)] {
        let released = try quarantineEntries(released: true)
        let releasedNames = Set(released.map(\.name))
        return try quarantineEntries(released: false).filter { !releasedNames.contains($0.name) }
            .map { ($0.name, $0.bytes, false) } + released.map { ($0.name, $0.bytes, true) }
    }

    func handedMail() throws -> [(ticket: Int, mail: Int, messageID: String)] {
        guard let sent = try folder(["sent"], create: false) else { return [] }
        return sent.names().sorted().compactMap { name in
            let parts = name.split(separator: ".")
            guard parts.count == 2, let ticket = Int(parts[0]), let mail = Int(parts[1]),
                  let messageID = sentMarker(ticket: ticket, mail: mail), !messageID.isEmpty else { return nil }
            return (ticket, mail, messageID)
        }
    }
}
