import Foundation
import HelpdeskCore

/// What can go wrong with the log itself (as opposed to a command refused by the rules).
public enum LogError: Error, Equatable, CustomStringConvertible {
    case notFound(path: String)
    case alreadyExists(path: String)
    case io(path: String, operation: String, errno: Int32)
    /// A record that fails its check with valid records after it, or that cannot be applied.
    case damaged(path: String, offset: Int64, reason: String)
    case lockTimeout(path: String, seconds: Double)
    /// The file shrank below what this process had already read: someone truncated it.
    case truncated(path: String, size: Int64, expected: Int64)
    /// A file or folder beside the log that others could have planted or changed (a symlink,
    /// the wrong type or owner, writable by others): refused, with the fix in `reason`.
    case unsafe(path: String, reason: String)
    /// An intact record this binary cannot read: a newer helpdesk wrote it, in a log format
    /// (`format`), or with something (`unknown`: an event type, a value) this one does not know.
    /// Not damage.
    case newer(path: String, offset: Int64, format: Int?, unknown: String?)
    /// The database server could not be reached, or the connection to it was lost.
    case unreachable(store: String, reason: String)
    /// The database refused or failed a statement for a reason other than a lost connection.
    case database(store: String, reason: String)
    /// The file desk was moved to a database by `helpdesk migrate`: its file no longer takes writes.
    case moved(path: String, to: String)

    public var description: String {
        switch self {
        case .notFound(let path) where StoreLocation.isDatabaseURL(path):
            return "no desk in the database \(path); create one with: helpdesk init --store URL"
        case .notFound(let path):
            return "no desk log at \(path); create one with: helpdesk init --log \(path)"
        case .alreadyExists(let path):
            return "a desk log already exists at \(path)"
        case .io(let path, let operation, let errno):
            return "\(path): \(operation) failed: \(String(cString: strerror(errno)))"
        case .damaged(let path, let offset, let reason):
            return "\(path) is damaged at byte \(offset): \(reason); run: helpdesk fsck --log \(path)"
        case .lockTimeout(let path, let seconds):
            return "\(path) stayed locked by another process for \(Int(seconds)) s; try again"
        case .truncated(let path, let size, let expected):
            return "\(path) shrank to \(size) bytes while \(expected) were already read; reopen the desk"
        case .unsafe(let path, let reason):
            return "refused \(path): it \(reason)"
        case .newer(_, _, let format?, _):
            return "this desk was written by a newer helpdesk (format \(format), this one reads up to \(Rules.logFormat)): "
                + "upgrade helpdesk"
        case .newer(_, _, nil, let unknown):
            return "this desk was written by a newer helpdesk (\(VisibleText.sanitize(unknown ?? "a record it cannot read")), "
                + "this one reads up to format \(Rules.logFormat)): upgrade helpdesk"
        case .unreachable(let store, let reason):
            return "cannot reach the desk's database \(store): \(VisibleText.sanitize(reason))"
        case .database(let store, let reason):
            return "the desk's database \(store) failed: \(VisibleText.sanitize(reason))"
        case .moved(let path, let store):
            return "this desk moved to \(store): use --store \(store) (\(path) is kept read-only as it was)"
        }
    }

    /// What an intact record that could not be decoded at `offset` means: written by a newer
    /// helpdesk when it holds what this one does not know (an event type, a value), else damage.
    static func unreadable(path: String, offset: Int64, _ error: any Error) -> LogError {
        if let invalid = error as? RecordCodec.Invalid, let unknown = invalid.unknown {
            let format = invalid.format.flatMap { $0 > Rules.logFormat ? $0 : nil }
            return .newer(path: path, offset: offset, format: format, unknown: format == nil ? unknown : nil)
        }
        return .damaged(path: path, offset: offset, reason: "\(error)")
    }
}
