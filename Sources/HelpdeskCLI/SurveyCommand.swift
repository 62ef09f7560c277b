import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog
import HelpdeskMail

/// `survey set|nps|show`: the satisfaction survey after a solve, and the recommendation survey (NPS).
struct SurveyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survey",
        abstract: "Ask customers how it went (CSAT, 1-5, after a solve) and how likely they are to recommend us (NPS, 0-10).",
        discussion: """
            Surveys are mailed by the outbox (helpdesk deliver, which queues those due) to customers who wrote by \
            mail; a reply starting with a number (or great, good, ok, bad, terrible) is recorded as the answer. \
            The texts are `survey:` and `nps:` in the mail configuration (Mustache, with the macros' placeholders).
            """,
        subcommands: [Set.self, NPS.self, Show.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Mail the satisfaction survey this long after a mail ticket is solved, or stop (supervisors).")
        @OptionGroup var desk: DeskOptions
        @OptionGroup var mail: MailOptions
        @Option(help: "How long after the solve: 1h, 30m, 2d.", transform: { try DurationText.parse($0) })
        var delay: TimeInterval?
        @Flag(help: "Send no more satisfaction surveys.") var off = false

        func run() throws {
            let every = try SurveyCommand.seconds(delay, off: off, flag: "--delay")
            if every != nil { try SurveyCommand.checkTexts(.csat, desk: desk, mail: mail) }
            try desk.perform(.configureSurvey(kind: .csat, every: every))
            Output.say(every.map { "the satisfaction survey goes \(DurationText.format(TimeInterval($0))) after a solve" }
                       ?? "the satisfaction survey is off")
        }
    }

    struct NPS: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "nps",
            abstract: "Ask customers with a solved mail ticket how likely they are to recommend us, at most once a period (supervisors).")
        @OptionGroup var desk: DeskOptions
        @OptionGroup var mail: MailOptions
        @Option(help: "The period: 90d.", transform: { try DurationText.parse($0) }) var every: TimeInterval?
        @Flag(help: "Ask no more.") var off = false

        func run() throws {
            let seconds = try SurveyCommand.seconds(every, off: off, flag: "--every")
            if seconds != nil { try SurveyCommand.checkTexts(.nps, desk: desk, mail: mail) }
            try desk.perform(.configureSurvey(kind: .nps, every: seconds))
            Output.say(seconds.map { "customers are asked for NPS at most once every \(DurationText.format(TimeInterval($0)))" }
                       ?? "the NPS survey is off")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "The survey settings and what waits to be asked.")
        @OptionGroup var desk: DeskOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let state = try desk.openForReading().desk.surveys
            if json {
                Output.printJSON(.object([
                    ("csat_delay", JSONValue(state.settings.csatDelay)), ("nps_every", JSONValue(state.settings.npsEvery)),
                    ("csat_waiting", JSONValue(state.csatWaiting.count)), ("nps_waiting", JSONValue(state.npsSolved.count)),
                    ("opted_out", JSONValue(state.optedOut.count)),
                ]))
                return
            }
            let csat = state.settings.csatDelay.map { "\(DurationText.format(TimeInterval($0))) after a solve" } ?? "off"
            let nps = state.settings.npsEvery.map { "at most once every \(DurationText.format(TimeInterval($0)))" } ?? "off"
            Output.say("satisfaction (CSAT): \(csat); \(state.csatWaiting.count) solved tickets wait for theirs")
            Output.say("recommendation (NPS): \(nps); \(state.npsSolved.count) customers may be asked")
            Output.say("\(state.optedOut.count) customers asked not to be surveyed")
        }
    }

    /// Seconds from exactly one of the duration and `--off`.
    static func seconds(_ duration: TimeInterval?, off: Bool, flag: String) throws -> Int? {
        guard (duration != nil) != off else { throw ValidationError("give \(flag) or --off") }
        return duration.map { Int($0) }
    }

    /// Refuses to turn a survey on whose text in the mail configuration cannot be rendered.
    static func checkTexts(_ kind: SurveyKind, desk: DeskOptions, mail: MailOptions) throws {
        let config = try mail.load(logPath: desk.logPath, location: desk.location)
        for text in kind == .csat ? [config.surveySubject, config.surveyBody] : [config.npsSubject, config.npsBody] {
            do {
                _ = try MacroTemplate(text)
            } catch {
                throw UserError(message: "the \(kind == .csat ? "survey" : "nps") text in \(config.path ?? "the mail configuration") "
                                + "is not usable: \(error.message)", code: ExitStatus.refused)
            }
        }
    }
}
