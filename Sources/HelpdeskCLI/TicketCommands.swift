import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

// One small command per action on a ticket. Each validates under the log's lock and prints
// one line saying what was done.

struct TakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "take", abstract: "Assign a ticket to yourself.")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "Ticket id.") var id: Int
    @Flag(help: "Take it even if someone else has it (recorded with whom it was taken from).") var steal = false

    func run() throws {
        let performed = try desk.perform(.take(ticket: id, steal: steal))
        Output.say("took ticket \(id)" + (stolenFrom(performed).map { " from \($0)" } ?? ""))
    }

    private func stolenFrom(_ performed: DeskService.Performed) -> String? {
        performed.record?.events.lazy.compactMap { event -> String? in
            if case .assigned(_, _, let from?) = event { return from } else { return nil }
        }.first
    }
}

struct NextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next", abstract: "Take the most urgent unassigned ticket you may work (the console's N); print its id.",
        discussion: "Exit 1 with \"nothing to take\" when there is none.")
    @OptionGroup var desk: DeskOptions
    @Flag(help: "Print the ticket taken as JSON (as list --json prints it).") var json = false

    func run() throws {
        var taken: Int?
        let service = try desk.service()
        let me = service.identity.actor
        let performed = try service.perform { desk, now throws(Refusal) in
            let command = try NextTicket.take(by: me, on: desk, now: now)
            if case .take(let id, _) = command { taken = id }
            return command
        }
        guard let id = taken, let ticket = performed.desk.ticket(id) else { return }
        if json {
            let now = SystemClock.now()
            Output.printJSON(Output.ticketJSON(ticket, desk: performed.desk, now: now,
                                               sla: SLACalculator(policy: performed.desk.slaPolicy)))
        } else {
            Output.say("\(id)")
        }
    }
}

struct GiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "give", abstract: "Assign a ticket to another agent (its assignee or a supervisor).")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "Ticket id.") var id: Int
    @Argument(help: "The agent's account.") var agent: String

    func run() throws {
        try desk.perform(.give(ticket: id, to: agent))
        Output.say("gave ticket \(id) to \(agent)")
    }
}

struct ReplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reply", abstract: "Reply to the customer.")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "Ticket id.") var id: Int
    @Option(help: "The reply (default: standard input, or $VISUAL/$EDITOR).") var body: String?
    @Option(name: .customLong("attach"), help: ArgumentHelp("A file to send with it (repeatable; up to attachment_limit, 20 MB).",
                                                            valueName: "file"))
    var files: [String] = []
    @OptionGroup var mail: MailOptions

    func run() throws {
        let attachments = try ReplyAttachments.store(files, desk: desk, mail: mail)
        let text = try BodyInput.read(body, what: "reply") ?? ""
        // The reply is in the log (the outbox) first; then it is mailed, when the ticket came by mail.
        let command: Command = attachments.isEmpty ? .reply(ticket: id, body: text)
            : .replyAttaching(ticket: id, body: text, attachments: attachments)
        let performed = try desk.perform(command, mail: mail)
        if case .failed? = performed.mail {
            // Recorded, and queued in the outbox: a script must know the customer has not got it yet.
            Output.warn("replied on ticket \(id); \(performed.mail!.words)")
            throw ExitCode(ExitStatus.mailNotSent)
        }
        Output.say("replied on ticket \(id)" + (performed.mail.map { "; \($0.words)" } ?? ""))
    }
}

struct FollowUpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow-up",
        abstract: "Schedule a follow-up (the ticket waits as pending until it is due) or clear it.",
        discussion: "--in takes 90s, 15m, 2h, 3d or 1h30m; --at takes 2026-12-01 14:30, 14:30, tomorrow 09:00, fri or RFC 3339.")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "Ticket id.") var id: Int
    @Option(name: .customLong("in"), help: "Due after this long.", transform: { try DurationText.parse($0) })
    var after: TimeInterval?
    @Option(help: "Due at this time (your time zone unless it says otherwise).") var at: String?
    @Option(help: "What to follow up on.") var note: String?
    @Flag(help: "Clear the follow-up.") var clear = false

    func validate() throws {
        let given = [after != nil, at != nil, clear].filter { $0 }.count
        guard given == 1 else { throw ValidationError("give exactly one of --in, --at or --clear") }
        if clear, note != nil { throw ValidationError("--note goes with --in or --at, not --clear") }
    }

    func run() throws {
        if clear {
            try desk.perform(.clearFollowUp(ticket: id))
            print("cleared the follow-up of ticket \(id)")
            return
        }
        let timeText = at
        let delay = after
        let appended = try desk.perform { _, now throws(Refusal) in
            let due = if let delay { now.addingTimeInterval(delay) }
                else { try TimeText.parse(timeText ?? "", now: now, timeZone: .current, durations: .ahead) }
            return .scheduleFollowUp(ticket: id, due: due, note: note)
        }
        let due = appended.desk.ticket(id)?.followUp?.due
        print("ticket \(id) is pending until its follow-up at \(due.map(Timestamp.format) ?? "?")")
    }
}

struct EscalateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalate", abstract: "Escalate a ticket to the next tier (or the one given).")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "Ticket id.") var id: Int
    @Option(help: "Why it needs a higher tier.") var reason: String
    @Option(help: "The tier to escalate to (default: one up).") var tier: Int?

    func run() throws {
        let appended = try desk.perform(.escalate(ticket: id, reason: reason, tier: tier))
        print("escalated ticket \(id) to tier \(appended.desk.ticket(id)?.tier ?? 0)")
    }
}

struct PriorityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "priority", abstract: "Change a ticket's priority.")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "Ticket id.") var id: Int
    @Argument(help: "low, normal, high or urgent.") var priority: Priority

    func run() throws {
        try desk.perform(.setPriority(ticket: id, priority: priority))
        print("ticket \(id) is now \(priority.rawValue) priority")
    }
}

struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Add (+TAG or TAG) and remove (-TAG) tags.")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "Ticket id.") var id: Int
    @Argument(parsing: .allUnrecognized, help: "+TAG to add, -TAG to remove.") var changes: [String] = []

    func validate() throws {
        guard !changes.isEmpty else { throw ValidationError("give at least one +TAG or -TAG") }
    }

    func run() throws {
        let tags = TagChanges(words: changes)
        let appended = try desk.perform(.changeTags(ticket: id, add: tags.add, remove: tags.remove))
        Output.say("ticket \(id) tags: \(appended.desk.ticket(id)?.tags.joined(separator: " ") ?? "")")
    }
}

struct RateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rate", abstract: "Record the customer's satisfaction with a solved ticket (1-5).")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "Ticket id.") var id: Int
    @Argument(help: "1 (very unhappy) to 5 (very happy).") var score: Int
    @Option(help: "What the customer said.") var comment: String?

    func run() throws {
        try desk.perform(.rate(ticket: id, score: score, comment: comment))
        print("rated ticket \(id) \(score)/5")
    }
}
