import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskLog

struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Manage the roster of agents (supervisors only change it).",
        subcommands: [Add.self, Change.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a Unix account to the roster.")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The agent's Unix account name.") var account: String
        @Option(help: "agent or supervisor.") var role: Role = .agent
        @Option(help: "The tier the agent works at, 1 to 3.") var tier: Int = 1
        @Option(help: "Display name (default: the account name).") var name: String?

        func run() throws {
            try desk.perform(.addAgent(account: account, displayName: name, role: role, tier: tier))
            Output.say("added \(role.rawValue) \(account) at tier \(tier)")
        }
    }

    struct Change: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Change an agent's name, role, tier or activity.")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The agent's Unix account name.") var account: String
        @Option(help: "agent or supervisor.") var role: Role?
        @Option(help: "The tier the agent works at, 1 to 3.") var tier: Int?
        @Option(help: "Display name.") var name: String?
        @Flag(inversion: .prefixedNo, help: "Whether the agent may work the desk (--active / --no-active).")
        var active: Bool?

        func run() throws {
            try desk.perform(.changeAgent(account: account, displayName: name, role: role, tier: tier, active: active))
            Output.say("changed agent \(account)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the roster.")
        @OptionGroup var desk: DeskOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let state = try desk.openForReading().desk
            let agents = state.roster.compactMap { state.agents[$0] }
            if json {
                Output.printJSON(.array(agents.map(Output.agentJSON)))
                return
            }
            Output.printTable(
                header: ["ACCOUNT", "NAME", "ROLE", "TIER", "ACTIVE"],
                rows: agents.map { [$0.account, $0.displayName, $0.role.rawValue, String($0.tier), $0.active ? "yes" : "no"] })
        }
    }
}
