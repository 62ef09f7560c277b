import Foundation
import HelpdeskCore
import HelpdeskLog

extension StoreLocation {
    /// What `--store` takes for it.
    var storeArgument: String {
        switch self {
        case .file(let path): path
        case .postgres(let url): url
        }
    }
}

/// The PostgreSQL store beside the file store, on the same desk in the same run: a copy of the
/// file desk migrated into a fresh database (`--postgres BASE-URL`, a server URL ending in `/`).
enum PostgresComparison {
    static func measure(_ desk: BenchDesk, baseURL: String, helpdesk: String, into table: inout Table) throws {
        let name = "helpdesk_bench_\(desk.millions)m"
        for statement in ["DROP DATABASE IF EXISTS \(name) WITH (FORCE)", "CREATE DATABASE \(name)"] {
            let done = try run("psql", ["-q", "-v", "ON_ERROR_STOP=1", baseURL + "postgres", "-c", statement])
            guard done.status == 0 else { throw BenchError("psql \(statement) failed") }
        }
        let url = baseURL + name
        let store = StoreLocation.postgres(url: url)
        // A copy, since a migrated file refuses writes from then on.
        let copy = desk.path + ".migrating"
        defer { for suffix in ["", ".moved", ".snapshot", ".snapshot.lock"] { try? FileManager.default.removeItem(atPath: copy + suffix) } }
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: desk.path, toPath: copy)
        let migrated = try run(helpdesk, ["migrate", "--from", copy, "--to", url])
        guard migrated.status == 0 else { throw BenchError("migrate failed (\(migrated.status))") }
        table.add("migrate the \(desk.millions)M desk to PostgreSQL", median: String(format: "%.1f s", migrated.seconds),
                  note: megabytes(desk.size), target: desk.millions == 1 ? "≤ 60 s" : "",
                  met: desk.millions == 1 ? migrated.seconds <= 60 : nil)
        // This account's snapshot of the database desk, in its cache, as a writer leaves it.
        try DeskLog(location: store, writable: true).writeSnapshot(now: Date())

        let tickets = try desk.workableTickets(100)
        var fileNote = Samples(), databaseNote = Samples()
        for (index, ticket) in tickets.enumerated() {
            // Interleaved, so a noisy moment of the machine falls on both.
            for location in [StoreLocation.file(path: desk.path), store] {
                let finished = try run(helpdesk, ["note", String(ticket), "--body", "bench note \(index)",
                                                  "--store", location.storeArgument])
                guard finished.status == 0 else { throw BenchError("note on \(location) failed (\(finished.status))") }
                if case .file = location { fileNote.add(finished.seconds) } else { databaseNote.add(finished.seconds) }
            }
        }
        let ratio50 = databaseNote.median / fileNote.median, ratio99 = databaseNote.p99 / fileNote.p99
        table.add("helpdesk note, file store, \(desk.millions)M desk", median: milliseconds(fileNote.median),
                  p99: milliseconds(fileNote.p99))
        table.add("helpdesk note, PostgreSQL store, \(desk.millions)M desk", median: milliseconds(databaseNote.median),
                  p99: milliseconds(databaseNote.p99), note: String(format: "%.2f× / %.2f× the file's", ratio50, ratio99),
                  target: "≤ 2×", met: ratio50 <= 2 && ratio99 <= 2)

        var fileStatus = Samples(), databaseStatus = Samples(), fileShow = Samples(), databaseShow = Samples()
        for ticket in tickets.prefix(20) {
            fileStatus.add(try run(helpdesk, ["status", "--json", "--log", desk.path]).seconds)
            databaseStatus.add(try run(helpdesk, ["status", "--json", "--store", url]).seconds)
            fileShow.add(try run(helpdesk, ["show", String(ticket), "--log", desk.path]).seconds)
            databaseShow.add(try run(helpdesk, ["show", String(ticket), "--store", url]).seconds)
        }
        for (command, file, database) in [("status --json", fileStatus, databaseStatus), ("show", fileShow, databaseShow)] {
            let ratio = database.median / file.median
            table.add("  helpdesk \(command), current snapshot, file / PostgreSQL", median: milliseconds(file.median)
                      + " / " + milliseconds(database.median), p99: milliseconds(file.p99) + " / " + milliseconds(database.p99),
                      note: String(format: "%.2f×", ratio), target: "≤ 1.5×", met: ratio <= 1.5)
        }

        let propagation = try Propagation.latencies(desk, store: store, helpdesk: helpdesk)
        table.add("CLI append → applied in a follower, PostgreSQL (LISTEN)", median: milliseconds(propagation.median),
                  p99: milliseconds(propagation.p99), note: "\(propagation.values.count) notes", target: "p99 ≤ 50 ms",
                  met: propagation.p99 <= 0.05)
    }
}
