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
