import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog
import HelpdeskMail

/// `helpdesk ingest`: one RFC 5322 message on stdin, as an MTA pipes it; or, with --json, one
/// JSON object per line from chat and social-media bridges and web forms.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Take one mail message from standard input (for an MTA), or JSON lines with --json.",
        discussion: """
            Mail: the raw message and its attachments are kept in LOG.mail/ (a desk in a database: in \
            its table helpdesk_blobs) before the log records it; the message is threaded onto a ticket (the same Message-ID and bytes as before is a \
            duplicate and adds nothing, while other bytes under a known Message-ID are kept, with a note; \
            then In-Reply-To/References; then a [#ID] subject tag; else a new ticket for the sender). \
            Mail that cannot be read, and automatic mail for no ticket, is kept in the quarantine \
            (helpdesk quarantine list), as is mail from a blocked sender (helpdesk block). Exit 0 once the mail is safe; 75 (EX_TEMPFAIL) when \
            the log stayed locked, the disk is full or the desk cannot be written, so the MTA tries \
            again later and nothing is lost; 65 (EX_DATAERR) for a message of more than 100 MiB \
            to a desk in a database (it keeps no bigger piece), which the MTA bounces.

            --json: each line {"channel","customer":{"email","name","phone"},"subject","body",\
            "external_id","ticket"?}; a line whose (channel, external_id) was taken before adds nothing. \
            Each line gets one JSON line on stdout (its ticket, or its error with the field); bad lines \
            are also named on stderr, and the good ones are still taken; a line from a blocked sender gets \
            {"error":"blocked"} and is not counted as bad. Exit 0 when every line was \
            good, 65 when some were bad, 75 when the log stayed locked (lines before it were taken).
            """)

    @Option(name: .long, help: ArgumentHelp(
        "Where the desk is kept: a PostgreSQL URL or a log file (default: $HELPDESK_STORE, else the log file).",
        valueName: "url-or-path"))
    var store: String?
    @Option(help: ArgumentHelp("The desk's log file (default: $HELPDESK_LOG, else $XDG_DATA_HOME/helpdesk/desk.log); "
                               + "for a desk in a database, where this host keeps its mail configuration."))
    var log: String?
    @OptionGroup var mail: MailOptions
    @Flag(help: "Read JSON lines (chat, social media, web forms) instead of one mail message.")
    var json = false
    @Option(help: "Seconds to wait for the log's lock before giving up with exit 75.")
    var lockTimeout: Double = 30

    var location: StoreLocation {
        StoreLocation.resolve(store: store, log: log)
    }
    var logPath: String {
        location.filePath ?? LogLocation.resolve(option: log)
    }

    func run() throws {
        if json {
            try JSONIntake(location: location, lockTimeout: lockTimeout).run()
        } else {
            try MailIntake(location: location, logPath: logPath, options: mail, lockTimeout: lockTimeout).run()
        }
    }
}

/// Temporary failures of intake: the sender (an MTA, a bridge) should try again later.
func temporaryFailure(_ error: Error) -> UserError {
    UserError(message: "\(error) (temporary failure: try again later)", code: ExitStatus.locked)
}

struct MailIntake {
    let location: StoreLocation
    /// The log file, or for a database desk where this host keeps its mail configuration.
    let logPath: String
    let options: MailOptions
    let lockTimeout: TimeInterval

    func run() throws {
        let bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        let config: MailConfig
        do {
            config = try options.setup(logPath: logPath, location: location).load(logPath: logPath)
        } catch {
            throw temporaryFailure(error)  // a broken configuration is fixed by a person; keep the mail meanwhile
        }
        do {
            try take(bytes, config: config)
        } catch let error as UserError {
            throw error
        } catch let error as StoreError {
            guard case .tooLarge = error else { throw temporaryFailure(error) }
            throw UserError(message: "\(error); the message was not taken", code: ExitStatus.damaged)  // a retry cannot help
        } catch {
            throw temporaryFailure(error)
        }
    }

    private func take(_ bytes: [UInt8], config: MailConfig) throws {
        let log = try DeskLog(location: location, writable: true).reportingRepairs()
        log.lockTimeout = lockTimeout
        let via = try? Identity.currentAccount()
        let desk = DeskService(log: log, identity: Identity(actor: Intake.mailActor, via: via), clock: SystemClock.now,
                               mail: options.setup(logPath: logPath, location: location))
        let taken = try MailIngest(desk: desk, config: config, store: MailStore(location: location)).take(bytes)
        switch taken.outcome {
        case .duplicate(let ticket):
            Output.say("already taken: message <\(taken.externalID ?? "")> is on ticket \(ticket)")
        case .added(let ticket, let threading, let automatic):
            let how = switch threading {
            case .reference: "by In-Reply-To/References"
            case .subjectTag: "by its subject tag"
            default: "as named"
            }
            print("added to ticket \(ticket) (\(how))" + (automatic.map { "; \($0.rawValue) mail, recorded only" } ?? ""))
        case .opened(let ticket, let acknowledgement):
            print("opened ticket \(ticket)")
            if let acknowledgement { Output.say("acknowledgement: \(acknowledgement.words)") }
        case .quarantined(let raw, let reason):
            Output.say("quarantined \(raw.prefix(12)): \(reason)")
        }
        if let reusedFrom = taken.reusedFrom {
            Output.say("its Message-ID <\(taken.externalID ?? "")> was used before by another message (on ticket \(reusedFrom)); "
                       + "it is kept as a message of its own, with a note")
        }
    }
}
