import Foundation
import HelpdeskCore
import HelpdeskMail

/// `reply --attach FILE`: the agent's files, checked and kept beside the log before the reply is recorded.
enum ReplyAttachments {
    static func store(_ paths: [String], desk: DeskOptions, mail: MailOptions) throws -> [AttachmentRef] {
        guard !paths.isEmpty else { return [] }
        let limit = try mail.load(logPath: desk.logPath, location: desk.location).attachmentLimit
        // Every file is read and checked before any is kept: a bad one leaves nothing behind.
        let files = try paths.map { path -> (name: String, bytes: [UInt8]) in
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw UserError(message: "cannot attach \(path): \(String(cString: strerror(errno)))", code: ExitStatus.noLog)
            }
            guard info.st_mode & S_IFMT == S_IFREG else {
                throw UserError(message: "cannot attach \(path): not a regular file", code: ExitStatus.usage)
            }
            guard Int(info.st_size) <= limit else {
                throw UserError(message: "cannot attach \(path): it is \(ChannelOutput.size(Int(info.st_size))); replies carry "
                                + "files up to \(ChannelOutput.size(limit)) (attachment_limit in the mail configuration)",
                                code: ExitStatus.refused)
            }
            guard let data = FileManager.default.contents(atPath: path), data.count <= limit else {
                throw UserError(message: "cannot attach \(path): it could not be read whole", code: ExitStatus.io)
            }
            return (URL(fileURLWithPath: path).lastPathComponent, Array(data))
        }
        let store = MailStore(location: desk.location)
        return try files.map { file in
            AttachmentRef(name: file.name, type: mimeType(of: file.name), size: file.bytes.count, sha256: try store.put(file.bytes))
        }
    }

    static let types: [String: String] = [
        "txt": "text/plain", "log": "text/plain", "csv": "text/csv", "html": "text/html", "pdf": "application/pdf",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
        "zip": "application/zip", "json": "application/json", "xml": "application/xml",
        "doc": "application/msword", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls": "application/vnd.ms-excel", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]

    static func mimeType(of name: String) -> String {
        types[URL(fileURLWithPath: name).pathExtension.lowercased()] ?? "application/octet-stream"
    }
}
