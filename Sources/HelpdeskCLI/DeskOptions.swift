import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

/// Options every command that touches the desk takes.
struct DeskOptions: ParsableArguments, DeskChoosing {
    @Option(name: .long, help: ArgumentHelp(
        "Where the desk is kept: a PostgreSQL URL (postgres://user@host:port/db, postgresql:///db?host=/run/postgresql) "
            + "or a log file (default: $HELPDESK_STORE, else the log file).", valueName: "url-or-path"))
    var store: String?

    @Option(name: .long, help: "The desk's log file (default: $HELPDESK_LOG, else $XDG_DATA_HOME/helpdesk/desk.log).")
    var log: String?

    @Option(name: .customLong("as"), help: ArgumentHelp(
        "Act as this roster agent (root only; recorded in the log).", valueName: "agent"))
    var actAs: String?

    /// The same choice as plain values, for code that runs without the argument parser.
    var choice: DeskChoice { DeskChoice(store: store, log: log, actAs: actAs) }
}

/// The desk a command works on and who acts: `--store`, `--log` and `--as`.
protocol DeskChoosing {
    var store: String? { get }
    var log: String? { get }
    var actAs: String? { get }
}

/// `DeskOptions` without the argument parser: `QuickRead` runs a command line it has read itself.
struct DeskChoice: DeskChoosing, Equatable {
    var store: String? = nil
    var log: String? = nil
    var actAs: String? = nil

    /// For tests: `1` has a read say on stderr whether it opened from a snapshot or by replaying.
    static let reportOpeningVariable = "HELPDESK_TEST_REPORT_OPENING"
}

extension DeskChoosing {
    /// The file or database that keeps the desk's records.
    var location: StoreLocation {
        StoreLocation.resolve(store: store, log: log)
    }

    /// The log file; for a desk in a database, where this host keeps the files beside it (the
    /// mail configuration), named as the log file would be.
    var logPath: String {
        location.filePath ?? LogLocation.resolve(option: log)
    }

    /// Opens the desk for reading (for the roster's agents alone, when the roster decides: see `DeskAdmission`).
    func openForReading() throws -> DeskLog {
        let log = try DeskLog.openShowingProgress(location, writable: false).reportingRepairs()
        try DeskAdmission.check(log.desk, logPath: logPath)
        if getenv(DeskChoice.reportOpeningVariable).map({ String(cString: $0) }) == "1" {
            let covered = log.snapshotCovers.seq
            let from = log.snapshotMissing ? "a checkpoint" : "the snapshot"
            Output.warn(covered > 0 ? "opened from \(from) to record \(covered), then \(log.desk.lastSeq - covered) records"
                                    : "opened by replaying \(log.desk.lastSeq) records")
        }
        // A read that replayed much of the log leaves a snapshot, so the next command need not:
        // written once it has answered.
        SnapshotAfterAnswer.process.note(log)
        return log
    }

    /// The desk's road (see `DeskService`), acted on by whoever runs the command (or `--as`);
    /// with `mail`, the mail a change queues is sent at once.
    func service(mail: MailOptions? = nil) throws -> DeskService {
        let service = try DeskLog.loadingShowingProgress({ progress in
            try DeskService(location: location, actingAs: actAs, clock: SystemClock.now, mail: mail?.setup(logPath: logPath, location: location),
                            progress: progress)
        }, log: \.log)
        _ = service.log.reportingRepairs()
        return service
    }

    /// Opens the desk, works out who is acting, and appends what `command` decides.
    @discardableResult
    func perform(mail: MailOptions? = nil, _ command: (Desk, Date) throws(Refusal) -> Command) throws -> DeskService.Performed {
        try service(mail: mail).perform(command)
    }

    @discardableResult
    func perform(_ command: Command, mail: MailOptions? = nil) throws -> DeskService.Performed {
        try perform(mail: mail) { _, _ in command }
    }
}

/// Where the log is when no one says.
enum LogLocation {
    static func resolve(option: String?, environment: EnvironmentVariables = .process) -> String {
        if let option, !option.isEmpty { return option }
        if let path = environment["HELPDESK_LOG"], !path.isEmpty { return path }
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return data + "/helpdesk/desk.log"
    }
}
