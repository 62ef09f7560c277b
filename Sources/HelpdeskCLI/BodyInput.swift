import Foundation
import HelpdeskConsole
#if canImport(Glibc)
import Glibc
#endif

/// Where a message body comes from: --body, else standard input when it is not a terminal,
/// else $VISUAL / $EDITOR on a temporary file.
enum BodyInput {
    static func read(_ option: String?, what: String, allowEditor: Bool = true) throws -> String? {
        if let option { return option }
        if isatty(STDIN_FILENO) == 0 {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return String(decoding: data, as: UTF8.self)
        }
        guard allowEditor else { return nil }
        return try edit(what: what)
    }

    /// Runs the user's editor on an empty temporary file; an empty file means no body.
    static func edit(what: String) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        guard let editor = environment["VISUAL"].flatMap({ $0.isEmpty ? nil : $0 })
            ?? environment["EDITOR"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw UserError(message: "no \(what) given: use --body, pipe it on standard input, or set $EDITOR",
                            code: ExitStatus.usage)
        }
        var template = Array((NSTemporaryDirectory() + "helpdesk-XXXXXX.txt").utf8CString)
        let fd = mkstemps(&template, 4)
        guard fd >= 0 else { throw UserError(message: "cannot create a temporary file for the editor") }
        close(fd)
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        let status = EditorRunner.run(["/bin/sh", "-c", "\(editor) \"$1\"", "sh", path])
        guard status == 0 else {
            throw UserError(message: "the editor (\(editor)) failed with status \(status); nothing was sent")
        }
        let text = EditorRunner.readDraft(path) ?? ""
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw UserError(message: "the \(what) is empty; nothing was sent")
        }
        return text
    }
}
