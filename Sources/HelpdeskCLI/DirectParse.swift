import ArgumentParser

/// The subcommands by name, so that a command line naming one is parsed as that subcommand alone.
///
/// Parsing through the root builds the whole command tree first: the configuration and metadata
/// of every subcommand (instantiating the generic ones searches all the binary's protocol
/// conformances) and a trial parse for `--generate-completion-script`. That was most of a small
/// command's start-up. Whatever the direct parse refuses (help, a usage error, a completion
/// script) is parsed again through the root, so every message is the one it always was.
extension HelpdeskCommand {
    /// In the order `helpdesk --help` lists them.
    static let subcommandNames = [
        "console", "init", "agent", "acting-role", "new", "message", "take", "next", "give", "release",
        "reply", "note", "follow-up", "escalate", "priority", "tag", "resolve", "reopen", "close", "hold",
        "rate", "list", "search", "show", "customer", "status", "history", "events", "fsck", "demo",
        "generate", "sla", "hours", "holiday", "report", "watch", "ingest", "deliver", "attachment",
        "quarantine", "export", "import", "migrate", "macro", "view", "bulk", "block", "unblock", "survey",
        "channel", "merge", "link", "unlink", "undo", "group", "rule", "available", "away"
    ]

    /// Names only the type asked for, so that no other subcommand's metadata is made.
    static func subcommand(named name: String) -> (any ParsableCommand.Type)? {
        switch name {
        case "console": ConsoleCommand.self
        case "init": InitCommand.self
        case "agent": AgentCommand.self
        case "acting-role": ActingRoleCommand.self
        case "new": NewCommand.self
        case "message": TicketStepCommand<TicketStep.Message>.self
        case "take": TakeCommand.self
        case "next": NextCommand.self
        case "give": GiveCommand.self
        case "release": TicketStepCommand<TicketStep.Release>.self
        case "reply": ReplyCommand.self
        case "note": TicketStepCommand<TicketStep.Note>.self
        case "follow-up": FollowUpCommand.self
        case "escalate": EscalateCommand.self
        case "priority": PriorityCommand.self
        case "tag": TagCommand.self
        case "resolve": TicketStepCommand<TicketStep.Resolve>.self
        case "reopen": TicketStepCommand<TicketStep.Reopen>.self
        case "close": TicketStepCommand<TicketStep.Close>.self
        case "hold": TicketStepCommand<TicketStep.Hold>.self
        case "rate": RateCommand.self
        case "list": ListCommand.self
        case "search": SearchCommand.self
        case "show": ShowCommand.self
        case "customer": CustomerCommand.self
        case "status": StatusCommand.self
        case "history": HistoryCommand.self
        case "events": EventsCommand.self
        case "fsck": FsckCommand.self
        case "demo": DemoCommand.self
        case "generate": GenerateCommand.self
        case "sla": SLACommand.self
        case "hours": HoursCommand.self
        case "holiday": HolidayCommand.self
        case "report": ReportCommand.self
        case "watch": WatchCommand.self
        case "ingest": IngestCommand.self
        case "deliver": DeliverCommand.self
        case "attachment": AttachmentCommand.self
        case "quarantine": QuarantineCommand.self
        case "export": ExportCommand.self
        case "import": ImportCommand.self
        case "migrate": MigrateCommand.self
        case "macro": MacroCommand.self
        case "view": ViewCommand.self
        case "bulk": BulkCommand.self
        case "block": BlockCommand.self
        case "unblock": UnblockCommand.self
        case "survey": SurveyCommand.self
        case "channel": ChannelCommand.self
        case "merge": MergeCommand.self
        case "link": LinkCommand.self
        case "unlink": UnlinkCommand.self
        case "undo": UndoCommand.self
        case "group": GroupCommand.self
        case "rule": RuleCommand.self
        case "available": AvailableCommand.self
        case "away": AwayCommand.self
        default: nil
        }
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
