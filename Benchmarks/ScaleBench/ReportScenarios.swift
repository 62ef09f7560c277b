import Foundation

enum Reports {
    /// `report` over the last 7 days and `report --by week` over the last 12 weeks (their defaults),
    /// on a desk opened from its snapshot: what a supervisor waits for.
    static func measure(_ desk: BenchDesk, helpdesk: String, runs: Int = 5, into table: inout Table) throws {
        let log = ["--log", desk.path, "--json"]
        for (name, arguments) in [("report (7 days)", ["report"]), ("report --by week (12 weeks)", ["report", "--by", "week"])] {
            var samples = Samples()
            for _ in 0..<runs {
                let ran = try run(helpdesk, arguments + log)
                guard ran.status == 0 else { throw BenchError("helpdesk \(name) failed (\(ran.status))") }
                samples.add(ran.seconds)
            }
            table.add("  helpdesk \(name), \(desk.millions)M desk", median: milliseconds(samples.median),
                      p99: milliseconds(samples.p99), note: "\(runs) runs")
        }
    }
}
