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
        subcommands: [Add.self, Remove.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a database role act as any agent (--as).")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The PostgreSQL role, e.g. helpdesk_gateway.") var role: String

        func run() throws {
            try desk.perform(.allowActingRole(role))
            Output.say("the database role \(role) may now act as any agent (--as)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "No longer let a database role act as any agent.")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The PostgreSQL role.") var role: String

        func run() throws {
            try desk.perform(.disallowActingRole(role))
            Output.say("the database role \(role) may no longer act as other agents")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the acting roles.")
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
