import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskMail

/// `rule add|list|remove|move|test`: routing rules run in order on every new ticket.
struct RuleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rule",
        abstract: "Routing rules: run in order on every new ticket, first match wins (supervisors change them).",
        subcommands: [Add.self, List.self, Remove.self, Move.self, Test.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a rule at the end of the list (supervisors).",
            discussion: """
                Conditions (all must hold): channel=CHANNEL, to=ADDRESS (the mail's recipient), from=ADDRESS or \
                from=@DOMAIN, subject~WORDS, body~WORDS (quote a phrase: body~"cancel my account"), \
                organisation=NAME. Actions: group=NAME, priority=P, tag=+a, tag=-b, assign=AGENT.
                """)
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The rule's name: one word.") var name: String
        @Option(name: .customLong("if"), parsing: .upToNextOption, help: "Conditions.") var conditions: [String] = []
        @Option(name: .customLong("then"), parsing: .upToNextOption, help: "Actions.") var actions: [String] = []

        func run() throws {
            try desk.perform(.team(.addRule(RoutingRule(name: name, conditions: conditions, actions: actions))))
            Output.say("added the rule \(name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the rules in the order they are tried.")
        @OptionGroup var desk: DeskOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let rules = try desk.openForReading().desk.team.rules
            if json {
                Output.printJSON(.array(rules.enumerated().map { index, rule in
                    .object([("position", JSONValue(index + 1)), ("name", .string(rule.name)),
                             ("if", .array(rule.conditions.map(JSONValue.string))),
                             ("then", .array(rule.actions.map(JSONValue.string)))])
                }))
                return
            }
            Output.printTable(header: ["#", "RULE", "IF", "THEN"], rows: rules.enumerated().map { index, rule in
                [String(index + 1), rule.name, rule.conditions.joined(separator: " "), rule.actions.joined(separator: " ")]
            })
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a rule (supervisors).")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The rule's name.") var name: String

        func run() throws {
            try desk.perform(.team(.removeRule(name: name)))
            Output.say("removed the rule \(name)")
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "move", abstract: "Move a rule just before another (supervisors).")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The rule to move.") var name: String
        @Option(help: "The rule it goes before.") var before: String

        func run() throws {
            try desk.perform(.team(.moveRule(name: name, before: before)))
            Output.say("moved the rule \(name) before \(before)")
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Say which rule a message would match and what it would do, writing nothing.")
        @OptionGroup var desk: DeskOptions
        @Option(help: "A mail (RFC 5322 file).") var mail: String?
        @Option(help: "One line of JSON intake.") var json: String?
        @Flag(name: .customLong("print-json"), help: "Print JSON.") var printJSON = false

        func validate() throws {
            guard (mail == nil) != (json == nil) else { throw ValidationError("give one of --mail FILE and --json LINE") }
        }

        func run() throws {
            let message = try inbound()
            let state = try desk.openForReading().desk
            let verdict = try RuleVerdict(message, on: state, now: SystemClock.now())
            if printJSON {
                Output.printJSON(verdict.json)
            } else {
                verdict.lines.forEach(Output.say)
            }
        }

        private func inbound() throws -> InboundMessage {
            if let json {
                do {
                    return try JSONIntake.message(from: Array(json.utf8))
                } catch {
                    throw UserError(message: "bad --json line: " + (error.field.map { "\($0): " } ?? "") + error.message,
                                    code: ExitStatus.usage)
                }
            }
            guard let data = mail == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: mail!)
            else { throw UserError(message: "cannot read \(mail!)", code: ExitStatus.noLog) }
            let bytes = [UInt8](data)
            do {
                let parsed = try MailParser.parse(bytes)
                guard let sender = parsed.sender else { throw UserError(message: "\(mail!) has no sender (From)", code: ExitStatus.usage) }
                var message = InboundMessage(channel: .email, externalID: parsed.messageID ?? "rule-test@helpdesk.invalid",
                                             fromAddress: sender.address, fromName: sender.name, subject: parsed.subject,
                                             body: parsed.text, references: parsed.threadReferences)
                message.recipients = parsed.recipientAddresses
                return message
            } catch let unreadable as MailParser.Unreadable {
                throw UserError(message: "\(mail!) cannot be read as mail: \(unreadable.reason)", code: ExitStatus.usage)
            }
        }
    }
}

/// What `rule test` found: the rule a message would match on the desk as it is, and its events.
struct RuleVerdict {
    var ticket: Int?
    var outcome: Routing.Outcome?
    var note: String?

    init(_ message: InboundMessage, on desk: Desk, now: Date) throws {
        let taken = try Intake.decide(message, on: desk, at: now, settings: IntakeSettings())
        switch taken.result {
        case .opened(let id):
            ticket = id
            outcome = Routing.outcome(forTicket: id, in: taken.events, recipients: message.recipients, on: desk)
        case .added(let id, _): note = "it would be added to ticket \(id); rules run only on new tickets"
        case .duplicate(let id): note = "it is a duplicate of a message on ticket \(id); nothing would change"
        case .setAside(let reason): note = "it would be set aside (\(reason)); rules run only on new tickets"
        }
    }

    var lines: [String] {
        if let note { return [note] }
        guard let outcome else { return ["no rule matches; the ticket would stay in no group"] }
        return ["the rule \(outcome.rule) would match:"] + outcome.events.dropFirst().map { "  " + $0.summary }
    }

    var json: JSONValue {
        .object([("rule", JSONValue(outcome?.rule)), ("note", JSONValue(note)),
                 ("would", .array((outcome?.events.dropFirst() ?? []).map { .string($0.summary) }))])
    }
}
