import Foundation
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// Hands a message to a sendmail-compatible command (`/usr/sbin/sendmail -t -i` by default, or
/// msmtp, or anything that reads a message on stdin and exits 0 once it has taken it).
public struct Sendmail: Sendable {
    public static let defaultCommand = "/usr/sbin/sendmail -t -i"

    /// A shell command line (run with /bin/sh -c, so quoting and variables work as in a shell).
    public var command: String
    /// How long the command may take before it is killed and the attempt counts as failed.
    public var timeout: TimeInterval

    public init(command: String = Sendmail.defaultCommand, timeout: TimeInterval = 60) {
        self.command = command
        self.timeout = timeout
    }

    /// The programs known to take `-f ADDRESS` for the envelope sender.
    public static let takesEnvelopeSender: Set<String> = ["sendmail", "msmtp", "exim", "exim4"]

    /// `command` with `-f ADDRESS` after its program (before any recipient it names), when the
    /// program takes it and the command names no sender (`-f`, `-r`, `--from`) of its own; else
    /// `command` as it is.
    public static func withEnvelopeSender(_ address: String, command: String) -> String {
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let program = words.first?.split(separator: "/").last.map(String.init),
              takesEnvelopeSender.contains(program), isPlainAddress(address),
              !words.dropFirst().contains(where: { $0.hasPrefix("-f") || $0.hasPrefix("-r") || $0.hasPrefix("--from") })
        else { return command }
        let start = command.firstIndex { $0 != " " && $0 != "\t" } ?? command.startIndex
        let end = command[start...].firstIndex { $0 == " " || $0 == "\t" } ?? command.endIndex
        return String(command[..<end]) + " -f " + address + String(command[end...])
    }

    /// An address that needs no quoting in a shell: letters, digits and `@.+-_=`, not starting with `-`.
    public static func isPlainAddress(_ address: String) -> Bool {
        !address.isEmpty && !address.hasPrefix("-")
            && address.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "@.+-_=".unicodeScalars.contains($0)) }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Runs the command with `message` on its stdin; returns once it exited 0, else throws with
    /// its exit status and what it said on stderr.
    public func send(_ message: [UInt8]) throws(Failure) {
        signal(SIGPIPE, SIG_IGN)  // a command that exits early must not kill us mid-write
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = errors
        do {
            // Without the desk's group: the line runs through /bin/sh with the person's PATH and
            // environment, so with the group any agent could have a program of theirs write the desk.
            try PersonsGroup.run(command) { try process.run() }
        } catch {
            throw Failure(message: "could not start \(command): \(error)")
        }
        // Read what it says while we write, so neither side can fill a pipe and wait for ever.
        let said = Collected()
        let reader = Thread {
            said.set(errors.fileHandleForReading.readDataToEndOfFile())
        }
        reader.start()
        var writeError: String?
        do {
            try input.fileHandleForWriting.write(contentsOf: message)
        } catch {
            writeError = "\(error)"
        }
        try? input.fileHandleForWriting.close()

        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        var killed = false
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                process.terminate()
                killed = true
                break
            }
            usleep(2_000)
        }
        process.waitUntilExit()
        let output = said.wait(seconds: 5)
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let detail = text.isEmpty ? "" : ": " + String(text.prefix(500)).replacingOccurrences(of: "\n", with: " / ")
        if killed { throw Failure(message: "\(command) took longer than \(Int(timeout)) s and was stopped\(detail)") }
        if process.terminationReason == .uncaughtSignal {
            throw Failure(message: "\(command) was killed by signal \(process.terminationStatus)\(detail)")
        }
        guard process.terminationStatus == 0 else {
            throw Failure(message: "\(command) exited with status \(process.terminationStatus)\(detail)")
        }
        if let writeError {
            throw Failure(message: "\(command) did not read the whole message (\(writeError))\(detail)")
        }
    }
}

/// What a reader thread collected, handed over once it is done.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var data: Data?

    func set(_ value: Data) {
        lock.withLock { data = value }
        done.signal()
    }

    func wait(seconds: TimeInterval) -> Data {
        _ = done.wait(timeout: .now() + seconds)
        return lock.withLock { data } ?? Data()
    }
}
