import Foundation
import HelpdeskCore
import HelpdeskLog

// The scale benchmarks of README's "Performance" section, in one run, with ratios measured in
// the same run (the machines are shared and noisy). A plain executable rather than
// package-benchmark: most measurements time other processes (the CLI, CPython, wc), which a
// harness that times closures in-process cannot express, and it keeps the package free of a
// dependency that only this would use.
//
// Usage: helpdesk-bench [--sizes 1,3,10] [--dir /tmp/helpdesk-bench] [--keep] [--postgres BASE-URL] [--only-postgres]
//                      [--only-search] [--only-startup]
//   sizes: desks of that many million events (default 1,3); desks are generated once and kept
//   in --dir unless --keep is absent, in which case they are deleted at the end. --postgres
//   compares the PostgreSQL store on a server (a URL ending in /, a database of its own made
//   there); --only-postgres runs that comparison alone; --only-startup times process start-up
//   alone (a demo desk, no big desks generated).

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, in arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}
let sizes = (option("--sizes", in: arguments) ?? "1,3").split(separator: ",").compactMap { Int($0) }
let directory = option("--dir", in: arguments) ?? "/tmp/helpdesk-bench"
let keep = arguments.contains("--keep")
let postgres = option("--postgres", in: arguments)
let onlyPostgres = arguments.contains("--only-postgres")
let onlySearch = arguments.contains("--only-search")
let onlyStartUp = arguments.contains("--only-startup")
let executables = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
let helpdesk = executables + "/helpdesk"

guard FileManager.default.isExecutableFile(atPath: helpdesk) else {
    say("helpdesk-bench: build the helpdesk binary first (Benchmarks/run-scale does)")
    exit(1)
}
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
var table = Table()
say("3. process start-up")
try ProcessStart.measure(helpdesk: helpdesk, directory: directory, into: &table)
if onlyStartUp {
    say("\n" + table.markdown)
    exit(0)
}
let desks = sizes.map { BenchDesk(millions: $0, directory: directory) }

say("generating desks in \(directory)")
for desk in desks {
    if let took = try desk.make(helpdesk: helpdesk) {
        table.add("generate \(desk.millions)M events (\(desk.tickets) tickets)", median: String(format: "%.1f s", took),
                  note: "\(megabytes(desk.size)) log", target: desk.millions == 1 ? "well under 60 s" : "",
                  met: desk.millions == 1 ? took < 40 : nil)
        table.add("  first command after generating (records the escalations due since)",
                  median: milliseconds(try desk.firstCommand(helpdesk: helpdesk)))
    }
    try desk.ensureCurrentSnapshot()
}
guard let small = desks.first(where: { $0.millions == 1 }) ?? desks.first else { exit(0) }

if let postgres {
    say("8. the PostgreSQL store beside the file store")
    try PostgresComparison.measure(small, baseURL: postgres, helpdesk: helpdesk, into: &table)
}
if !onlyPostgres {
    say("9. full-text search")
    for desk in desks { try Search.measure(desk, helpdesk: helpdesk, into: &table) }
}
if onlyPostgres || onlySearch {
    say("\n" + table.markdown)
    exit(0)
}
say("6. memory")
try Memory.measure(small, helpdesk: helpdesk, into: &table)
say("1. full replay of the \(small.millions)M-event desk")
try Replay.measure(small, into: &table)
say("2. start-up from a snapshot and CLI latency")
for desk in desks { try StartUp.measure(desk, helpdesk: helpdesk, into: &table) }
try StartUp.measureTail(small, into: &table)
say("4. live propagation")
try Propagation.measure(small, helpdesk: helpdesk, into: &table)
say("7. append latency")
try Appends.measure(small, helpdesk: helpdesk, into: &table)
try Appends.measureIngest(small, helpdesk: helpdesk, into: &table)

say("\n" + table.markdown)
if !keep {
    for desk in desks {
        for suffix in ["", ".snapshot", ".snapshot.lock", ".search"] { try? FileManager.default.removeItem(atPath: desk.path + suffix) }
    }
}
