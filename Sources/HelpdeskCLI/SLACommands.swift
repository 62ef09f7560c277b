import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskLog

struct SLACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract: "Show and change the SLA targets; explain a ticket's clocks.",
        discussion: """
            Targets per priority for first response (opened → first reply), next response (the customer \
            wrote again → our next reply) and resolution (opened → solved). Clocks count business time when \
            business hours are set (helpdesk hours, helpdesk holiday) and pause while a ticket is pending or \
            on hold. A breached clock escalates its ticket one tier, once per breach.
            """,
        subcommands: [Set.self, Show.self, Why.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Change a priority's targets (supervisors): 30m, 4h, 1d, 1h30m.")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "low, normal, high or urgent.") var priority: Priority
        @Option(name: .customLong("first-response"), help: "Opened → first reply.", transform: { try DurationText.parse($0) })
        var firstResponse: TimeInterval?
        @Option(name: .customLong("next-response"), help: "Customer wrote again → next reply.",
                transform: { try DurationText.parse($0) })
        var nextResponse: TimeInterval?
        @Option(help: "Opened → solved.", transform: { try DurationText.parse($0) })
        var resolution: TimeInterval?

        func validate() throws {
            guard firstResponse != nil || nextResponse != nil || resolution != nil else {
                throw ValidationError("give at least one of --first-response, --next-response and --resolution")
            }
        }

        func run() throws {
            let appended = try desk.perform(policy: .setTargets(priority: priority, firstResponse: firstResponse,
                                                                 nextResponse: nextResponse, resolution: resolution))
            let targets = appended.desk.slaPolicy.targets(for: priority)
            print("\(priority.rawValue) targets: first response \(DurationText.format(targets.firstResponse)), "
                  + "next response \(DurationText.format(targets.nextResponse)), resolution \(DurationText.format(targets.resolution))")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the targets, business hours and holidays.")
        @OptionGroup var desk: DeskOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let policy = try desk.openForReading().desk.slaPolicy
            let priorities = Priority.allCases.reversed()
            if json {
                Output.printJSON(.object([
                    ("targets", .object(priorities.map { priority in
                        let targets = policy.targets(for: priority)
                        return (priority.rawValue, .object(SLATarget.allCases.map { ($0.rawValue, Output.seconds(targets[$0])) }))
                    })),
                    ("business_hours", policy.hours.map {
                        .object([("hours", .string($0.text)), ("time_zone", .string($0.timeZoneID))])
                    } ?? .null),
                    ("holidays", .array(policy.sortedHolidays.map(JSONValue.string))),
                ]))
                return
            }
            Output.printTable(header: ["PRIORITY", "FIRST RESPONSE", "NEXT RESPONSE", "RESOLUTION"],
                              rows: priorities.map { priority in
                                  let targets = policy.targets(for: priority)
                                  return [priority.rawValue] + SLATarget.allCases.map { DurationText.format(targets[$0]) }
                              })
            print("")
            if let hours = policy.hours {
                Output.say("business hours: \(hours.text) (\(hours.timeZoneID)); clocks count business time only")
                print("holidays: " + (policy.holidays.isEmpty ? "none" : policy.sortedHolidays.joined(separator: ", ")))
            } else {
                print("business hours: none; clocks count around the clock")
                if !policy.holidays.isEmpty {
                    Output.say("holidays: \(policy.sortedHolidays.joined(separator: ", ")) (they count once business hours are set)")
                }
            }
        }
    }

    struct Why: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "why",
            abstract: "Explain a ticket's clocks: when each started, paused, resumed, breached or was met.")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "Ticket id.") var id: Int
        @OptionGroup var moment: MomentOption

        func run() throws {
            let (log, now) = try desk.open(at: moment)
            let ticket = try MomentOption.ticket(id, of: log)
            let sla = log.desk.sla(of: ticket, now: now, explain: true)
            var answer = Answer()
            answer.line(VisibleText.sanitize("#\(ticket.id) \(ticket.subject)"))
            answer.line(VisibleText.sanitize("\(ticket.priority.rawValue) · \(ticket.status.rawValue) · tier \(ticket.tier) · "
                        + (log.desk.slaPolicy.hours.map { "business time: \($0.text) (\($0.timeZoneID))" } ?? "clocks run around the clock")))
            answer.line()
            for step in sla.steps {
                let seq = step.seq.map { "#\($0)" } ?? ""
                answer.line(VisibleText.sanitize("\(Timestamp.format(step.at))  \(seq.padding(toLength: 6, withPad: " ", startingAt: 0))\(step.text)"))
            }
            answer.line("\(Timestamp.format(now))  now")
            answer.line()
            answer.table(header: ["CLOCK", "STATE", "DUE", "LEFT", "USED"], rows: SLATarget.allCases.map { target in
                guard let clock = sla.clock(target) else { return [target.name, "not started", "-", "-", "-"] }
                let state = clock.isBreached ? "\(clock.state.rawValue), breached" : clock.state.rawValue
                let left: String = switch clock.state {
                case .running: clock.timeLeft(now: now).map(DurationText.format) ?? "-"
                case .paused: DurationText.format(clock.left) + " (paused)"
                case .met, .stopped: "-"
                }
                return [target.name, state, clock.due.map(Timestamp.format) ?? (clock.metAt.map { "met \(Timestamp.format($0))" } ?? "-"),
                        left, "\(DurationText.format(clock.used)) of \(DurationText.format(clock.limit))"]
            })
            answer.write()
        }
    }
}

struct HoursCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hours",
        abstract: "Set or clear the business hours the SLA clocks count in (supervisors).",
        subcommands: [Set.self, Clear.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set the business hours: \"mon-fri 09:00-17:00\", \"mon-thu 08:00-12:00 13:00-17:00; fri 08:00-14:00\".")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "Days and time ranges; groups separated by ';'.") var hours: String
        @Option(help: "An IANA time zone, e.g. Europe/Berlin (default: this machine's).") var tz: String?

        func run() throws {
            let zone = tz ?? TimeZone.current.identifier
            let appended = try desk.perform(policy: .setHours(hours, timeZone: zone))
            let set = appended.desk.slaPolicy.hours
            Output.say("business hours: \(set?.text ?? hours) (\(zone))")
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "clear", abstract: "Clear the business hours: clocks run around the clock.")
        @OptionGroup var desk: DeskOptions

        func run() throws {
            try desk.perform(policy: .clearHours)
            print("cleared the business hours; clocks run around the clock")
        }
    }
}

struct HolidayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "holiday",
        abstract: "Days without business time (supervisors change them).",
        subcommands: [Change<HolidayChange.Add>.self, Change<HolidayChange.Remove>.self, List.self])

    /// `holiday add|remove DATE`: one command type serves both.
    struct Change<Kind: HolidayChangeKind>: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: Kind.change.rawValue, abstract: Kind.change.spec.abstract)
        }
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The date, e.g. 2026-12-25.") var date: String

        func run() throws {
            try desk.perform(policy: Kind.change.spec.command(date))
            Output.say("\(Kind.change.spec.done) the holiday \(date)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the holidays.")
        @OptionGroup var desk: DeskOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let holidays = try desk.openForReading().desk.slaPolicy.sortedHolidays
            if json {
                Output.printJSON(.array(holidays.map(JSONValue.string)))
            } else {
                for day in holidays { print(day) }
            }
        }
    }
}

enum HolidayChange: String {
    case add, remove

    /// The command's one-line help, what it asks the rules, and the word that says it was done.
    var spec: (abstract: String, command: (String) -> SLAPolicyCommand, done: String) {
        switch self {
        case .add: ("Add a holiday: YYYY-MM-DD.", { .addHoliday($0) }, "added")
        case .remove: ("Remove a holiday.", { .removeHoliday($0) }, "removed")
        }
    }

    enum Add: HolidayChangeKind { static let change = HolidayChange.add }
    enum Remove: HolidayChangeKind { static let change = HolidayChange.remove }
}

/// Names one `HolidayChange` at the type level, since a command is a type.
protocol HolidayChangeKind {
    static var change: HolidayChange { get }
}
