import ArgumentParser
import Foundation
import HelpdeskDesk
import HelpdeskLog
import HelpdeskMail

/// Options of the commands that take or send mail.
struct MailOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The mail configuration (default: LOG.mail/config.yaml beside the log, also for a desk in a database).", valueName: "path"))
    var mailConfig: String?

    /// `logPath`: the log file, or for a database desk where this host keeps its files.
    func setup(logPath: String, location: StoreLocation? = nil) -> MailSetup {
        MailSetup(configPath: mailConfig ?? MailConfig.defaultPath(forLog: logPath), required: mailConfig != nil,
                  location: location, logPath: logPath)
    }

    func load(logPath: String, location: StoreLocation? = nil) throws -> MailConfig {
        do {
            return try setup(logPath: logPath, location: location).load(logPath: logPath)
        } catch {
            throw UserError(message: error.message, code: error.unsafe ? ExitStatus.unsafe : ExitStatus.usage)
        }
    }
}

extension MailSending {
    /// In words, after what was recorded ("replied on ticket 4; mailed to …").
    var words: String {
        switch self {
        case .sent(let address): "mailed to \(address)"
        case .delivered(let channel): "delivered on \(channel)"
        case .undeliverable(let error): "NOT SENT: \(error)"
        case .notSetUp(let path): "mail queued; mail is not set up (no address in \(path)), so it waits for helpdesk deliver"
        case .failed(let error): "mail not sent yet (\(error)); helpdesk deliver will try again"
        case .waiting(let reason): "mail queued, not sent yet (\(reason)); helpdesk deliver will send it"
        }
    }
}
