import ArgumentParser
import Foundation
import HelpdeskConsole
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "The live wallboard for supervisors: read-only, updated as the log changes (q quits).",
        discussion: """
            Backlog by status and priority, unassigned tickets, tickets breached and at risk, escalations by tier, \
            each agent's load, follow-ups due, satisfaction and the backlog over the last day. No key changes the \
            desk; the one thing it may write is the desk's own escalation of an SLA breach, and only when this \
            account may write the log. With --at, the desk as it was then, nothing escalated. Over SSH use ssh -t \
            (see the README for a restricted key).
            """)

    @Option(help: ArgumentHelp("Where the desk is kept: a PostgreSQL URL or a log file (default: $HELPDESK_STORE, else the log file).",
                               valueName: "url-or-path"))
    var store: String?
    @Option(help: "The desk's log file (default: $HELPDESK_LOG, else $XDG_DATA_HOME/helpdesk/desk.log).")
    var log: String?
    @Option(help: "A theme name from Themes/ or a theme file's path.") var theme: String?
    @OptionGroup var at: MomentOption

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let location = StoreLocation.resolve(store: store, log: log)
        let path = location.filePath ?? LogLocation.resolve(option: log)
        if case .file = location {
            guard FileManager.default.fileExists(atPath: path) else { throw LogError.notFound(path: path) }
            try DeskAdmission.check(logPath: path)
        }
        let chosen = try FullScreen.theme(named: theme, environment: environment)
        var options = WallboardLoop.Options(logPath: path, location: location, account: try? Identity.currentAccount(), theme: chosen,
                                            useColour: FullScreen.useColour(environment: environment), clock: SystemClock.now)
        options.moment = try at.moment(now: SystemClock.now()).map { DeskMoment(moment: $0, realClock: SystemClock.now) }
        try FullScreen.run { try WallboardLoop.run(options) }
    }
}
