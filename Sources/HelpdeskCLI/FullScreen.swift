import ArgumentParser
import Foundation
import HelpdeskConsole

/// What the console and the wallboard share on the command line: the theme and colours they draw
/// with, and how a full-screen run ends.
enum FullScreen {
    /// The theme --theme names (else the environment's), a bad theme file being a usage error.
    static func theme(named name: String?, environment: [String: String]) throws -> Theme {
        do {
            return try ThemeChoice.resolve(name: name, environment: environment, executable: runningExecutable())
        } catch let problem as ThemeFile.Problem {
            throw UserError(message: "theme: \(problem)", code: ExitStatus.usage)
        }
    }

    /// The binary's own path, whatever directory it was started from: argv[0] is only `helpdesk`
    /// when the shell found it on $PATH, which would make the themes beside it relative to the cwd.
    static func runningExecutable() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return CommandLine.arguments.first ?? "helpdesk"
    }

    /// NO_COLOR=1 draws with bold and reverse only.
    static func useColour(environment: [String: String]) -> Bool {
        (environment["NO_COLOR"] ?? "").isEmpty
    }

    /// Runs a screen: a terminal it cannot start on is the user's error, its non-zero status the exit code.
    static func run(_ screen: () throws -> Int32) throws {
        let status: Int32
        do {
            status = try screen()
        } catch let error as CursesScreen.StartError {
            throw UserError(message: error.description)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
