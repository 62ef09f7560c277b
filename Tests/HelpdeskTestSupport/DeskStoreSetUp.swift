import Foundation
import XCTest

/// Setting a desk up, and looking at what it holds, the same way on either store: a file fixture
/// moved into the desk's database, records appended as another writer would, the stored lines.
/// A database desk's rows are the file log's lines byte for byte, each at the offset it has in
/// the file (see PostgresSchema), so what a test writes means the same in both.
extension TemporaryDesk {
    public var onDatabase: Bool { database != nil }

    /// How commands name the desk's store: the log's path, or the database's URL (a test's has
    /// no password to hide).
    public var storeName: String { store ?? logPath }

    /// What the console's status line and the wallboard's title call the desk: the log file's
    /// name, or the database's.
    public var shortName: String { database?.name ?? (logPath as NSString).lastPathComponent }

    /// Skips the test on a database desk, saying why it is about the log file alone.
    public func requireFileStore(_ reason: String) throws {
        if onDatabase { throw XCTSkip("file store only: \(reason)") }
    }

    /// After the test built the desk as a log file at `logPath` (`generate --out`, `demo --log`,
    /// a copied log): on a database desk, moves it into the database as an administrator would,
    /// with `helpdesk migrate`, and the snapshot beside the log (if any) to where this host's
    /// commands look for the database desk's: the rows are the file's bytes at the same offsets,
    /// so it holds for them as it did for the file. On a file desk there is nothing to do.
    public func moveFileFixtureIntoStore() throws {
        guard let store else { return }
        let moved = try run(["migrate", "--from", logPath, "--to", store])
        guard moved.status == 0 else { throw PostgresFailure("helpdesk migrate --from \(logPath) --to \(store): \(moved.stderr)") }
        let besideTheLog = logPath + ".snapshot"
        guard FileManager.default.fileExists(atPath: besideTheLog) else { return }
        let cached = try snapshotPath()
        // As the desk makes its cache folder: its own, and no one else's to write in.
        try FileManager.default.createDirectory(atPath: (cached as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.moveItem(atPath: besideTheLog, toPath: cached)
    }

    /// The records as the store keeps them: the log file's bytes, or the rows' lines in seq
    /// order, each with its newline.
    public func storedLog() throws -> Data {
        guard let postgres, let database else { return (try? Data(contentsOf: URL(fileURLWithPath: logPath))) ?? Data() }
        guard try hasSchema() else { return Data() }
        let rows = try postgres.psql("SELECT line FROM helpdesk_log ORDER BY seq", database: database.name)
        return Data((rows.isEmpty ? "" : rows + "\n").utf8)
    }

    /// The stored records' lines, without their newlines.
    public func storedLines() throws -> [String] {
        String(decoding: try storedLog(), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Appends whole record lines (without newlines) after the last, as another writer (a newer
    /// helpdesk) would: to the file, or as rows at the offsets they would have in it, moving the
    /// head. A database without the desk's tables gets them (and no record) first.
    public func appendLines(_ lines: [String]) throws {
        guard let postgres, let database else {
            let existing = (try? Data(contentsOf: URL(fileURLWithPath: logPath))) ?? Data()
            try (existing + Data(lines.map { $0 + "\n" }.joined().utf8)).write(to: URL(fileURLWithPath: logPath))
            return
        }
        if try !hasSchema() { try createSchema() }
        // CSV, not COPY's text format, which would take a backslash in a line as an escape.
        func quoted(_ field: String) -> String { "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let rows = try lines.enumerated().map { n, line -> String in
            let fields = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                                       "not a record: \(line)")
            let seq = try XCTUnwrap(fields["seq"] as? Int, "no seq in \(line)")
            let at = try XCTUnwrap(fields["at"] as? String, "no at in \(line)")
            let actor = try XCTUnwrap(fields["actor"] as? String, "no actor in \(line)")
            return [String(n), String(seq), quoted(at), quoted(actor), quoted(line)].joined(separator: ",")
        }
        try postgres.psql("""
            BEGIN;
            LOCK TABLE helpdesk_head IN EXCLUSIVE MODE;
            CREATE TEMPORARY TABLE appended (n bigint, seq bigint, at timestamptz, actor text, line text) ON COMMIT DROP;
            COPY appended FROM STDIN WITH (FORMAT csv);
            \(rows.joined(separator: "\n"))
            \\.
            INSERT INTO helpdesk_log (seq, pos, at, actor, client_id, line)
                SELECT new.seq, head.size + coalesce(sum(octet_length(new.line) + 1)
                    OVER (ORDER BY new.n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0),
                    new.at, new.actor, gen_random_uuid(), new.line
                FROM appended AS new, helpdesk_head AS head;
            UPDATE helpdesk_head SET seq = (SELECT max(seq) FROM appended),
                size = size + (SELECT coalesce(sum(octet_length(line) + 1), 0) FROM appended);
            COMMIT;

            """, database: database.name)
    }

    /// Appends a record holding `events` (JSON objects, comma-separated) as a newer helpdesk
    /// would write it (see FutureLog).
    public func appendFutureRecord(_ events: String) throws {
        try appendLines([FutureLog.line(events, after: try storedLines().last)])
    }

    /// Flips the bits `mask` of byte `offset` (an ASCII one) of the record line at `index` (from
    /// 0): damage on disk in a file, a row changed behind the desk's back in a database.
    public func damageLine(_ index: Int, byte offset: Int, mask: UInt8) throws {
        guard let postgres, let database else {
            var log = [UInt8](try Data(contentsOf: URL(fileURLWithPath: logPath)))
            let starts = [0] + log.indices.filter { log[$0] == 10 }.map { $0 + 1 }
            log[starts[index] + offset] ^= mask
            try Data(log).write(to: URL(fileURLWithPath: logPath))
            return
        }
        try postgres.psql("""
            UPDATE helpdesk_log SET line = convert_from(set_byte(convert_to(line, 'UTF8'), \(offset),
                get_byte(convert_to(line, 'UTF8'), \(offset)) # \(mask)), 'UTF8')
            WHERE seq = (SELECT seq FROM helpdesk_log ORDER BY seq OFFSET \(index) LIMIT 1)
            """, database: database.name)
    }

    /// Where commands keep their snapshot of the desk: beside the log, or for a database desk in
    /// this desk's home's cache (`$HOME/.cache/helpdesk/DESK-ID.snapshot`; see StoreOpening).
    public func snapshotPath() throws -> String {
        guard let postgres, let database else { return logPath + ".snapshot" }
        let id = try postgres.psql("SELECT desk_id FROM helpdesk_head", database: database.name)
        return folder.file(".cache/helpdesk/\(id).snapshot")
    }

    /// A shell command that takes the writers' lock as another writer would (flock(1) on the
    /// log, or a psql session that locks the head row), prints HELD, holds it until a line comes
    /// on its standard input, then prints FREED and lets go.
    public func lockHoldingShellCommand() throws -> String {
        guard let postgres, let store else {
            return "flock \(shellQuoted(logPath)) sh -c 'echo HELD; read line; echo FREED'"
        }
        let held = ["BEGIN;", "SELECT seq FROM helpdesk_head FOR UPDATE;", "\\echo HELD"]
        let freed = ["COMMIT;", "\\echo FREED"]
        func printed(_ lines: [String]) -> String { "printf '%s\\n' " + lines.map(shellQuoted).joined(separator: " ") }
        return "{ \(printed(held)); read line; \(printed(freed)); } | \(try postgres.psqlShellCommand(url: store))"
    }

    /// What `account`'s open consoles on this desk tell the others, by console pid: the ticket
    /// each has open ("" for none). From the files in LOG.presence/, or the database's
    /// helpdesk_presence rows.
    public func presence(of account: String) throws -> [Int32: String] {
        var consoles: [Int32: String] = [:]
        guard let postgres, let database else {
            let folder = logPath + ".presence"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(account + ".") {
                guard let pid = Int32(name.dropFirst(account.count + 1)) else { continue }
                consoles[pid] = ((try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? "")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return consoles
        }
        guard try postgres.psql("SELECT to_regclass('helpdesk_presence') IS NOT NULL", database: database.name) == "t" else {
            return [:]
        }
        let rows = try postgres.psql("""
            SELECT pid, coalesce(ticket::text, '') FROM helpdesk_presence
            WHERE account = '\(account.replacingOccurrences(of: "'", with: "''"))'
            """, database: database.name)
        for row in rows.split(separator: "\n") {
            let fields = row.split(separator: "|", omittingEmptySubsequences: false)
            if let pid = fields.first.flatMap({ Int32($0) }) { consoles[pid] = fields.dropFirst().first.map(String.init) ?? "" }
        }
        return consoles
    }

    private func hasSchema() throws -> Bool {
        guard let postgres, let database else { return true }
        return try postgres.psql("SELECT to_regclass('helpdesk_head') IS NOT NULL", database: database.name) == "t"
    }

    /// The desk's tables, as `helpdesk init --store` makes them, without the records it writes
    /// (for a desk whose first record is one this helpdesk cannot read, which migrate refuses).
    private func createSchema() throws {
        guard let postgres, let database, let store else { return }
        let created = try run(["init", "--store", store])
        guard created.status == 0 else { throw PostgresFailure("helpdesk init --store \(store): \(created.stderr)") }
        try postgres.psql("DELETE FROM helpdesk_log; UPDATE helpdesk_head SET seq = 0, size = 0", database: database.name)
    }
}
