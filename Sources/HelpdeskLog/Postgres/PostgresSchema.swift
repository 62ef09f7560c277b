import Foundation
import HelpdeskCore

/// The desk's tables in PostgreSQL, one statement each (the extended protocol takes one at a time).
///
/// `helpdesk_log` holds one row per record: its seq, the byte offset its line has in the file
/// log (`pos`), its time and actor, the id the writing client gave it (so a retry after a lost
/// COMMIT answer finds it), and the line itself as `text`, byte for byte as the file log writes
/// it, CRC included. `helpdesk_head` is the one row a writer locks: the last seq and the log's
/// size, moved in the same transaction as the insert. seq is never a sequence: followers read
/// `seq > last`, and a sequence's values commit out of order.
enum PostgresSchema {
    static let notifyChannel = "helpdesk_log"
    /// Notified when a console comes, goes, or opens another ticket (see `PostgresPresence`).
    static let presenceChannel = "helpdesk_presence"

    /// Who has which ticket open: one row per open console, never in the log. Unlogged (not
    /// worth a write-ahead log, emptied by crash recovery); made here and, for a desk made before
    /// it existed, by the first console that needs it.
    static let createPresence = """
        CREATE UNLOGGED TABLE IF NOT EXISTS helpdesk_presence (
            console uuid PRIMARY KEY,
            host text NOT NULL,
            pid integer NOT NULL,
            account text NOT NULL,
            ticket bigint,
            backend integer NOT NULL,
            heartbeat timestamptz NOT NULL
        )
        """

    static let create = [
        """
        CREATE TABLE helpdesk_head (
            one boolean PRIMARY KEY DEFAULT true CHECK (one),
            desk_id text NOT NULL,
            seq bigint NOT NULL,
            size bigint NOT NULL,
            format integer NOT NULL
        )
        """,
        """
        CREATE TABLE helpdesk_log (
            seq bigint PRIMARY KEY,
            pos bigint NOT NULL UNIQUE,
            at timestamptz NOT NULL,
            actor text NOT NULL,
            client_id uuid NOT NULL UNIQUE,
            written timestamptz NOT NULL DEFAULT clock_timestamp(),
            line text NOT NULL
        )
        """,
        """
        CREATE FUNCTION helpdesk_log_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('\(notifyChannel)', '');
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE TRIGGER helpdesk_log_appended AFTER INSERT ON helpdesk_log
            REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION helpdesk_log_notify()
        """,
        createPresence,
    ] + mail + SharedSnapshot.tables

    /// The mail's tables (see `PostgresMailTables`): created with the desk, and when first needed
    /// in a database made before they existed, hence IF NOT EXISTS.
    ///
    /// `helpdesk_blobs`: raw messages and attachments by SHA-256, which the server checks.
    /// `helpdesk_quarantine`: why a message was set aside (its entry as the file store writes it).
    /// `helpdesk_mail_handed`: one row per outgoing mail a delivery is handing to sendmail
    /// (`handed` false) or has handed (true) while the log does not say so yet.
    static let mail = [
        """
        CREATE TABLE IF NOT EXISTS helpdesk_blobs (
            sha256 text PRIMARY KEY,
            size bigint NOT NULL,
            data bytea NOT NULL,
            stored timestamptz NOT NULL DEFAULT now(),
            CHECK (sha256 = encode(sha256(data), 'hex')),
            CHECK (size = octet_length(data))
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS helpdesk_quarantine (
            sha256 text PRIMARY KEY,
            entry text NOT NULL,
            released boolean NOT NULL DEFAULT false
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS helpdesk_mail_handed (
            ticket bigint NOT NULL,
            mail bigint NOT NULL,
            message_id text NOT NULL,
            claimed_by text NOT NULL,
            claimed_at timestamptz NOT NULL DEFAULT now(),
            handed boolean NOT NULL DEFAULT false,
            PRIMARY KEY (ticket, mail)
        )
        """,
    ]

    /// Makes the tables and the head row of a desk with no records yet, inside the caller's
    /// transaction (`init --store` commits it alone; `migrate` together with the copied records).
    static func install(on connection: PGConnection, deskID: String) throws {
        for statement in create { try connection.execute(statement) }
        try connection.execute("INSERT INTO helpdesk_head (desk_id, seq, size, format) VALUES ($1, 0, 0, $2)",
                               [.text(deskID), .int(Rules.logFormat)])
    }

    /// A desk id for a new desk.
    static func newDeskID() -> String { UUID().uuidString.lowercased() }
}
