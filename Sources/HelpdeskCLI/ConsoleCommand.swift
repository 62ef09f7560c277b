import ArgumentParser
import Foundation
import HelpdeskConsole
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the console (what `helpdesk` alone does).",
        discussion: "Press ? in the console for every key. NO_COLOR=1 draws with bold and reverse only. "
            + "With --at, the desk as it was then, read-only: [ ] step a record, { } an hour, Esc goes to now.")

    @OptionGroup var desk: DeskOptions
    @Option(help: "A theme name from Themes/ (default, light, high-contrast, monochrome) or a theme file's path.")
    var theme: String?
    @OptionGroup var at: MomentOption

    func run() throws {
        let moment = try at.moment(now: SystemClock.now())
        try ConsoleCommand.open(logPath: desk.logPath, location: desk.location, actingAs: desk.actAs, themeName: theme,
                                moment: moment.map { DeskMoment(moment: $0, realClock: SystemClock.now) })
    }

    static func open(logPath: String, location: StoreLocation? = nil, actingAs: String?, themeName: String?,
                     moment: DeskMoment? = nil) throws {
        let environment = ProcessInfo.processInfo.environment
        let chosen = try FullScreen.theme(named: themeName, environment: environment)
        let location = location ?? .file(path: logPath)
        if case .file = location {
            guard FileManager.default.fileExists(atPath: logPath) else { throw LogError.notFound(path: logPath) }
            try DeskAdmission.check(logPath: logPath)
        }
        let notify: NotifyStyle
        do {
            notify = try UserConfig.notify(environment: environment)
        } catch let problem as ThemeFile.Problem {
            throw UserError(message: "\(problem)", code: ExitStatus.usage)
        }
        let identity = try Identity.resolve(actingAs: actingAs)
        var options = ConsoleLoop.Options(logPath: logPath, location: location, me: identity.actor, via: identity.via, theme: chosen,
                                          useColour: FullScreen.useColour(environment: environment), clock: SystemClock.now)
        options.notify = notify
        options.desktopNotification = DesktopNotification.forTerminal(environment)
        options.moment = moment
        try FullScreen.run { try ConsoleLoop.run(options) }
    }
}
