import Foundation

/// Where a `MailStore` keeps things: a folder beside a log file (`MailFolder`) or a database
/// desk's tables (`MailTables`). Each keeps what it is given durably before it returns.
protocol MailStoreBackend: AnyObject {
    /// How messages name the blob `sha256`.
    func name(ofBlob sha256: String) -> String
    var lockName: String { get }

    /// Keeps `bytes` under `sha256` (their SHA-256), unless they are kept already.
    func put(_ bytes: [UInt8], sha256: String) throws(StoreError)
    func exists(_ sha256: String) -> Bool
    /// The bytes kept under `sha256`, as kept (the store checks them).
    func get(_ sha256: String) throws(StoreError) -> [UInt8]

    /// Keeps a quarantine entry; one kept before for the same message stays.
    func keepQuarantineEntry(_ bytes: [UInt8], sha256: String) throws(StoreError)
    /// The entries released, or the others (which may include released ones: the store leaves
    /// those out).
    func quarantineEntries(released: Bool) throws(StoreError) -> [(name: String, bytes: [UInt8])]
    func markReleased(_ sha256: String) throws(StoreError)

    func withDeliveryLock<T>(timeout: TimeInterval, _ body: () throws -> T) throws -> T?
    func claimSending(ticket: Int, mail: Int, messageID: String) throws(StoreError) -> SendingClaim
    func releaseClaim(ticket: Int, mail: Int)
    func markSent(ticket: Int, mail: Int, messageID: String) throws(StoreError)
    func sentMarker(ticket: Int, mail: Int) -> String?
    func clearSentMarker(ticket: Int, mail: Int)
}

/// What a delivery holding the lock may do about one outgoing mail.
public enum SendingClaim: Equatable, Sendable {
    /// Send it: it is this delivery's.
    case mine
    /// Sendmail took it already and the log does not say so yet: record it as sent.
    case handed(messageID: String)
    /// Another delivery (`by`) is handing it to sendmail, or was until lately: leave it alone.
    case elsewhere(by: String)
}
