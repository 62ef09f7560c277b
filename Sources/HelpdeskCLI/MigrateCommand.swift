import ArgumentParser
import Foundation
import HelpdeskLog
import HelpdeskMail

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move a file desk into a PostgreSQL database; the file then refuses writes.",
        discussion: """
            Holds the log's lock throughout, checks every record (its checksum, its seq, that it \
            can be read) and copies it byte for byte, with the desk's tables, in one transaction; \
            then writes desk.log.moved beside the log, so commands that would write the file \
            refuse (exit 66) and name the database. Reading the file still works. Run it again \
            after an interruption: it goes on from what the database holds, and says when there \
            is nothing left to do. A database holding another desk is refused.
            """)

    @Option(help: ArgumentHelp("The desk's log file.", valueName: "path"))
    var from: String

    @Option(help: ArgumentHelp("The database: postgres://user@host:port/db, or postgresql:///db?host=/run/postgresql.",
                               valueName: "url"))
    var to: String

    func validate() throws {
        guard StoreLocation.isDatabaseURL(to) else {
            throw ValidationError("--to must be a postgres:// or postgresql:// URL")
        }
    }

    func run() throws {
        let started = ProcessInfo.processInfo.systemUptime
        let line = ProgressLine("moving the desk")
        let outcome: Migration.Outcome
        do {
            defer { line.finish() }
            var migration = Migration(from: from, to: to)
            migration.mail = MailStore(logPath: from).fileContents
            outcome = try migration.run { done, total in
                line.update(done >> 20, of: total >> 20, unit: "MB")
            }
        } catch let refused as Migration.Refused {
            throw UserError(message: refused.description)
        }
        let seconds = String(format: "%.1f", ProcessInfo.processInfo.systemUptime - started)
        let size = String(format: "%.1f MB", Double(outcome.copiedBytes) / 1_048_576)
        if outcome.nothingToDo {
            Output.say("nothing left to do: \(from) was already moved to \(outcome.store)")
        } else if outcome.copiedRecords == 0 {
            Output.say("every record was already in \(outcome.store); marked \(from) moved: the file now refuses writes")
        } else {
            let after = outcome.alreadyThere > 0 ? " after the \(outcome.alreadyThere) already there" : ""
            Output.say("moved \(outcome.copiedRecords) records (\(size)) to \(outcome.store)\(after) in \(seconds) s; "
                + "the file now refuses writes")
        }
    }
}
