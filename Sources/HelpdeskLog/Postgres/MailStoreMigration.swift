import Foundation

/// A file desk's mail store as `helpdesk migrate` reads it (the mail module's folder store
/// provides it): every blob, the quarantine's entries, and the mail sendmail took that the log
/// does not say yet.
public protocol MailStoreContents {
    /// The SHA-256 of every blob kept.
    func blobAddresses() throws -> [String]
    func blob(_ sha256: String) throws -> [UInt8]
    func quarantine() throws -> [(sha256: String, entry: [UInt8], released: Bool)]
    func handedMail() throws -> [(ticket: Int, mail: Int, messageID: String)]
}

/// Copies a file desk's mail store into the database's mail tables (`PostgresSchema.mail`), in
/// the migration's transaction. What is there already stays (a resumed migration copies again).
enum MailStoreMigration {
    static func copy(_ contents: any MailStoreContents, into connection: PGConnection) throws {
        for statement in PostgresSchema.mail { try connection.execute(statement) }
        for sha256 in try contents.blobAddresses() {
            let bytes = try contents.blob(sha256)
            guard bytes.count <= PostgresMailTables.blobLimit else {
                throw PGError(sqlState: "", message: "the blob \(sha256) holds \(bytes.count) bytes, more than a database desk "
                              + "keeps in one message or attachment (\(PostgresMailTables.blobLimit >> 20) MiB)")
            }
            try connection.execute("""
                INSERT INTO helpdesk_blobs (sha256, size, data) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING
                """, [.text(sha256), .int(bytes.count), .bytes(bytes)])
        }
        for entry in try contents.quarantine() {
            try connection.execute("""
                INSERT INTO helpdesk_quarantine (sha256, entry, released) VALUES ($1, $2, $3)
                ON CONFLICT (sha256) DO UPDATE SET released = helpdesk_quarantine.released OR excluded.released
                """, [.text(entry.sha256), .text(String(decoding: entry.entry, as: UTF8.self)), .text(entry.released ? "t" : "f")])
        }
        // Taken by sendmail already: a delivery on the database records them without sending.
        for handed in try contents.handedMail() {
            try connection.execute("""
                INSERT INTO helpdesk_mail_handed (ticket, mail, message_id, claimed_by, handed) VALUES ($1, $2, $3, 'migrate', true)
                ON CONFLICT (ticket, mail) DO NOTHING
                """, [.int(handed.ticket), .int(handed.mail), .text(handed.messageID)])
        }
    }
}
