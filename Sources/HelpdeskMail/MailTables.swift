import Foundation
import HelpdeskLog

/// A database desk's mail store: its tables, through `PostgresMailTables` (the log module owns
/// every byte in the database). Blobs are committed before the record that names them, so a
/// crash between leaves at most a blob nothing names.
final class MailTables: MailStoreBackend {
    let tables: PostgresMailTables

    init(url: String) {
        tables = PostgresMailTables(url: url)
    }

    func name(ofBlob sha256: String) -> String { "blob \(sha256) in \(tables.path)" }

    var lockName: String { "the delivery lock of \(tables.path)" }

    func put(_ bytes: [UInt8], sha256: String) throws(StoreError) {
        guard bytes.count <= PostgresMailTables.blobLimit else {
            throw .tooLarge(size: bytes.count, limit: PostgresMailTables.blobLimit)
        }
        try storing { try tables.putBlob(bytes, sha256: sha256) }
    }

    func exists(_ sha256: String) -> Bool {
        (try? tables.blobExists(sha256)) ?? false
    }

    func get(_ sha256: String) throws(StoreError) -> [UInt8] {
        guard let bytes = try storing({ try tables.blob(sha256) }) else { throw .missing(path: name(ofBlob: sha256)) }
        return bytes
    }

    func keepQuarantineEntry(_ bytes: [UInt8], sha256: String) throws(StoreError) {
        try storing { try tables.putQuarantine(sha256: sha256, entry: bytes) }
    }

    func quarantineEntries(released: Bool) throws(StoreError) -> [(name: String, bytes: [UInt8])] {
        try storing { try tables.quarantineEntries(released: released) }.map { ($0.sha256, $0.entry) }
    }

    func markReleased(_ sha256: String) throws(StoreError) {
        guard try storing({ try tables.markReleased(sha256) }) else {
            throw .missing(path: "quarantine entry \(sha256) in \(tables.path)")
        }
    }

    func withDeliveryLock<T>(timeout: TimeInterval, _ body: () throws -> T) throws -> T? {
        try tables.withDeliveryLock(timeout: timeout, body)
    }

    func claimSending(ticket: Int, mail: Int, messageID: String) throws(StoreError) -> SendingClaim {
        switch try storing({ try tables.claimSending(ticket: ticket, mail: mail, messageID: messageID) }) {
        case .mine: return .mine
        case .handed(let messageID): return .handed(messageID: messageID)
        case .elsewhere(let claimer): return .elsewhere(by: claimer)
        }
    }

    func releaseClaim(ticket: Int, mail: Int) {
        try? tables.releaseClaim(ticket: ticket, mail: mail)
    }

    func markSent(ticket: Int, mail: Int, messageID: String) throws(StoreError) {
        try storing { try tables.markHanded(ticket: ticket, mail: mail, messageID: messageID) }
    }

    func sentMarker(ticket: Int, mail: Int) -> String? {
        try? tables.handedMessageID(ticket: ticket, mail: mail)
    }

    func clearSentMarker(ticket: Int, mail: Int) {
        try? tables.clearHanded(ticket: ticket, mail: mail)
    }

    private func storing<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch {
            throw .database("\(error)")
        }
    }
}
