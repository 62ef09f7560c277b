import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a demo desk (agents, customers, tickets in every state) to try the commands on.",
        discussion: "Without --log the desk goes to a new temporary directory. In a terminal the console opens on it; every command works on it with --log PATH or HELPDESK_LOG=PATH.")

    @Option(help: "Where to create the demo desk (must not exist yet).") var log: String?
    @Option(help: "The console's theme.") var theme: String?
    @Flag(help: "Only create the desk; do not open the console.") var noConsole = false

    func run() throws {
        let path = try log ?? temporaryLogPath()
        let supervisor = try Identity.currentAccount()
        try DeskAdmission.checkCreating(path, as: supervisor)
        let now = SystemClock.now()
        let desk = try DeskLog.create(path: path, actor: supervisor, displayName: nil,
                                      now: now.addingTimeInterval(-6 * 86_400))
        for step in DemoDesk.steps(supervisor: supervisor, now: now) {
            let at = now.addingTimeInterval(-step.ago)
            try DeskService(log: desk, identity: Identity(actor: step.actor), clock: { at }).perform(step.command)
        }
        // In a terminal the demo opens the console on the new desk; elsewhere it says how to.
        if isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1, !noConsole {
            try ConsoleCommand.open(logPath: path, actingAs: nil, themeName: theme)
            return
        }
        let agents = DemoDesk.agents.map(\.account).joined(separator: ", ")
        print(VisibleText.sanitize("""
            created a demo desk at \(path): \(desk.desk.tickets.count) tickets, \(desk.desk.customers.count) customers, \
            agents \(agents) and you (\(supervisor), supervisor)

            try:
              export HELPDESK_LOG=\(path)
              helpdesk list
              helpdesk show 2
              helpdesk take 6
              helpdesk reply 6 --body "Thanks for calling, Giulia!"
              helpdesk status
            """, keepNewlines: true))
    }

    private func temporaryLogPath() throws -> String {
        var template = Array((NSTemporaryDirectory() + "helpdesk-demo-XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else { throw UserError(message: "cannot create a temporary directory") }
        let directory = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return directory + "/desk.log"
    }
}
