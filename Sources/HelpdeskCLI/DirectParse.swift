import ArgumentParser

/// The subcommands by name, so that a command line naming one is parsed as that subcommand alone.
///
/// Parsing through the root builds the whole command tree first: the configuration and metadata
/// of every subcommand (instantiating the generic ones searches all the binary's protocol
/// conformances) and a trial parse for `--generate-completion-script`. That was most of a small
/// command's start-up. Whatever the direct parse refuses (help, a usage error, a completion
/// script) is parsed again through the root, so every message is the one it always was.
extension HelpdeskCommand {
    /// Every subcommand by name, in the order `helpdesk --help` lists them. Each type is behind a
    /// closure, so that looking one up makes no other subcommand's metadata.
    private static let subcommandTable: [(name: String, type: @Sendable () -> any ParsableCommand.Type)] = [
        ("console", { ConsoleCommand.self }),
        ("init", { InitCommand.self }),
        ("agent", { AgentCommand.self }),
        ("acting-role", { ActingRoleCommand.self }),
        ("new", { NewCommand.self }),
        ("message", { TicketStepCommand<TicketStep.Message>.self }),
        ("take", { TakeCommand.self }),
        ("next", { NextCommand.self }),
        ("give", { GiveCommand.self }),
        ("release", { TicketStepCommand<TicketStep.Release>.self }),
        ("reply", { ReplyCommand.self }),
        ("note", { TicketStepCommand<TicketStep.Note>.self }),
        ("follow-up", { FollowUpCommand.self }),
        ("escalate", { EscalateCommand.self }),
        ("priority", { PriorityCommand.self }),
        ("tag", { TagCommand.self }),
        ("resolve", { TicketStepCommand<TicketStep.Resolve>.self }),
        ("reopen", { TicketStepCommand<TicketStep.Reopen>.self }),
        ("close", { TicketStepCommand<TicketStep.Close>.self }),
        ("hold", { TicketStepCommand<TicketStep.Hold>.self }),
        ("rate", { RateCommand.self }),
        ("list", { ListCommand.self }),
        ("search", { SearchCommand.self }),
        ("show", { ShowCommand.self }),
        ("customer", { CustomerCommand.self }),
        ("status", { StatusCommand.self }),
        ("history", { HistoryCommand.self }),
        ("events", { EventsCommand.self }),
        ("fsck", { FsckCommand.self }),
        ("demo", { DemoCommand.self }),
        ("generate", { GenerateCommand.self }),
        ("sla", { SLACommand.self }),
        ("hours", { HoursCommand.self }),
        ("holiday", { HolidayCommand.self }),
        ("report", { ReportCommand.self }),
        ("watch", { WatchCommand.self }),
        ("ingest", { IngestCommand.self }),
        ("deliver", { DeliverCommand.self }),
        ("attachment", { AttachmentCommand.self }),
        ("quarantine", { QuarantineCommand.self }),
        ("export", { ExportCommand.self }),
        ("import", { ImportCommand.self }),
        ("migrate", { MigrateCommand.self }),
        ("macro", { MacroCommand.self }),
        ("view", { ViewCommand.self }),
        ("bulk", { BulkCommand.self }),
        ("block", { BlockCommand.self }),
        ("unblock", { UnblockCommand.self }),
        ("survey", { SurveyCommand.self }),
        ("channel", { ChannelCommand.self }),
        ("merge", { MergeCommand.self }),
        ("link", { LinkCommand.self }),
        ("unlink", { UnlinkCommand.self }),
        ("undo", { UndoCommand.self }),
        ("group", { GroupCommand.self }),
        ("rule", { RuleCommand.self }),
        ("available", { AvailableCommand.self }),
        ("away", { AwayCommand.self }),
    ]

    static var subcommandNames: [String] { subcommandTable.map(\.name) }

    static func subcommand(named name: String) -> (any ParsableCommand.Type)? {
        subcommandTable.first { $0.name == name }?.type()
    }

    /// Only one of the named command's own types: `--help` or `help` parse to ArgumentParser's
    /// help command, which would print as the direct root's.
    private static func parse<Named: ParsableCommand>(_ arguments: [String], as _: Named.Type) throws -> (any ParsableCommand)? {
        let command = try DirectRoot<Named>.parseAsRoot(arguments)
        return isOrUnder(type(of: command), Named.self) ? command : nil
    }

    private static func isOrUnder(_ type: any ParsableCommand.Type, _ command: any ParsableCommand.Type) -> Bool {
        ObjectIdentifier(type) == ObjectIdentifier(command)
            || command.configuration.subcommands.contains { isOrUnder(type, $0) }
    }

    /// The command line parsed as the subcommand it names, or nil for the root to parse.
    static func parsedDirectly(_ arguments: [String]) -> (any ParsableCommand)? {
        guard let name = arguments.first, let subcommand = subcommand(named: name) else { return nil }
        return (try? parse(arguments, as: subcommand)) ?? nil
    }
}

/// A root with one subcommand. As a "super-command" (ArgumentParser's plug-in form) it skips the
/// trial parse for `--generate-completion-script`, which the real root still answers.
private struct DirectRoot<Subcommand: ParsableCommand>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "helpdesk", _superCommandName: "helpdesk", subcommands: [Subcommand.self])
    }
}
