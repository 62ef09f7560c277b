import Foundation
import HelpdeskCore
import HelpdeskLog

enum TimeTravel {
    /// `status --at` at moments spread evenly over the desk's generated life (so the slowest is
    /// "any moment": the one furthest past its checkpoint), and `list --at` of the busiest
    /// agent's tickets at moments of its last day of activity; whole processes.
    static func measure(_ desk: BenchDesk, helpdesk: String, into table: inout Table) throws {
        let log = ["--log", desk.path]
        let settings = GeneratorSettings(tickets: desk.tickets, supervisor: "bench")
        let span = GeneratorSettings.end.timeIntervalSince(settings.start)
        let anyMoment = (0..<20).map { settings.start.addingTimeInterval(span * (Double($0) + 0.5) / 20) }
        let lastDay = (0..<20).map { GeneratorSettings.end.addingTimeInterval(-86_400 + 86_400 * (Double($0) + 0.5) / 20) }
        let agent = try busiestAgent(desk, helpdesk: helpdesk)
        var status = Samples(), list = Samples()
        for moment in anyMoment {
            status.add(try timed(helpdesk, ["status", "--json", "--at", Timestamp.format(moment)] + log))
        }
        for moment in lastDay {
            list.add(try timed(helpdesk, ["list", "--assignee", agent, "--at", Timestamp.format(moment)] + log))
        }
        table.add("  helpdesk status --at, 20 moments over the \(desk.millions)M desk's life", median: milliseconds(status.median),
                  p99: milliseconds(status.p99), note: "slowest " + milliseconds(status.values.max() ?? .nan),
                  target: desk.millions >= 10 ? "≤ 2 s" : "", met: desk.millions >= 10 ? status.values.max()! <= 2 : nil)
        table.add("  helpdesk list --at, 20 moments of the \(desk.millions)M desk's last day", median: milliseconds(list.median),
                  p99: milliseconds(list.p99), note: "\(agent)'s tickets; slowest " + milliseconds(list.values.max() ?? .nan),
                  target: desk.millions >= 10 ? "≤ 300 ms" : "", met: desk.millions >= 10 ? list.values.max()! <= 0.3 : nil)
    }

    /// The agent with the most tickets that are not closed (`status --json`'s `by_assignee`) at
    /// the desk's end (read-only: no escalation is recorded).
    private static func busiestAgent(_ desk: BenchDesk, helpdesk: String) throws -> String {
        let status = try run(helpdesk, ["status", "--json", "--at", Timestamp.format(GeneratorSettings.end), "--log", desk.path])
        guard case .object(let counts)? = try? JSONValue.parse(status.output)["by_assignee"],
              let busiest = counts.filter({ $0.0 != "unassigned" }).max(by: { ($0.1.int ?? 0) < ($1.1.int ?? 0) }) else {
            throw BenchError("status --json has no by_assignee")
        }
        return busiest.0
    }

    private static func timed(_ helpdesk: String, _ arguments: [String]) throws -> Double {
        let finished = try run(helpdesk, arguments)
        guard finished.status == 0 else { throw BenchError("helpdesk \(arguments.joined(separator: " ")) failed (\(finished.status))") }
        return finished.seconds
    }
}
