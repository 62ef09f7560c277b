import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog
import HelpdeskMail

/// `helpdesk deliver`: sends the mail waiting in the log (replies and acknowledgements), for cron.
struct DeliverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Send the replies waiting to go out by mail (run it from cron).",
        discussion: """
            The log is the outbox: a reply on a ticket that came in by mail is recorded first and \
            mailed after, through the sendmail command of the mail configuration. deliver sends \
            every mail not yet sent whose wait is over (after a failure: 1 min, 2, 4, … up to 6 h), \
            and records each success or failure. A mail that went out is never sent again, however \
            often deliver runs, even two at once. Exit 0 when everything due went out, 75 when some \
            mail failed (it is retried on the next run).
            """)

    @OptionGroup var desk: DeskOptions
    @OptionGroup var mail: MailOptions
    @Flag(help: "Try every unsent mail now, ignoring the wait after a failure.") var all = false
    @Option(help: "Only this ticket's mail.") var ticket: Int?
    @Flag(help: "Keep running: send new replies as soon as they are recorded (until interrupted).")
    var follow = false
    @Flag(help: "List the mail not yet sent, and what bounced; send nothing.") var list = false

    func run() throws {
        let logPath = desk.logPath
        let location = desk.location
        func openLog() throws -> DeskLog { try DeskLog(location: location, writable: !list).reportingRepairs() }
        // As a service, a database that is down as it starts is waited for, as it is later on.
        let log = follow ? try DeliveryFollowing.waitingForTheDatabase(openLog) : try openLog()
        if list {
            try DeskAdmission.check(log.desk, logPath: logPath)
            let pending = Outbox.pending(on: log.desk, now: SystemClock.now(), all: true, ticket: ticket,
                                         bounced: true)
            Output.printTable(header: ["TICKET", "MAIL", "WHAT", "STATE", "TRIES", "QUEUED", "LAST ERROR"],
                              rows: pending.map { mail in
                                  [String(mail.ticket), String(mail.number),
                                   mail.purpose,
                                   mail.bounce == nil ? mail.state.rawValue : "bounced",
                                   String(mail.attempts), Timestamp.format(mail.queuedAt), mail.lastError ?? "-"]
                              }, maxWidth: [6: 80])
            return
        }
        let config = try mail.load(logPath: logPath, location: location)
        func courier(on log: DeskLog) -> Courier {
            let desk = DeskService(log: log, identity: Identity(actor: Intake.mailActor, via: try? Identity.currentAccount()),
                                   clock: SystemClock.now)
            return Courier(desk: desk, config: config, store: MailStore(location: location))
        }
        guard follow else {
            let failed = try deliverOnce(courier(on: log), all: all)
            if failed > 0 { throw UserError(message: "\(failed) mail\(failed == 1 ? "" : "s") not sent; they will be tried again", code: ExitStatus.locked) }
            return
        }
        let following = try DeliveryFollowing.waitingForTheDatabase {
            try DeliveryFollowing(location: location, courier: courier(on: log)) { courier(on: try openLog()) }
        }
        following.run { courier, first in _ = try deliverOnce(courier, all: first && all) }
    }

    private func deliverOnce(_ courier: Courier, all: Bool) throws -> Int {
        let outcome = try courier.deliver(all: all, ticket: ticket)
        for mail in outcome.sent {
            print("sent mail \(mail.number) of ticket \(mail.ticket) (\(mail.purpose))")
        }
        for (mail, error) in outcome.failed {
            Output.warn("mail \(mail.number) of ticket \(mail.ticket) not sent: \(error)")
        }
        for (mail, claimer) in outcome.elsewhere {
            Output.warn("mail \(mail.number) of ticket \(mail.ticket) left alone: another delivery (\(claimer)) "
                        + "was handing it to sendmail when its connection was lost")
        }
        fflush(nil)  // --follow runs as a service: say it as it happens
        return outcome.failed.count
    }
}
