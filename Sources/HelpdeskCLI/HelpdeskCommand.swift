import ArgumentParser
import CBuildInfo
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

/// `helpdesk`: the root command. Every action of the desk has a subcommand here.
public struct HelpdeskCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "helpdesk",
        abstract: "A terminal helpdesk: a shared ticket queue kept in one append-only log.",
        discussion: """
            The log is found at --log PATH, else $HELPDESK_LOG, else $XDG_DATA_HOME/helpdesk/desk.log \
            (~/.local/share/helpdesk/desk.log).

            Exit codes: 0 done; 1 refused by a rule; 64 usage error; 65 the log is damaged \
            (see helpdesk fsck); 66 no log at \
            that path (or the desk moved to a database: see helpdesk migrate); 74 an I/O error; 75 the log stayed locked (or a reply's mail failed: helpdesk deliver retries it); 76 the log was written by a newer \
            helpdesk (upgrade this one); 77 a file beside the log was refused as unsafe; 69 the desk's \
            database could not be reached; 127 a shared library this command needs is missing.
            """,
        version: version,
        // Every command names itself (commandName, or a raw value): a name derived from the type
        // (String(describing:)) searches all the binary's protocol conformances.
        subcommands: subcommandNames.map { subcommand(named: $0)! },
        defaultSubcommand: ConsoleCommand.self
    )

    public init() {}

    /// `.ci/package` builds in the version from git describe; 0.0.0-dev from a plain build.
    static var version: String { String(cString: helpdesk_build_version()) }

    /// Runs the command line, turning refusals and log errors into one line on stderr and
    /// the documented exit code; usage errors are left to the argument parser (64).
    public static func run(_ arguments: [String]? = nil) -> Never {
        do {
            let line = arguments ?? Array(CommandLine.arguments.dropFirst())
            if line == ["--version"] {
                // What the argument parser would print, without building every command's description first.
                print(version)
            } else if let quick = QuickRead(line) {
                try quick.run()
            } else {
                var command = try parsedDirectly(line) ?? parseAsRoot(arguments)
                try command.run()
            }
            exitAfterAnswer(0)
        } catch let refusal as Refusal {
            fail(refusal.inCommandLineWords, code: ExitStatus.refused)
        } catch let error as LogError {
            fail(error.description, code: ExitStatus.code(for: error))
        } catch let error as UserError {
            fail(error.message, code: error.code)
        } catch let error as Identity.Failure {
            fail(error.description, code: ExitStatus.refused)
        } catch let error as Courier.Failure {
            switch error {
            case .notSetUp: fail(error.description, code: ExitStatus.refused)
            case .locked: fail(error.description, code: ExitStatus.locked)
            }
        } catch {
            // The argument parser's words (usage errors quote the command line; help) made safe
            // to print, where `exit(withError:)` would print them as they are.
            let text = VisibleText.sanitize(fullMessage(for: error), keepNewlines: true)
            let code = exitCode(for: error)
            if code == .success {
                if !text.isEmpty { print(text) }
            } else if !text.isEmpty {
                FileHandle.standardError.write(Data((text + "\n").utf8))
            }
            exitAfterAnswer(code.rawValue)
        }
    }

    static func fail(_ message: String, code: Int32) -> Never {
        Output.warn(message)
        exitAfterAnswer(code)
    }

    /// Ends the process once its answer is out, leaving a snapshot behind when the read replayed
    /// much of the log (see `SnapshotAfterAnswer`).
    static func exitAfterAnswer(_ code: Int32) -> Never {
        SnapshotAfterAnswer.process.finish()
        Foundation.exit(code)
    }
}

/// The exit codes scripts can rely on (sysexits.h where one fits).
enum ExitStatus {
    static let refused: Int32 = 1
    static let usage: Int32 = 64
    static let damaged: Int32 = 65
    static let noLog: Int32 = 66
    static let io: Int32 = 74
    static let locked: Int32 = 75
    /// EX_TEMPFAIL too: a reply is recorded but its mail failed; `helpdesk deliver` retries it.
    static let mailNotSent: Int32 = 75
    /// EX_PROTOCOL: the log holds records of a format or event type this binary does not know.
    static let newer: Int32 = 76
    static let unsafe: Int32 = 77
    /// EX_UNAVAILABLE: the desk's database could not be reached.
    static let unavailable: Int32 = 69

    static func code(for error: LogError) -> Int32 {
        switch error {
        case .damaged, .truncated: return damaged
        case .notFound: return noLog
        case .alreadyExists: return refused
        case .io: return io
        case .lockTimeout: return locked
        case .unsafe: return unsafe
        case .newer: return newer
        case .unreachable: return unavailable
        case .database: return io
        case .moved: return noLog
        }
    }
}

/// A problem with what the user asked that is not a rule of the desk (an editor that failed,
/// `--as` without the right), with its exit code.
struct UserError: Error {
    var message: String
    var code: Int32 = ExitStatus.refused
}
