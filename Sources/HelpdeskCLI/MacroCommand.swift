import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

/// `macro add|list|show|remove|apply`: canned replies and notes with placeholders, and actions,
/// applied to a ticket in one record.
struct MacroCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "macro",
        abstract: "Canned replies and notes with actions (supervisors save them; every agent applies them).",
        subcommands: [Add.self, List.self, Show.self, Remove.self, Apply.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Save a macro: a reply or note (placeholders such as {{customer.first_name}}) and actions.",
            discussion: "Placeholders: " + Macro.placeholders.map { "{{\($0)}}" }.joined(separator: ", ")
                + ". Without --reply or --note, a reply is read from standard input when it is not a terminal.")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The macro's name: one word.") var name: String
        @Option(help: "The reply it sends.") var reply: String?
        @Option(help: "The internal note it adds.") var note: String?
        @Option(help: "The status it leaves the ticket in: open, on-hold, solved or closed.",
                transform: { try MacroCommand.status($0) })
        var status: Status?
        @Option(help: "The priority it sets.") var priority: Priority?
        @Option(name: .customLong("tag"), parsing: .unconditionalSingleValue, help: "+TAG to add, -TAG to remove (--tag +a -b).")
        var tagWords: [String] = []
        @Argument(parsing: .allUnrecognized, help: .hidden) var moreTagWords: [String] = []
        @Option(name: .customLong("follow-up"), help: "A follow-up due this long after it is applied (2h, 3d).",
                transform: { try DurationText.parse($0) })
        var followUp: TimeInterval?
        @Option(help: "me, an agent's account, or none.") var assign: String?
        @Option(help: "Escalate the ticket a tier, with this reason.") var escalate: String?
        @Flag(help: "Replace the macro of that name.") var replace = false

        func validate() throws {
            if reply != nil, note != nil { throw ValidationError("give --reply or --note, not both") }
            if let stray = moreTagWords.first(where: { !$0.hasPrefix("-") && !$0.hasPrefix("+") }) ?? (tagWords.isEmpty ? moreTagWords.first : nil) {
                throw ValidationError("unexpected argument '\(stray)'")
            }
        }

        func run() throws {
            let tags = TagChanges(words: (tagWords + moreTagWords).flatMap { $0.split(whereSeparator: \.isWhitespace).map(String.init) })
            let macro = Macro(name: name, text: try text(), status: status, priority: priority, addTags: tags.add,
                              removeTags: tags.remove, followUp: followUp.map { Int($0) },
                              assignment: assign.map(Macro.Assignment.init(word:)), escalation: escalate)
            let performed = try desk.perform(.saveMacro(macro, replacing: replace))
            let saved = performed.desk.macros[name] ?? macro
            Output.say("saved the macro \(name): " + saved.actionWords.joined(separator: ", "))
        }

        private func text() throws -> Macro.Text? {
            if let reply { return Macro.Text(kind: .reply, template: reply) }
            if let note { return Macro.Text(kind: .note, template: note) }
            let piped = try BodyInput.read(nil, what: "reply", allowEditor: false) ?? ""
            return piped.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : Macro.Text(kind: .reply, template: piped)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the macros.")
        @OptionGroup var desk: DeskOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let state = try desk.openForReading().desk
            let macros = state.macros.keys.sorted().compactMap { state.macros[$0] }
            if json {
                Output.printJSON(.array(macros.map(MacroCommand.json)))
                return
            }
            Output.printTable(header: ["NAME", "DOES", "TEXT"], rows: macros.map { macro in
                [macro.name, macro.actionWords.joined(separator: ", "),
                 macro.text.map { String($0.template.split(separator: "\n").first ?? "") } ?? ""]
            }, maxWidth: [2: 60])
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a macro: its text as saved and its actions.")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The macro's name.") var name: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            guard let macro = try desk.openForReading().desk.macros[name] else { throw UserError(message: "no macro \(name)") }
            if json {
                Output.printJSON(MacroCommand.json(macro))
                return
            }
            Output.say("macro \(macro.name): " + macro.actionWords.joined(separator: ", "))
            if let text = macro.text {
                print(VisibleText.sanitize(text.template, keepNewlines: true))
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a macro (supervisors).")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The macro's name.") var name: String

        func run() throws {
            try desk.perform(.removeMacro(name: name))
            Output.say("removed the macro \(name)")
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Apply a macro to a ticket: its text rendered and sent, its actions taken, in one record.")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "Ticket id.") var id: Int
        @Argument(help: "The macro's name.") var name: String
        @Flag(help: "Print the rendered text and the actions; write nothing.") var dryRun = false
        @OptionGroup var mail: MailOptions

        func run() throws {
            do {
                try apply()
            } catch let refusal as Refusal {
                guard case .assignedToOther? = refusal.subject else { throw refusal }
                throw UserError(message: "\(refusal.message); take it first with: helpdesk take \(id) --steal")
            }
        }

        private func apply() throws {
            let command = Command.applyMacro(ticket: id, name: name, text: nil)
            if dryRun {
                let events = try desk.service(mail: mail).decideWithoutWriting(command)
                for case .messageAdded(_, let kind, .text(let text)) in events {
                    Output.say("\(kind == .note ? "note" : "reply") on ticket \(id):")
                    print(VisibleText.sanitize(text, keepNewlines: true))
                }
                Output.say("would (nothing written):")
                for event in events { Output.say("  " + event.summary) }
                return
            }
            let performed = try desk.perform(command, mail: mail)
            let done = performed.record?.events.map(\.summary).joined(separator: "; ") ?? ""
            Output.say("applied the macro \(name) to ticket \(id): \(done)" + (performed.mail.map { "; \($0.words)" } ?? ""))
        }
    }

    static func status(_ word: String) throws -> Status {
        guard let status = Status(rawValue: word), Macro.settableStatuses.contains(status) else {
            throw ValidationError("bad status '\(word)': choose " + Macro.settableStatuses.map(\.rawValue).joined(separator: ", "))
        }
        return status
    }

    /// As the log writes it: `name`, `reply`, `note`, `status`, `priority`, `tags_added`,
    /// `tags_removed`, `follow_up` (seconds), `assign`, `escalate` (null when absent).
    static func json(_ macro: Macro) -> JSONValue {
        .object([
            ("name", .string(macro.name)),
            ("reply", JSONValue(macro.text?.kind == .reply ? macro.text?.template : nil)),
            ("note", JSONValue(macro.text?.kind == .note ? macro.text?.template : nil)),
            ("status", JSONValue(macro.status?.rawValue)), ("priority", JSONValue(macro.priority?.rawValue)),
            ("tags_added", .array(macro.addTags.map(JSONValue.string))),
            ("tags_removed", .array(macro.removeTags.map(JSONValue.string))),
            ("follow_up", JSONValue(macro.followUp)), ("assign", JSONValue(macro.assignment?.word)),
            ("escalate", JSONValue(macro.escalation)),
        ])
    }
}
