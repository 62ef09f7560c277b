import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskLog

extension AssignMode: ExpressibleByArgument {}

/// `group add|remove|member|list|set|set-assign`: teams of agents that tickets are routed to.
struct GroupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group",
        abstract: "Groups of agents (supervisors change them); a ticket belongs to at most one.",
        subcommands: [Add.self, Remove.self, Member.self, List.self, Set.self, SetAssign.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a group (supervisors).")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The group's name: one word.") var name: String
        @Option(name: .customLong("name"), help: "The name people read (the group's name without it).") var displayName: String?

        func run() throws {
            try desk.perform(.team(.addGroup(name: name, displayName: displayName)))
            Output.say("added the group \(name)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a group (supervisors): one with open tickets or named by a rule stays.")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The group's name.") var name: String

        func run() throws {
            try desk.perform(.team(.removeGroup(name: name)))
            Output.say("removed the group \(name)")
        }
    }

    struct Member: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "member",
            abstract: "Add an agent to a group, or remove one (supervisors).", subcommands: [Add.self, Remove.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "add", abstract: "Add an agent to a group (supervisors).")
            @OptionGroup var member: GroupMember

            func run() throws { try member.change(.addMember(group: member.group, agent: member.agent), "added %@ to") }
        }

        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove an agent from a group (supervisors).")
            @OptionGroup var member: GroupMember

            func run() throws { try member.change(.removeMember(group: member.group, agent: member.agent), "removed %@ from") }
        }
    }

    /// A group and one of its (would-be) members, as `group member add|remove` take them.
    struct GroupMember: ParsableArguments {
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The group.") var group: String
        @Argument(help: "The agent's account.") var agent: String

        func change(_ command: TeamCommand, _ done: String) throws {
            try desk.perform(.team(command))
            Output.say(done.replacingOccurrences(of: "%@", with: agent) + " the group \(group)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the groups: members (available ones marked *), assignment, open and waiting tickets.")
        @OptionGroup var desk: DeskOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let state = try desk.openForReading().desk
            let now = SystemClock.now()
            let groups = state.team.groups.values.sorted { $0.name < $1.name }
            let open = Dictionary(grouping: state.activeTickets.filter { $0.group != nil }, by: { $0.group! })
            let waiting = Dictionary(grouping: AutoAssignment.waiting(on: state), by: { $0.group ?? "" })
            if json {
                Output.printJSON(.array(groups.map { group in
                    .object([
                        ("name", .string(group.name)), ("display_name", .string(group.displayName)),
                        ("members", .array(group.members.map { account in
                            .object([("agent", .string(account)),
                                      ("available", .bool(state.team.isAvailable(account, at: now)))])
                        })),
                        ("assign", .string(group.assignMode.rawValue)), ("capacity", JSONValue(group.capacity)),
                        ("open", JSONValue(open[group.name]?.count ?? 0)),
                        ("waiting", JSONValue(waiting[group.name]?.count ?? 0)),
                    ])
                }))
                return
            }
            Output.printTable(header: ["GROUP", "NAME", "MEMBERS", "ASSIGN", "OPEN", "WAITING"], rows: groups.map { group in
                let members = group.members.map { $0 + (state.team.isAvailable($0, at: now) ? "*" : "") }
                return [group.name, group.displayName, members.isEmpty ? "-" : members.joined(separator: " "),
                        group.assignMode.rawValue + (group.capacity.map { " (≤\($0))" } ?? ""),
                        String(open[group.name]?.count ?? 0), String(waiting[group.name]?.count ?? 0)]
            })
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Put a ticket in a group, or in none.")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The ticket's id.") var id: Int
        @Argument(help: "The group, or none.") var group: String

        func run() throws {
            let name = group == "none" ? nil : group
            try desk.perform(.team(.setGroup(ticket: id, group: name)))
            Output.say("#\(id) is " + (name.map { "in the group \($0)" } ?? "in no group"))
        }
    }

    struct SetAssign: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-assign",
            abstract: "How a group hands out its tickets to available members (supervisors): off, round-robin or least-loaded.")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The group.") var group: String
        @Argument(help: "off, round-robin or least-loaded.") var mode: AssignMode
        @Option(help: "The most open tickets it gives one agent.") var capacity: Int?

        func validate() throws {
            if mode == .off, capacity != nil { throw ValidationError("--capacity needs round-robin or least-loaded") }
        }

        func run() throws {
            try desk.perform(.team(.setAssignMode(group: group, mode: mode, capacity: capacity)))
            Output.say("the group \(group) assigns \(mode.rawValue)" + (capacity.map { ", at most \($0) open tickets each" } ?? ""))
        }
    }
}
