import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a realistic generated desk (for trying things out at scale and for benchmarks).",
        discussion: """
            The same seed gives the same bytes. About ten events per ticket, spread over up to a year. \
            You (the account running it) are the desk's first supervisor, as with init.
            """)

    @Option(help: "How many tickets.") var tickets: Int
    @Option(help: "Where to write the log (must not exist yet).") var out: String
    @Option(help: "The seed: the same seed gives the same desk.") var seed: UInt64 = 1
    @Option(help: "How many agents (default: tickets / 1000, from 4 to 100).") var agents: Int?
    @Option(help: "How many customers (default: tickets / 3).") var customers: Int?

    func validate() throws {
        guard tickets >= 0 else { throw ValidationError("--tickets must be 0 or more") }
        if let agents, agents < 2 { throw ValidationError("--agents must be at least 2") }
        if let customers, customers < 1 { throw ValidationError("--customers must be at least 1") }
    }

    func run() throws {
        try DeskAdmission.checkCreating(out, as: try Identity.currentAccount())
        let settings = GeneratorSettings(tickets: tickets, seed: seed, agents: agents, customers: customers,
                                         supervisor: try Identity.currentAccount())
        let progress = ProgressLine("generating")
        let total = Int64(tickets)
        let summary = try GeneratedLog.write(settings, to: out) { opened in
            progress.update(Int64(opened), of: total, unit: "tickets")
        }
        progress.finish()
        Output.say("generated \(out): \(summary.desk.tickets.count) tickets, \(summary.events) events in \(summary.records) records, "
              + "\(summary.desk.customers.count) customers, \(summary.desk.roster.count) agents, \(summary.bytes) bytes")
    }
}
