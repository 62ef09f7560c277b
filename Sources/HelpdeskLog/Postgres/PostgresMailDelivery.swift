import Foundation

/// Delivery of a database desk's mail from any number of hosts, each mail handed to sendmail
/// once. The lock is an advisory lock of one session (let go when the process ends or its
/// connection drops). Under it, a mail is first claimed by a row in `helpdesk_mail_handed` made on
/// the lock's own session, so the claim proves the lock was still held when it was made; the row
/// is marked handed once sendmail took the mail, where a file desk writes its marker. A delivery
/// that lost its connection while sendmail ran finds its claim again on reconnecting and marks it
/// handed, while any other delivery leaves a claim that is not its own alone (the mail may be
/// going out) until it is `staleClaimMinutes` old: only then was its claimer surely gone mid-send,
/// and the mail is sent again, as a file desk sends again a mail whose sender died before writing
/// its marker.
extension PostgresMailTables {
    /// Advisory locks are per database: one desk's deliveries wait only for each other.
    static let deliveryLockKey: Int64 = 0x6864_6465_6C69_7672  // "hddelivr"
    public static let staleClaimMinutes = 15

    /// What a delivery may do about one outgoing mail.
    public enum Claim: Equatable {
        /// Send it: this process claimed it.
        case mine
        /// Sendmail took it already (the log does not say so yet): record it as sent.
        case handed(messageID: String)
        /// Another delivery is handing it to sendmail, or was until lately: leave it alone.
        case elsewhere(claimedBy: String)
    }

    /// Runs `body` holding the desk's delivery lock; waits up to `timeout`, nil when it stayed taken.
    public func withDeliveryLock<T>(timeout: TimeInterval, _ body: () throws -> T) throws -> T? {
        let session: PGConnection
        do {
            do {
                session = try lockedSession(timeout: timeout)
            } catch LogError.unreachable {
                // A server restarted since the last statement: one new connection, one more try.
                session = try lockedSession(timeout: timeout)
            }
        } catch let error as PGError {
            if error.isLockTimeout { return nil }
            throw LogError.database(store: path, reason: error.message)
        }
        lockHolder = session
        defer {
            lockHolder = nil
            if session.isOpen { _ = try? session.execute("SELECT pg_advisory_unlock($1)", [.int(Self.deliveryLockKey)]) }
        }
        return try body()
    }

    /// A connection whose session took the lock, waiting up to `timeout` for it. The server
    /// probes the connection while it sits idle (sendmail running): a host that vanished from
    /// the network lets go of the lock within a minute, not after the system's two hours.
    private func lockedSession(timeout: TimeInterval) throws -> PGConnection {
        let session = try ready()
        try session.execute("""
            SELECT set_config('tcp_keepalives_idle', '30', false), set_config('tcp_keepalives_interval', '10', false),
                   set_config('tcp_keepalives_count', '3', false)
            """)
        try session.execute("SELECT set_config('lock_timeout', $1, false)", [.text("\(max(1, Int(timeout * 1000)))ms")])
        try session.execute("SELECT pg_advisory_lock($1)", [.int(Self.deliveryLockKey)])
        try session.execute("SELECT set_config('lock_timeout', '0', false)")
        return session
    }

    /// Claims mail `mail` of `ticket` for this process, under the delivery lock.
    public func claimSending(ticket: Int, mail: Int, messageID: String) throws -> Claim {
        let key: [PGValue?] = [.int(ticket), .int(mail)]
        let inserted = try run("""
            INSERT INTO helpdesk_mail_handed (ticket, mail, message_id, claimed_by) VALUES ($1, $2, $3, $4)
            ON CONFLICT (ticket, mail) DO NOTHING RETURNING 1
            """, key + [.text(messageID), .text(Self.processToken)], holdingLock: true)
        if inserted.rows == 1 { return .mine }
        let row = try run("""
            SELECT message_id, claimed_by, handed, claimed_at < now() - make_interval(mins => $3)
            FROM helpdesk_mail_handed WHERE ticket = $1 AND mail = $2
            """, key + [.int(Self.staleClaimMinutes)], holdingLock: true)
        guard row.rows == 1, let claimer = row.text(0, 1) else {
            throw LogError.database(store: path, reason: "the claim on mail \(mail) of ticket \(ticket) vanished")
        }
        if row.text(0, 2) == "t" { return .handed(messageID: row.text(0, 0) ?? messageID) }
        // Ours: an attempt that failed (one that went out is remembered by the caller). Stale:
        // its claimer died mid-send long ago.
        guard claimer == Self.processToken || row.text(0, 3) == "t" else { return .elsewhere(claimedBy: claimer) }
        let taken = try run("""
            UPDATE helpdesk_mail_handed SET claimed_by = $3, claimed_at = now(), message_id = $4
            WHERE ticket = $1 AND mail = $2 AND claimed_by = $5 AND NOT handed RETURNING 1
            """, key + [.text(Self.processToken), .text(messageID), .text(claimer)], holdingLock: true)
        return taken.rows == 1 ? .mine : .elsewhere(claimedBy: claimer)
    }

    /// Sendmail took the mail this process claimed: durable when this returns. The connection
    /// may be a new one (the claim, still ours, keeps others off the mail meanwhile).
    public func markHanded(ticket: Int, mail: Int, messageID: String) throws {
        let marked = try run("""
            INSERT INTO helpdesk_mail_handed (ticket, mail, message_id, claimed_by, handed) VALUES ($1, $2, $3, $4, true)
            ON CONFLICT (ticket, mail) DO UPDATE SET handed = true, message_id = excluded.message_id
            WHERE helpdesk_mail_handed.claimed_by = excluded.claimed_by RETURNING 1
            """, [.int(ticket), .int(mail), .text(messageID), .text(Self.processToken)])
        guard marked.rows == 1 else {
            throw LogError.database(store: path, reason: "mail \(mail) of ticket \(ticket) was claimed by another delivery")
        }
    }

    /// The Message-ID of a mail sendmail took that the log does not say yet, if any.
    public func handedMessageID(ticket: Int, mail: Int) throws -> String? {
        let row = try run("SELECT message_id FROM helpdesk_mail_handed WHERE ticket = $1 AND mail = $2 AND handed",
                          [.int(ticket), .int(mail)])
        return row.rows == 1 ? row.text(0, 0) : nil
    }

    /// Forgets the mail's row once the log says what became of it.
    public func clearHanded(ticket: Int, mail: Int) throws {
        try run("DELETE FROM helpdesk_mail_handed WHERE ticket = $1 AND mail = $2", [.int(ticket), .int(mail)])
    }

    /// Gives up this process's claim on a mail sendmail did not take.
    public func releaseClaim(ticket: Int, mail: Int) throws {
        try run("DELETE FROM helpdesk_mail_handed WHERE ticket = $1 AND mail = $2 AND claimed_by = $3 AND NOT handed",
                [.int(ticket), .int(mail), .text(Self.processToken)])
    }
}
