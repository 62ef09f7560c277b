import Foundation
import HelpdeskCore

/// Which store holds the desk: a log file (the default), or a PostgreSQL database named by a URL.
public enum StoreLocation: Equatable, Sendable, CustomStringConvertible {
    case file(path: String)
    case postgres(url: String)

    /// `--store` (a URL or a file's path), else `--log`, else `$HELPDESK_STORE`, else
    /// `$HELPDESK_LOG`, else the file in `$XDG_DATA_HOME/helpdesk/`: an option beats the
    /// environment.
    public static func resolve(store: String?, log: String?,
                               environment: EnvironmentVariables = .process) -> StoreLocation {
        func given(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        if let store = given(store) { return parse(store) }
        if let log = given(log) { return .file(path: log) }
        if let store = given(environment["HELPDESK_STORE"]) { return parse(store) }
        if let log = given(environment["HELPDESK_LOG"]) { return .file(path: log) }
        let data = given(environment["XDG_DATA_HOME"]) ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return .file(path: data + "/helpdesk/desk.log")
    }

    /// A `postgres://` or `postgresql://` URL names a database; anything else is a file's path.
    public static func parse(_ text: String) -> StoreLocation {
        isDatabaseURL(text) ? .postgres(url: text) : .file(path: text)
    }

    public static func isDatabaseURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// The file's path, or the URL without its password: what messages and the status line show.
    public var description: String {
        switch self {
        case .file(let path): return path
        case .postgres(let url): return Self.redacted(url)
        }
    }

    /// The log file's path, for a file store.
    public var filePath: String? {
        if case .file(let path) = self { return path }
        return nil
    }

    /// `url` with any password (`user:secret@`, `password=…`) replaced by `***`.
    public static func redacted(_ url: String) -> String {
        var text = url
        if let scheme = text.range(of: "://"),
           let at = text[scheme.upperBound...].firstIndex(of: "@"),
           let colon = text[scheme.upperBound..<at].firstIndex(of: ":") {
            text.replaceSubrange(text.index(after: colon)..<at, with: "***")
        }
        if let range = text.range(of: "password=") {
            let end = text[range.upperBound...].firstIndex(where: { $0 == "&" || $0 == " " }) ?? text.endIndex
            text.replaceSubrange(range.upperBound..<end, with: "***")
        }
        return VisibleText.sanitize(text)
    }
}
