import Foundation
import HelpdeskCore
import HelpdeskLog

/// `helpdesk search` on a generated desk: the index built from nothing (the first search after
/// it is deleted), its size beside the log, and whole search processes with the index current,
/// for a common word, a phrase and a rare word.
enum Search {
    static func measure(_ desk: BenchDesk, helpdesk: String, into table: inout Table) throws {
        let index = desk.path + ".search"
        try? FileManager.default.removeItem(atPath: index)
        let log = ["--log", desk.path]
        _ = try run(helpdesk, ["status"] + log)  // the snapshot current, so the build is measured alone
        let built = try run(helpdesk, ["search", "invoice", "--limit", "1"] + log)
        guard built.status == 0 else { throw BenchError("search failed (\(built.status))") }
        table.add("search index built from nothing, \(desk.millions)M desk (the first search)", median: String(format: "%.1f s", built.seconds),
                  target: desk.millions == 1 ? "≤ 60 s" : "", met: desk.millions == 1 ? built.seconds <= 60 : nil)
        let size = (try FileManager.default.attributesOfItem(atPath: index)[.size] as? Int64) ?? 0
        let ratio = Double(size) / Double(desk.size)
        table.add("  index size, \(desk.millions)M desk", median: megabytes(size),
                  note: String(format: "%.2f× the log (%@)", ratio, megabytes(desk.size)), target: "≤ 0.5×", met: ratio <= 0.5)
        let rare = try rareWord(in: desk.path)
        for (name, query) in [("a word (invoice)", "invoice"), ("a phrase (\"admin panel\")", "\"admin panel\""),
                              ("a rare word (\(rare))", rare)] {
            var samples = Samples()
            var found = 0
            for _ in 0..<20 {
                let searched = try run(helpdesk, ["search", query, "--status", "all", "--json"] + log)
                guard searched.status == 0 else { throw BenchError("search \(query) failed (\(searched.status))") }
                found = searched.output.components(separatedBy: "\"id\":").count - 1
                samples.add(searched.seconds)
            }
            table.add("  helpdesk search \(name), \(desk.millions)M desk", median: milliseconds(samples.median),
                      p99: milliseconds(samples.p99), note: "\(found) shown, index current",
                      target: "≤ 100 ms at 10M", met: desk.millions >= 10 ? samples.p99 <= 0.1 : nil)
        }
    }

    /// An invoice number the generator wrote once or twice: the first in the log's first MiB.
    static func rareWord(in path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BenchError("cannot read \(path)") }
        defer { try? handle.close() }
        let head = String(decoding: handle.readData(ofLength: 1 << 20), as: UTF8.self)
        guard let match = head.range(of: "INV-[0-9]+", options: .regularExpression) else { return "zeppelin" }
        return String(head[match])
    }
}
