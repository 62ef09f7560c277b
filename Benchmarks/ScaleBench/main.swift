import Foundation
import HelpdeskCore
import HelpdeskLog

// The scale benchmarks of README's "Performance" section, in one run, with ratios measured in
// the same run (the machines are shared and noisy). A plain executable rather than
// package-benchmark: most measurements time other processes (the CLI, CPython, wc), which a
// harness that times closures in-process cannot express, and it keeps the package free of a
// dependency that only this would use.
//
// Usage: see `usage` below (`helpdesk-bench --help`).

let usage = """
Usage: helpdesk-bench [--sizes 1,3,10] [--dir /tmp/helpdesk-bench] [--keep] [--postgres BASE-URL] [--only-postgres]
                     [--only-search] [--skip-search] [--only-ingest] [--only-console] [--only-replay]
                     [--only-startup] [--only-at] [--only-memory] [--only-reports] [--helpdesk PATH]
                     [--replay-runs N] [--skip-python]
  sizes: desks of that many million events (default 1,3); desks are generated once and kept
  in --dir unless --keep is absent, in which case they are deleted at the end. --postgres
  compares the PostgreSQL store on a server (a URL ending in /, a database of its own made
  there); --only-postgres runs that comparison alone; --only-console times the console and
  the wallboard from start to their first frame (and their peak memory) alone. --skip-search
  leaves out the search index (building it for the 10M desk takes minutes). --only-replay times
  the full replay of the first desk alone, reading the desk without writing to it (it must exist).
  --replay-runs N repeats that replay N times (5), --skip-python leaves out CPython beside it.
  --only-startup times process start-up alone (a demo desk, no big desks generated). --only-at times
  the desk at a past moment alone (`status --at`, `list --at`), on desks as generated. --only-reports
  times `report` and `report --by week` alone.
"""

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
    print(usage)
    exit(0)
}
if let problem = BenchArguments.problem(in: arguments) {
    say("helpdesk-bench: \(problem)\n\n" + usage)
    exit(2)
}
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
let skipSearch = arguments.contains("--skip-search")
let onlyIngest = arguments.contains("--only-ingest")
let onlyConsole = arguments.contains("--only-console")
let onlyReplay = arguments.contains("--only-replay")
let onlyStartUp = arguments.contains("--only-startup")
let onlyAt = arguments.contains("--only-at")
let onlyReports = arguments.contains("--only-reports")
let onlyMemory = arguments.contains("--only-memory")  // peak memory and the commands after a replay, first desk alone
let executables = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
let helpdesk = option("--helpdesk", in: arguments) ?? executables + "/helpdesk"  // another build to compare with

guard FileManager.default.isExecutableFile(atPath: helpdesk) else {
    say("helpdesk-bench: build the helpdesk binary first (Benchmarks/run-scale does)")
    exit(1)
}
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
var table = Table()
if onlyStartUp || !(onlyPostgres || onlySearch || onlyIngest || onlyConsole || onlyReplay || onlyAt || onlyMemory || onlyReports) {
    say("3. process start-up")
    try ProcessStart.measure(helpdesk: helpdesk, directory: directory, into: &table)
}
if onlyStartUp {
    say("\n" + table.markdown)
    exit(0)
}
let desks = sizes.map { BenchDesk(millions: $0, directory: directory) }

if onlyMemory, let desk = desks.first {
    say("6. memory")
    try Memory.measure(desk, helpdesk: helpdesk, into: &table)
    say("\n" + table.markdown)
    exit(0)
}
if onlyReplay, let desk = desks.first {
    say("1. full replay of the \(desk.millions)M-event desk")
    try Replay.measure(desk, runs: option("--replay-runs", in: arguments).flatMap { Int($0) } ?? 5,
                       python: !arguments.contains("--skip-python"), into: &table)
    say("\n" + table.markdown)
    exit(0)
}
say("generating desks in \(directory)")
for desk in desks {
    if let took = try desk.make(helpdesk: helpdesk) {
        table.add("generate \(desk.millions)M events (\(desk.tickets) tickets)", median: String(format: "%.1f s", took),
                  note: "\(megabytes(desk.size)) log", target: desk.millions == 1 ? "well under 60 s" : "",
                  met: desk.millions == 1 ? took < 40 : nil)
    }
}
if !onlyPostgres, !onlySearch, !onlyIngest, !onlyConsole, !onlyReports {
    // Before the first commands: their escalations, recorded now, a month after the desks' last
    // day, would end each desk with a quiet month and thin the checkpoints of its last day.
    say("11. the desk at a past moment (--at)")
    for desk in desks where try desk.endsAsGenerated() { try TimeTravel.measure(desk, helpdesk: helpdesk, into: &table) }
}
if onlyAt {
    say("\n" + table.markdown)
    exit(0)
}
for desk in desks {
    if try desk.endsAsGenerated() {
        table.add("first command on the \(desk.millions)M desk (records the escalations due since it was generated)",
                  median: milliseconds(try desk.firstCommand(helpdesk: helpdesk)))
    }
    try desk.ensureCurrentSnapshot()
}
if onlyReports {
    say("12. reports")
    for desk in desks { try Reports.measure(desk, helpdesk: helpdesk, into: &table) }
    say("\n" + table.markdown)
    exit(0)
}
guard let small = desks.first(where: { $0.millions == 1 }) ?? desks.first else { exit(0) }
if onlyIngest {
    say("7. ingest")
    try Appends.measureIngest(small, helpdesk: helpdesk, into: &table)
    say("\n" + table.markdown)
    exit(0)
}

if let postgres {
    say("8. the PostgreSQL store beside the file store")
    try PostgresComparison.measure(small, baseURL: postgres, helpdesk: helpdesk, into: &table)
}
if !onlyPostgres && !onlySearch {
    say("10. the console and the wallboard: start to first frame")
    for desk in desks { try ConsoleStart.measure(desk, helpdesk: helpdesk, into: &table) }
}
if onlyConsole {
    say("\n" + table.markdown)
    exit(0)
}
if !onlyPostgres, !skipSearch {
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
say("12. reports")
for desk in desks { try Reports.measure(desk, helpdesk: helpdesk, into: &table) }
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
