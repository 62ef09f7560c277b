import ArgumentParser
import Foundation
import HelpdeskCore

/// `helpdesk available [--for DURATION]`: take tickets from automatic assignment.
struct AvailableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "available",
        abstract: "Take tickets from your groups' automatic assignment.",
        discussion: "Without --for, you stay available until you say away or your last console closes; "
            + "with it, for that long whatever your consoles do.")
    @OptionGroup var desk: DeskOptions
    @Option(name: .customLong("for"), help: "How long (2h, 90m).", transform: { try DurationText.parse($0) })
    var duration: TimeInterval?

    func validate() throws {
        if let duration, duration <= 0 { throw ValidationError("--for needs a duration ahead, like 2h") }
    }

    func run() throws {
        var until: Date?
        let performed = try desk.perform { _, now in
            until = duration.map { now.addingTimeInterval($0) }
            return .team(.available(until: until))
        }
        let handed = AvailabilityOutput.handedOut(performed.desk, since: performed.record?.seq ?? 0)
        Output.say("you are available" + (until.map { " until \(Timestamp.format($0))" } ?? "")
                   + (handed.isEmpty ? "" : "; handed out " + handed.map { "#\($0.ticket) to \($0.agent)" }.joined(separator: ", ")))
    }
}

/// `helpdesk away`: no more tickets from automatic assignment.
struct AwayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "away", abstract: "Take no more tickets from automatic assignment.")
    @OptionGroup var desk: DeskOptions

    func run() throws {
        try desk.perform(.team(.away))
        Output.say("you are away")
    }
}

/// `helpdesk next`: take the most urgent unassigned ticket you may work, your groups' first.
enum AvailabilityOutput {
    /// The tickets the desk handed out in the records after `seq`.
    static func handedOut(_ desk: Desk, since seq: Int) -> [(ticket: Int, agent: String)] {
        guard seq > 0 else { return [] }
        return desk.activeTickets.flatMap { ticket in
            ticket.history.filter { $0.seq > seq && $0.actor == AutoAssignment.actor }.compactMap { entry in
                if case .assigned(let id, let to, _) = entry.event { (id, to) } else { nil }
            }
        }
    }
}
