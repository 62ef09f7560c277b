import Foundation
import HelpdeskCore
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// Bytes as they came (an attachment, a raw mail) written to a file or standard output. They
/// may hold escape sequences, so, as gpg and curl do, they go to a terminal only with --force.
enum BinaryOutput {
    static func write(_ bytes: [UInt8], what: String, to output: String?, force: Bool,
                      stdoutIsTerminal: Bool = isatty(STDOUT_FILENO) == 1) throws {
        if let output {
            let file = try OutputFile.create(output)
            defer { try? file.close() }
            do {
                try file.write(contentsOf: Data(bytes))
            } catch {
                throw UserError(message: "cannot write \(output): \(error.localizedDescription)", code: ExitStatus.io)
            }
            FileHandle.standardError.write(Data((VisibleText.sanitize("wrote \(what) (\(bytes.count) bytes) to \(output)") + "\n").utf8))
            return
        }
        guard force || !stdoutIsTerminal else {
            throw UserError(message: "not writing \(what) to a terminal: it is written as it came and may hold control "
                            + "sequences; use -o FILE, a pipe, or --force", code: ExitStatus.usage)
        }
        try FileHandle.standardOutput.write(contentsOf: Data(bytes))
    }
}

/// A file named on the command line (`-o FILE`), opened for writing.
enum OutputFile {
    /// Never through a symlink: one planted where the file is to go (in /tmp, in a shared
    /// folder) would redirect what the desk writes into a file of the planter's choosing. Opened
    /// with the person's own group, so a setgid helpdesk writes only where they could.
    static func create(_ path: String) throws -> FileHandle {
        let fd = try PersonsGroup.run(path) { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o666) }
        guard fd >= 0 else {
            throw UserError(message: "cannot write \(path): \(String(cString: strerror(errno)))", code: ExitStatus.io)
        }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }
}
