import Foundation
import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// Bytes as they came (an attachment, a raw mail) written to a file or standard output. They
/// may hold escape sequences, so, as gpg and curl do, they go to a terminal only with --force.
enum BinaryOutput {
    static func write(_ bytes: [UInt8], what: String, to output: String?, force: Bool,
                      stdoutIsTerminal: Bool = isatty(STDOUT_FILENO) == 1) throws {
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(bytes)) else {
                throw UserError(message: "cannot write \(output)", code: ExitStatus.io)
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
