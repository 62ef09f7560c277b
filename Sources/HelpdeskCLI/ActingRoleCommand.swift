import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskLog

/// `acting-role add|remove|list`: the database roles of a desk kept in PostgreSQL whose
/// connections may act as any agent (`--as`), as root may on the desk's host.
struct ActingRoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acting-role",
        abstract: "Database roles that may act as any agent with --as (supervisors change them).",
        subcommands: [Change<ActingRoleChange.Add>.self, Change<ActingRoleChange.Remove>.self, List.self])

    /// `acting-role add|remove ROLE`: one command type serves both.
    struct Change<Kind: ActingRoleChangeKind>: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: Kind.change.rawValue, abstract: Kind.change.spec.abstract)
        }
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The PostgreSQL role, e.g. helpdesk_gateway.") var role: String

        func run() throws {
            try desk.perform(Kind.change.spec.command(role))
            Output.say("the database role \(role) \(Kind.change.spec.done)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the acting roles.")
        @OptionGroup var desk: DeskOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let roles = try desk.openForReading().desk.actingRoles.sorted()
            if json {
                Output.printJSON(.array(roles.map(JSONValue.string)))
            } else {
                for role in roles { print(role) }
            }
        }
    }
}

enum ActingRoleChange: String {
    case add, remove

    /// The command's one-line help, what it asks the rules, and what it says once done.
    var spec: (abstract: String, command: (String) -> Command, done: String) {
        switch self {
        case .add: ("Let a database role act as any agent (--as).", { .allowActingRole($0) }, "may now act as any agent (--as)")
        case .remove: ("No longer let a database role act as any agent.", { .disallowActingRole($0) },
                       "may no longer act as other agents")
        }
    }

    enum Add: ActingRoleChangeKind { static let change = ActingRoleChange.add }
    enum Remove: ActingRoleChangeKind { static let change = ActingRoleChange.remove }
}

/// Names one `ActingRoleChange` at the type level, since a command is a type.
protocol ActingRoleChangeKind {
    static var change: ActingRoleChange { get }
}
