import Foundation
import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog

// Console keystroke latency, in process, against the in-memory screen: what one key costs from
// `Console.handle` to a fully drawn 200×50 grid, the same work the poll loop does per key.
// Usage: console-bench [--saved] [N ...]   (open tickets per desk; default 1000 10000 100000)
//   --saved: the desk opened from its snapshot, each ticket read from it when asked for, as the
//   console opens a desk (without: the desk replayed into memory).

let sizes = CommandLine.arguments.dropFirst().compactMap(Int.init)
let fromSnapshot = CommandLine.arguments.contains("--saved")
let counts = sizes.isEmpty ? [1000, 10_000, 100_000] : sizes
let start = Timestamp.parse("2026-01-01T00:00:00Z")!
let rows = 50, columns = 200

/// A desk of `count` open tickets written straight into a log file (one write, no fsync per
/// record: this is a fixture, not the append path), then opened the normal way.
func makeDesk(count: Int, at path: String) throws -> DeskLog {
    var desk = Desk()
    var out: [UInt8] = []
    var seq = 0
    func record(_ actor: String, _ command: Command, _ at: Date) throws {
        let events = try Rules.decide(command, by: actor, at: at, on: desk)
        seq += 1
        for event in events { try desk.apply(event, context: EventContext(seq: seq, at: at, actor: actor)) }
        desk.recordApplied(seq: seq)
        out += RecordCodec.encode(Record(seq: seq, at: at, actor: actor, events: events))
    }
    try record("sam", .createDesk(displayName: nil), start)
    let agents = (0..<20).map { "agent\($0)" }
    for agent in agents { try record("sam", .addAgent(account: agent, displayName: nil, role: .agent, tier: 3), start) }
    let priorities: [Priority] = [.low, .normal, .normal, .normal, .high, .urgent]
    let words = ["printer", "invoice", "login", "refund", "crash", "export", "password", "delivery", "upgrade", "billing"]
    for i in 0..<count {
        let at = start.addingTimeInterval(Double(i) * 30)
        try record(agents[i % 20], .openTicket(
            customerEmail: "customer\(i % max(count / 3, 1))@example.com", customerName: "Customer \(i % max(count / 3, 1))",
            subject: "\(words[i % words.count]) problem number \(i)", channel: .email,
            priority: priorities[i % priorities.count], body: "Hello, I have a \(words[i % words.count]) problem."), at)
        if i % 3 == 0 { try record(agents[i % 20], .take(ticket: i + 1, steal: false), at.addingTimeInterval(60)) }
    }
    let file = FileManager.default
    file.createFile(atPath: path, contents: Data(out))
    if fromSnapshot { _ = try DeskLog(path: path, writable: true).writeSnapshot(now: Date()) }
    return try DeskLog(path: path, writable: true)
}

func percentile(_ samples: [Double], _ p: Double) -> Double {
    let sorted = samples.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

struct Row {
    var count: Int
    var action: String
    var median: Double
    var p99: Double
}

var results: [Row] = []
let directory = NSTemporaryDirectory() + "console-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }

for count in counts {
    let log = try makeDesk(count: count, at: directory + "/desk-\(count).log")
    let now = start.addingTimeInterval(Double(count) * 30 + 3600)
    let console = Console(log: log, me: "agent1", externalEditor: false, clock: { now })
    let program = ConsoleProgram(console: console, presence: nil, editor: nil)
    let grid = CellGrid(rows: rows, columns: columns)
    /// One message as the loop handles it: update (the key, refresh, scroll positions), draw the whole grid.
    func send(_ message: LoopMessage) -> Double {
        let began = DispatchTime.now().uptimeNanoseconds
        _ = program.update(message)
        program.draw(on: grid)
        return Double(DispatchTime.now().uptimeNanoseconds - began) / 1e6
    }
    func press(_ key: Key) -> Double { send(.key(key)) }
    _ = send(.resize(rows: rows, columns: columns))  // warm up: builds the sorted view once
    let rounds = 200
    var move: [Double] = [], open: [Double] = [], filter: [Double] = [], views: [Double] = []
    for i in 0..<rounds {
        move.append(press(i % 40 < 20 ? .character("j") : .character("k")))
    }
    for i in 0..<rounds {
        // Open: jump to another ticket and draw its conversation (read from the log).
        _ = press(.character("j"))
        open.append(press(i % 2 == 0 ? .enter : .tab))
        _ = console.handle(.escape)
        console.state.focus = .queue
    }
    for i in 0..<rounds / 10 {
        _ = press(.character("/"))
        for (position, character) in "printer \(i)".enumerated() {
            let time = press(.character(character))
            filter.append(time)
            if time > 10, ProcessInfo.processInfo.environment["BENCH_DEBUG"] != nil { print("slow filter key \(position) '\(character)' round \(i): \(time) ms, \(console.queue.ids.count) rows") }
        }
        _ = press(.escape)
    }
    for i in 0..<rounds {
        _ = press(.character("v"))
        views.append(press(.character(i % 2 == 0 ? "u" : "a")))
    }
    // Another process's append arriving: catch up, rebuild the order, redraw (not a keystroke,
    // but what every console pays for every record anyone writes).
    var live: [Double] = []
    let writer = try DeskLog(path: directory + "/desk-\(count).log", writable: true)
    for i in 0..<20 {
        _ = try writer.append(actor: "agent2", now: now) { desk, time throws(Refusal) in
            try Rules.decide(.note(ticket: 1 + i, body: "live \(i)"), by: "agent2", at: time, on: desk)
        }
        live.append(send(.logChanged))
    }
    results.append(Row(count: count, action: "another's append arrives", median: percentile(live, 0.5), p99: percentile(live, 0.99)))
    // `/` over the conversations too, through the search index (built here beside the bench's
    // log): every ticket's message has "hello" and "problem", the worst case for a word's prefix.
    try console.searchConversations()
    var spoken: [Double] = []
    for i in 0..<rounds / 10 {
        _ = press(.character("/"))
        for character in (i % 2 == 0 ? "problem \(i)" : "hello printer") { spoken.append(press(.character(character))) }
        _ = press(.escape)
    }
    var liveIndexed: [Double] = []
    for i in 0..<20 {
        _ = try writer.append(actor: "agent2", now: now) { desk, time throws(Refusal) in
            try Rules.decide(.note(ticket: 21 + i, body: "indexed \(i)"), by: "agent2", at: time, on: desk)
        }
        liveIndexed.append(send(.logChanged))
    }
    results.append(Row(count: count, action: "filter over conversations", median: percentile(spoken, 0.5),
                       p99: percentile(spoken, 0.99)))
    results.append(Row(count: count, action: "filter over conversations, slowest key", median: percentile(spoken, 1),
                       p99: percentile(spoken, 1)))
    results.append(Row(count: count, action: "another's append, index followed", median: percentile(liveIndexed, 0.5),
                       p99: percentile(liveIndexed, 0.99)))
    for (name, samples) in [("move (j/k)", move), ("open ticket", open), ("filter as you type", filter), ("switch view", views)] {
        results.append(Row(count: count, action: name, median: percentile(samples, 0.5), p99: percentile(samples, 0.99)))
    }
}

print("Console keystroke: handle + refresh + draw of a \(columns)×\(rows) grid, in process (ms), "
      + (fromSnapshot ? "desk opened from its snapshot" : "desk replayed into memory"))
print("| open tickets | action | median | p99 |")
print("|---:|---|---:|---:|")
for row in results {
    print(String(format: "| %d | %@ | %.3f | %.3f |", row.count, row.action, row.median, row.p99))
}
if let small = counts.min(), let large = counts.max(), small != large {
    print("\np99 ratio \(large) / \(small) open tickets:")
    for action in ["move (j/k)", "open ticket", "filter as you type", "switch view", "filter over conversations"] {
        let a = results.first { $0.count == small && $0.action == action }!.p99
        let b = results.first { $0.count == large && $0.action == action }!.p99
        print(String(format: "  %@: %.1f×", action, b / a))
    }
}
