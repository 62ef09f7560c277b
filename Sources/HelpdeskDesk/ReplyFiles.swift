import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskMail

/// The agent's files sent with a reply (`reply --attach`, the console's `a`): each checked (a
/// regular file, within the mail configuration's attachment limit, read whole) and then kept
/// beside the log, before the reply that names them is recorded.
public enum ReplyFiles {
    /// Why a file cannot be attached; `description` is what both programs say.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case cannotOpen(path: String, reason: String)
        case notRegular(path: String)
        case tooLarge(path: String, size: Int, limit: Int)
        case unreadable(path: String)
        /// Checked and read, but not kept beside the log.
        case notKept(path: String, reason: String)
        /// The mail configuration, which sets the limit, cannot be used.
        case badConfiguration(message: String)

        public var description: String {
            switch self {
            case .cannotOpen(let path, let reason): "cannot attach \(path): \(reason)"
            case .notRegular(let path): "cannot attach \(path): not a regular file"
            case .tooLarge(let path, let size, let limit):
                "cannot attach \(path): it is \(ByteSize.words(size)); replies carry files up to \(ByteSize.words(limit)) "
                    + "(attachment_limit in the mail configuration)"
            case .unreadable(let path): "cannot attach \(path): it could not be read whole"
            case .notKept(let path, let reason): "cannot attach \(path): \(reason)"
            case .badConfiguration(let message): "cannot attach files: \(message)"
            }
        }
    }

    /// A file read and checked, not yet kept.
    public struct File: Sendable {
        public var path: String
        public var name: String
        public var bytes: [UInt8]
    }

    /// Reads every file and checks it before any is kept: a bad one leaves nothing behind.
    public static func read(_ paths: [String], limit: Int) throws(Problem) -> [File] {
        var files: [File] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
            guard info.st_mode & S_IFMT == S_IFREG else { throw .notRegular(path: path) }
            guard Int(info.st_size) <= limit else { throw .tooLarge(path: path, size: Int(info.st_size), limit: limit) }
            guard let data = FileManager.default.contents(atPath: path), data.count <= limit else {
                throw .unreadable(path: path)
            }
            files.append(File(path: path, name: URL(fileURLWithPath: path).lastPathComponent, bytes: Array(data)))
        }
        return files
    }

    /// Keeps the files beside the desk's log, as incoming attachments are kept.
    public static func keep(_ files: [File], in store: MailStore) throws -> [AttachmentRef] {
        try files.map { file in
            AttachmentRef(name: file.name, type: mimeType(of: file.name), size: file.bytes.count, sha256: try store.put(file.bytes))
        }
    }

    /// Reads, checks and keeps the files at `paths` for a reply on the desk at `location`, with
    /// the attachment limit of the mail configuration `mail` (the default limit without one).
    public static func attach(_ paths: [String], setup mail: MailSetup?, logPath: String,
                              location: StoreLocation) throws -> [AttachmentRef] {
        guard !paths.isEmpty else { return [] }
        let limit: Int
        do {
            limit = try mail?.load(logPath: logPath).attachmentLimit ?? MailConfig().attachmentLimit
        } catch {
            throw Problem.badConfiguration(message: error.message)
        }
        let files = try read(paths, limit: limit)
        do {
            return try keep(files, in: MailStore(location: location))
        } catch {
            throw Problem.notKept(path: files.first?.path ?? paths[0], reason: "\(error)")
        }
    }

    static let types: [String: String] = [
        "txt": "text/plain", "log": "text/plain", "csv": "text/csv", "html": "text/html", "pdf": "application/pdf",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
        "zip": "application/zip", "json": "application/json", "xml": "application/xml",
        "doc": "application/msword", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls": "application/vnd.ms-excel", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]

    public static func mimeType(of name: String) -> String {
        types[URL(fileURLWithPath: name).pathExtension.lowercased()] ?? "application/octet-stream"
    }
}
