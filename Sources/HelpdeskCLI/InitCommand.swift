import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new desk (a log file, or the tables in an empty PostgreSQL database), with you as its first supervisor.")

    @OptionGroup var desk: DeskOptions

    @Option(help: "Your display name (default: your account name).")
    var name: String?

    func run() throws {
        let account = try Identity.currentAccount()
        let actor = desk.actAs ?? account
        if actor != account, getuid() != 0 {
            throw UserError(message: "--as is only for root when creating a desk")
        }
        try RosterRules.notReserved(actor)  // decided before the desk is made
        let location = desk.location
        guard case .file(let path) = location else {
            _ = try DeskLog.create(at: location, actor: actor, displayName: name, now: SystemClock.now())
            Output.say("created the desk in \(location) with \(actor) as its supervisor")
            return
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            // The person's folders, made with their own group: the binary's opens none for them.
            _ = try? PersonsGroup.run(directory) {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        }
        try DeskAdmission.checkCreating(path, as: actor)
        _ = try DeskLog.create(path: path, actor: actor, displayName: name, now: SystemClock.now())
        Output.say("created the desk at \(path) with \(actor) as its supervisor")
    }
}
