import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskLog

/// `block EMAIL|@DOMAIN`, `block list`, `unblock`: senders the desk takes nothing from and sends nothing to.
struct BlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block",
        abstract: "Block a sender or a domain: its mail is quarantined (reason: blocked), nothing is sent to it.",
        discussion: """
            helpdesk block spam@example.com --reason "phishing"; helpdesk block @example.com (the domain and its \
            subdomains); helpdesk block list [--json]; helpdesk unblock PATTERN. Supervisors block and unblock. \
            Mail from a blocked sender opens nothing and goes to the quarantine; a JSON intake line from one is \
            answered {"error":"blocked"}; a reply by mail to one is refused, and mail still waiting to go to one \
            fails for good.
            """,
        subcommands: [Add.self, List.self],
        defaultSubcommand: Add.self)

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Block an address (spam@example.com) or a domain (@example.com) (supervisors).")
        @OptionGroup var desk: DeskOptions
        @Argument(help: ArgumentHelp("An address, or @ and a domain.", valueName: "email-or-@domain")) var pattern: String
        @Option(help: "Why, for the list and the history.") var reason: String?

        func run() throws {
            let performed = try desk.perform(.blockSender(pattern: pattern, reason: reason))
            let stopped = (performed.record?.events ?? []).filter { if case .mailFailed = $0 { true } else { false } }.count
            let blocked = (try? BlockedSender.pattern(pattern)) ?? pattern
            Output.say("blocked \(blocked)" + (stopped == 0 ? "" : "; \(stopped) mail waiting to go to it will not be sent"))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the blocked senders and domains.")
        @OptionGroup var desk: DeskOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let blocks = try desk.openForReading().desk.blockList
            if json {
                Output.printJSON(.array(blocks.map {
                    .object([("pattern", .string($0.pattern)), ("domain", .bool($0.isDomain)), ("reason", JSONValue($0.reason)),
                             ("by", .string($0.by)), ("at", Output.time($0.at))])
                }))
                return
            }
            Output.printTable(header: ["BLOCKED", "BY", "SINCE", "REASON"], rows: blocks.map {
                [$0.pattern, $0.by, Timestamp.format($0.at), $0.reason ?? ""]
            })
        }
    }
}

struct UnblockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unblock", abstract: "Take a block away (supervisors): the sender's mail is taken again.")
    @OptionGroup var desk: DeskOptions
    @Argument(help: ArgumentHelp("The address or @domain as it was blocked.", valueName: "email-or-@domain"))
    var pattern: String

    func run() throws {
        try desk.perform(.unblockSender(pattern: pattern))
        Output.say("unblocked \((try? BlockedSender.pattern(pattern)) ?? pattern)")
    }
}
