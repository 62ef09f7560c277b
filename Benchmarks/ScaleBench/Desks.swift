import Foundation
import HelpdeskCore
import HelpdeskLog

/// Generated desks of a given number of events, kept in the bench's directory between runs
/// (generation is deterministic, so a kept one is the same desk).
struct BenchDesk {
    let millions: Int
    let path: String
    var size: Int64 { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0 }

    /// About 11.3 events per ticket: this many tickets make `millions` million events.
    var tickets: Int { millions * 88_300 }

    init(millions: Int, directory: String) {
        self.millions = millions
        path = "\(directory)/desk-\(millions)M.log"
    }

    /// Generates the desk unless it is there already; returns the seconds generating took (nil: kept).
    func make(helpdesk: String) throws -> Double? {
        if FileManager.default.fileExists(atPath: path), FileManager.default.fileExists(atPath: path + ".snapshot") {
            return nil
        }
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: path + ".snapshot")
        let finished = try run(helpdesk, ["generate", "--tickets", String(tickets), "--out", path, "--seed", "1"])
        guard finished.status == 0 else { throw BenchError("generate failed (\(finished.status))") }
        say("    " + finished.output.trimmingCharacters(in: .whitespacesAndNewlines))
        return finished.seconds
    }

    /// Whether the desk still ends where the generator ended it (no command has recorded the
    /// escalations due since): the time of its last record, read from the log's last line.
    func endsAsGenerated() throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BenchError("cannot read \(path)") }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(max(0, size - 65_536)))
        let tail = handle.readDataToEndOfFile()
        guard let line = tail.split(separator: UInt8(ascii: "\n")).last,
              let at = (try? JSONValue.parse(String(decoding: line, as: UTF8.self)))?["at"]?.string.flatMap(Timestamp.parse)
        else { throw BenchError("the last record of \(path) has no time") }
        return at <= GeneratorSettings.end
    }

    /// A generated desk ends in the past: its first command records every SLA escalation that
    /// fell due since, in one record, once. Returns how long that command took.
    func firstCommand(helpdesk: String) throws -> Double {
        try run(helpdesk, ["status", "--json", "--log", path]).seconds
    }

    /// Makes sure the snapshot beside the desk covers all of it in this build's format (a desk
    /// kept from an older build's run may have one this build does not read).
    func ensureCurrentSnapshot() throws {
        let current = try DeskLog(path: path, writable: false)
        if current.snapshotCovers.seq != current.desk.lastSeq { try current.writeSnapshot(now: Date()) }
    }

    /// Tickets a supervisor can take with --steal: open ones not already theirs, spread over the desk.
    func workableTickets(_ count: Int) throws -> [Int] {
        let desk = try DeskLog(path: path, writable: false).desk
        let me = desk.roster.first
        let open = desk.tickets.filter { $0.status.isActive && $0.assignee != me }.map(\.id)
        guard open.count >= count else { throw BenchError("only \(open.count) open tickets") }
        return (0..<count).map { open[$0 * open.count / count] }
    }
}
