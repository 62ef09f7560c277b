import Foundation

enum ProcessStart {
    /// A small command is nearly all process start-up: `helpdesk show 2` and `--help` on a demo
    /// desk, beside `true` (the cost of any process here) and `helpdesk --version` (the cost of
    /// starting this binary: loading it, the runtime's and Foundation's start, printing a line),
    /// interleaved so that all see the same noise. Warmed up first: the demo desk's first command records the escalations due.
    static func measure(helpdesk: String, directory: String, into table: inout Table) throws {
        let path = directory + "/startup-demo.log"
        func removeDesk() {
            for suffix in ["", ".snapshot", ".snapshot.lock", ".search"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        removeDesk()
        defer { removeDesk() }
        let made = try run(helpdesk, ["demo", "--log", path, "--no-console"])
        guard made.status == 0 else { throw BenchError("helpdesk demo failed (\(made.status))") }
        let commands: [(name: String, executable: String, arguments: [String])] = [
            ("true", "true", []),
            ("helpdesk --version", helpdesk, ["--version"]),
            ("helpdesk --help", helpdesk, ["--help"]),
            ("helpdesk show 2, demo desk", helpdesk, ["show", "2", "--log", path]),
        ]
        var samples = [Samples](repeating: Samples(), count: commands.count)
        var cpu = [Samples](repeating: Samples(), count: commands.count)  // steadier than wall time on a busy machine
        for round in 0..<220 {
            for (index, command) in commands.enumerated() {
                let finished = try run(command.executable, command.arguments)
                guard finished.status == 0 else { throw BenchError("\(command.name) failed (\(finished.status))") }
                if round >= 20 {
                    samples[index].add(finished.seconds)
                    cpu[index].add(finished.cpuSeconds)
                }
            }
        }
        let baseline = samples[0].median
        for (index, command) in commands.enumerated() {
            let isShow = command.arguments.first == "show"
            table.add("process start: \(command.name)", median: milliseconds(samples[index].median),
                      p99: milliseconds(samples[index].p99),
                      note: (index == 0 ? "200 runs each, interleaved" : String(format: "%.1f× true", samples[index].median / baseline))
                          + String(format: "; CPU %.1f ms", cpu[index].median * 1000),
                      target: isShow ? "≤ 3 ms" : "", met: isShow ? samples[index].median <= 0.003 : nil)
        }
    }
}
