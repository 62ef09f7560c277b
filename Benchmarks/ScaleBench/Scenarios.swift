import Foundation
import HelpdeskCore
import HelpdeskLog

enum Replay {
    /// In-process full replay (no snapshot) against CPython's json.loads of every line and wc -l.
    static func measure(_ desk: BenchDesk, runs: Int = 5, python pythonToo: Bool = true, into table: inout Table) throws {
        var replay = Samples(), cpu = Samples(), applying = Samples(), scanning = Samples(), python = Samples(), wc = Samples()
        var events = 0
        _ = try run("wc", ["-l", desk.path])  // the file into the page cache for everyone
        for _ in 0..<runs {
            let cpuBefore = processCPUSeconds(), applyingBefore = threadCPUSeconds()
            var log: DeskLog?
            replay.add(try seconds { log = try DeskLog(path: desk.path, writable: false, snapshots: false) })
            let applyingCPU = threadCPUSeconds() - applyingBefore, processCPU = processCPUSeconds() - cpuBefore
            applying.add(applyingCPU)
            scanning.add(processCPU - applyingCPU)
            cpu.add(processCPU)
            // Counted, and the desk freed, outside the timing: a command exits rather than free
            // its desk, and freeing a replayed 1M desk takes about a tenth of its replay.
            events = log?.desk.tickets.reduce(0) { $0 + $1.historyCount } ?? 0
            log = nil
            wc.add(try run("wc", ["-l", desk.path]).seconds)
        }
        let script = "import json,sys\nfor line in open(sys.argv[1],'rb'): json.loads(line)"
        for _ in 0..<(pythonToo ? 3 : 0) { python.add(try run("python3", ["-c", script, desk.path]).seconds) }
        let toWC = replay.median / wc.median
        table.add("full replay, \(desk.millions)M desk (\(events) ticket events, \(megabytes(desk.size)))",
                  median: milliseconds(replay.median), p99: milliseconds(replay.p99),
                  note: String(format: "%.0f MB/s; CPU (both threads) %.0f ms: applying %.0f, scanning %.0f",
                               Double(desk.size) / replay.median / 1e6, cpu.median * 1000, applying.median * 1000,
                               scanning.median * 1000))
        if pythonToo {
            let toPython = replay.median / python.median
            table.add("  CPython json.loads per line", median: milliseconds(python.median), p99: milliseconds(python.p99),
                      note: String(format: "replay = %.2f× CPython", toPython), target: "≤ 0.5×", met: toPython <= 0.5)
        }
        table.add("  wc -l", median: milliseconds(wc.median), p99: milliseconds(wc.p99),
                  note: String(format: "replay = %.1f× wc -l", toWC), target: "≤ 10×", met: toWC <= 10)
    }
}

enum StartUp {
    /// Opening the desk from its snapshot in-process, and whole CLI commands (new processes).
    static func measure(_ desk: BenchDesk, helpdesk: String, into table: inout Table) throws {
        var open = Samples()
        for _ in 0..<7 { open.add(try seconds { _ = try DeskLog(path: desk.path, writable: false) }) }
        table.add("open from snapshot, \(desk.millions)M desk", median: milliseconds(open.median),
                  p99: milliseconds(open.p99), note: "in process")
        let log = ["--log", desk.path]
        let tickets = try desk.workableTickets(20)
        var status = Samples(), show = Samples(), take = Samples()
        for ticket in tickets {
            status.add(try run(helpdesk, ["status", "--json"] + log).seconds)
            show.add(try run(helpdesk, ["show", String(ticket)] + log).seconds)
            let taken = try run(helpdesk, ["take", String(ticket), "--steal"] + log)
            guard taken.status == 0 else { throw BenchError("take \(ticket) failed (\(taken.status))") }
            take.add(taken.seconds)
        }
        for (name, samples) in [("status --json", status), ("show", show), ("take --steal", take)] {
            table.add("  helpdesk \(name), \(desk.millions)M desk", median: milliseconds(samples.median),
                      p99: milliseconds(samples.p99), target: desk.millions >= 10 ? "≤ 100 ms" : "",
                      met: desk.millions >= 10 ? samples.p99 <= 0.1 : nil)
        }
    }

    /// Start-up as records accumulate after the snapshot (appended with refreshes turned off),
    /// then a fresh snapshot again.
    static func measureTail(_ desk: BenchDesk, into table: inout Table) throws {
        let writer = try DeskLog(path: desk.path, writable: true)
        writer.snapshotPolicy.enabled = false
        try writer.writeSnapshot(now: Date())
        var appended = 0
        for tail in [0, 1000, 4999] {
            while appended < tail {
                let id = 1 + appended % writer.desk.tickets.count
                _ = try writer.append(actor: writer.desk.roster[0], now: Date()) { state, now throws(Refusal) in
                    try Rules.decide(.note(ticket: id, body: "bench note \(appended)"), by: state.roster[0], at: now, on: state)
                }
                appended += 1
            }
            var open = Samples()
            for _ in 0..<7 { open.add(try seconds { _ = try DeskLog(path: desk.path, writable: false) }) }
            table.add("  open, \(tail) records after the snapshot (\(desk.millions)M desk)", median: milliseconds(open.median),
                      p99: milliseconds(open.p99))
        }
        try writer.writeSnapshot(now: Date())
    }
}

enum Propagation {
    /// `helpdesk note` in one process → the record applied and printed by `helpdesk events
    /// --follow` in another; latency from the record's own time (taken under the log's lock,
    /// just before it is written) to the line reaching the bench.
    static func measure(_ desk: BenchDesk, helpdesk: String, into table: inout Table) throws {
        let latency = try latencies(desk, store: .file(path: desk.path), helpdesk: helpdesk)
        table.add("CLI append → applied in a follower (events --follow)", median: milliseconds(latency.median),
                  p99: milliseconds(latency.p99), note: "\(latency.values.count) notes", target: "p99 ≤ 50 ms",
                  met: latency.p99 <= 0.05)
    }

    /// The latencies of 100 notes on the desk at `store` (the desk's workable tickets are read
    /// from the file at `desk.path`, which holds the same desk).
    static func latencies(_ desk: BenchDesk, store: StoreLocation, helpdesk: String) throws -> Samples {
        let log = ["--store", store.storeArgument]
        let lastSeq = try DeskLog(location: store, writable: false).desk.lastSeq
        let follower = try LineReader(helpdesk, ["events", "--follow", "--json", "--after", String(lastSeq)] + log)
        defer { follower.stop() }
        let tickets = try desk.workableTickets(101)
        // The first note shows the follower has finished its replay and is following.
        _ = try run(helpdesk, ["note", String(tickets[0]), "--body", "warm-up"] + log)
        guard follower.read(until: { follower.lines.count >= 1 }, timeout: 120) else {
            throw BenchError("the follower never printed the warm-up note")
        }
        var latency = Samples()
        for ticket in tickets.dropFirst() {
            let seen = follower.lines.count
            let note = try run(helpdesk, ["note", String(ticket), "--body", "propagation \(ticket)"] + log)
            guard note.status == 0, follower.read(until: { follower.lines.count > seen }, timeout: 10) else {
                throw BenchError("a note did not reach the follower")
            }
            let line = follower.lines[seen]
            guard let value = try? JSONValue.parse(line.text), let at = value["at"]?.string.flatMap(Timestamp.parse) else {
                throw BenchError("unexpected follower line: \(line.text)")
            }
            latency.add(line.arrived.timeIntervalSince(at))
        }
        return latency
    }
}

enum Memory {
    /// Peak RSS of `helpdesk status` after loading the desk, from its snapshot and by full
    /// replay. Read by /usr/bin/time, whose own child it is: Linux carries a spawning process's
    /// peak over into its child's, so the bench's own (large) peak would show through.
    static func measure(_ desk: BenchDesk, helpdesk: String, into table: inout Table) throws {
        let log = ["--log", desk.path]
        func peak() throws -> Int64 {
            let report = "\(desk.path).rss"
            defer { try? FileManager.default.removeItem(atPath: report) }
            let finished = try run("/usr/bin/time", ["-f", "%M", "-o", report, helpdesk, "status", "--json"] + log)
            guard finished.status == 0, let text = try? String(contentsOfFile: report, encoding: .utf8),
                  let kilobytes = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last ?? "")
            else { throw BenchError("/usr/bin/time (Debian package time) is needed for the memory figures") }
            return kilobytes * 1024
        }
        let withSnapshot = try peak()
        let snapshot = desk.path + ".snapshot"
        let checkpoints = snapshot + ".checkpoints"
        let aside = snapshot + ".aside", checkpointsAside = checkpoints + ".aside"
        // Left by a run that was stopped here: derived files, safe to delete.
        try? FileManager.default.removeItem(atPath: aside)
        try? FileManager.default.removeItem(atPath: checkpointsAside)
        try FileManager.default.moveItem(atPath: snapshot, toPath: aside)
        defer {
            waitForSnapshotWriter(of: snapshot)
            try? FileManager.default.removeItem(atPath: snapshot)
            try? FileManager.default.moveItem(atPath: aside, toPath: snapshot)
            if FileManager.default.fileExists(atPath: checkpointsAside) {
                try? FileManager.default.removeItem(atPath: checkpoints)
                try? FileManager.default.moveItem(atPath: checkpointsAside, toPath: checkpoints)
            }
        }
        /// Five rounds of: the snapshot deleted (and the checkpoints, unless `keepingCheckpoints`),
        /// `status` (the first), `status` again the moment it exits (the next), and once the
        /// snapshot it leaves is written (later).
        func rounds(keepingCheckpoints: Bool) throws -> (first: Samples, next: Samples, later: Samples) {
            var first = Samples(), next = Samples(), later = Samples()
            for _ in 0..<5 {
                waitForSnapshotWriter(of: snapshot)
                try? FileManager.default.removeItem(atPath: snapshot)
                if !keepingCheckpoints { try? FileManager.default.removeItem(atPath: checkpoints) }
                first.add(try run(helpdesk, ["status", "--json"] + log).seconds)
                next.add(try run(helpdesk, ["status", "--json"] + log).seconds)
                waitForSnapshotWriter(of: snapshot)
                later.add(try run(helpdesk, ["status", "--json"] + log).seconds)
            }
            return (first, next, later)
        }
        // The newest checkpoint stands in for the deleted snapshot: no command replays the log.
        let standIn = try rounds(keepingCheckpoints: true)
        table.add("helpdesk status --json, the snapshot deleted, \(desk.millions)M desk", median: milliseconds(standIn.first.median),
                  p99: milliseconds(standIn.first.p99), note: "from the newest checkpoint; a child writes the snapshot")
        table.add("helpdesk status --json after that one, \(desk.millions)M desk", median: milliseconds(standIn.next.median),
                  p99: milliseconds(standIn.next.p99), note: "started as the first exits", target: "≤ 50 ms",
                  met: standIn.next.median <= 0.05)
        // Without checkpoints either: the first command replays the whole log, answers, then its
        // child writes the snapshot; the next, started as soon as the first exits, waits for that
        // writer and opens from its snapshot.
        waitForSnapshotWriter(of: snapshot)
        try FileManager.default.moveItem(atPath: checkpoints, toPath: checkpointsAside)
        try? FileManager.default.removeItem(atPath: snapshot)
        let replayed = try peak()
        let (first, next, later) = try rounds(keepingCheckpoints: false)
        table.add("helpdesk status --json, snapshot and checkpoints deleted, \(desk.millions)M desk", median: milliseconds(first.median),
                  p99: milliseconds(first.p99), note: "replays, answers, then a child writes the snapshot")
        table.add("helpdesk status --json after the one that replayed, \(desk.millions)M desk", median: milliseconds(next.median),
                  p99: milliseconds(next.p99), note: "started as the first exits; waits for its writer")
        table.add("helpdesk status --json once that snapshot is written, \(desk.millions)M desk", median: milliseconds(later.median),
                  p99: milliseconds(later.p99), note: "the writer waited for by the bench")
        for (name, bytes) in [("from snapshot", withSnapshot), ("full replay", replayed)] {
            table.add("peak RSS, \(desk.millions)M desk, \(name)", median: megabytes(bytes),
                      note: String(format: "%.2f× the log (%@)", Double(bytes) / Double(desk.size), megabytes(desk.size)),
                      target: "≤ log size", met: bytes <= desk.size)
        }
    }
}

/// Waits until no process holds the snapshot's lock (a child still writing the snapshot).
func waitForSnapshotWriter(of snapshot: String) {
    let fd = open(snapshot + ".lock", O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else { return }
    defer { close(fd) }
    _ = flock(fd, LOCK_SH)
    _ = flock(fd, LOCK_UN)
}

enum Appends {
    /// Sequential `helpdesk new` on the desk, each a whole process: open, lock, append, fsync.
    static func measure(_ desk: BenchDesk, helpdesk: String, into table: inout Table) throws {
        var latency = Samples()
        for index in 0..<100 {
            let finished = try run(helpdesk, ["new", "--log", desk.path, "--customer", "bench\(index % 7)@example.com",
                                              "--subject", "Bench ticket \(index)", "--body", "Appended by the benchmark."])
            guard finished.status == 0 else { throw BenchError("new failed (\(finished.status))") }
            latency.add(finished.seconds)
        }
        table.add("helpdesk new, sequential, \(desk.millions)M desk", median: milliseconds(latency.median),
                  p99: milliseconds(latency.p99), note: String(format: "%.0f appends/s", 1 / latency.median))
    }

    /// `helpdesk ingest --json` of 100k lines (new tickets, follow-ups on them, resends) into a
    /// copy of the desk: one process, lines taken in batches under the lock with one sync each.
    static func measureIngest(_ desk: BenchDesk, helpdesk: String, lines count: Int = 100_000,
                              into table: inout Table) throws {
        let copy = desk.path + ".ingest"
        let input = desk.path + ".ingest.jsonl"
        let suffixes = ["", ".snapshot", ".snapshot.lock"]
        defer { for suffix in suffixes + [".jsonl"] { try? FileManager.default.removeItem(atPath: copy + suffix) } }
        for suffix in suffixes.dropLast() {
            try? FileManager.default.removeItem(atPath: copy + suffix)
            try FileManager.default.copyItem(atPath: desk.path + suffix, toPath: copy + suffix)
        }
        let firstNew = try DeskLog(path: copy, writable: false).desk.nextTicketID
        var text = ""
        var opened = 0
        for index in 0..<count {
            if index % 10 == 9 {  // the customer of line index - 9 writes again on the ticket it opened
                let customer = "ingest\((index - 9) % 20_000)@example.com"
                text += #"{"channel":"chat","customer":{"email":"\#(customer)"},"body":"Any news on this? (\#(index))","#
                    + #""external_id":"bench-\#(index)","ticket":\#(firstNew + (index - 9) / 10 * 9)}"# + "\n"
            } else {
                let customer = "ingest\(index % 20_000)@example.com"
                opened += 1
                text += #"{"channel":"web","customer":{"email":"\#(customer)","name":"Customer \#(index % 20_000)"},"#
                    + #""subject":"Form request \#(index)","body":"Hello, the form says error \#(index) when I save.","#
                    + #""external_id":"bench-\#(index)"}"# + "\n"
            }
        }
        try text.write(toFile: input, atomically: false, encoding: .utf8)
        let finished = try run("/bin/sh", ["-c", "exec \"$0\" ingest --json --log \"$1\" < \"$2\"", helpdesk, copy, input])
        let results = finished.output.split(separator: "\n")
        guard finished.status == 0, results.count == count else {
            throw BenchError("ingest --json failed (\(finished.status)), \(results.count) of \(count) lines reported")
        }
        let reopened = try DeskLog(path: copy, writable: false).desk
        guard reopened.tickets.count == firstNew - 1 + opened else { throw BenchError("ingest opened the wrong number of tickets") }
        table.add("ingest --json of \(count / 1000)k lines, \(desk.millions)M desk", median: String(format: "%.1f s", finished.seconds),
                  note: String(format: "%.0f lines/s, one process", Double(count) / finished.seconds))
    }
}
