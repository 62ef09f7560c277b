import Foundation
import HelpdeskLog
import Yams

/// The agent's own settings, `~/.config/helpdesk/config.yaml` (or under $XDG_CONFIG_HOME):
/// `theme:` (a theme's name) and `notify:` (bell, desktop, both or none).
public enum UserConfig {
    public static let keys = ["theme", "notify"]

    public static func path(environment: [String: String]) -> String {
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (environment["HOME"] ?? "") + "/.config"
        return config + "/helpdesk/config.yaml"
    }

    /// Each key's value and line; an unknown key is a problem naming the file and line.
    static func values(environment: [String: String]) throws -> [String: (value: String?, line: Int)] {
        let path = path(environment: environment)
        guard let text = try? PersonsGroup.run(path, { try String(contentsOfFile: path, encoding: .utf8) }) else { return [:] }
        guard let node = try Yams.compose(yaml: text), let mapping = node.mapping else { return [:] }
        var values: [String: (value: String?, line: Int)] = [:]
        for (key, value) in mapping {
            let line = key.mark?.line ?? 0
            guard let name = key.string, keys.contains(name) else {
                throw ThemeFile.Problem(file: path, line: line,
                                        message: "unknown key '\(key.string ?? "?")' (expected \(keys.joined(separator: " or ")))")
            }
            values[name] = (value.string, line)
        }
        return values
    }

    /// `notify:`, the bell when the file says nothing.
    public static func notify(environment: [String: String]) throws -> NotifyStyle {
        guard let entry = try values(environment: environment)["notify"] else { return .bell }
        guard let text = entry.value, let style = NotifyStyle(rawValue: text) else {
            throw ThemeFile.Problem(file: path(environment: environment), line: entry.line,
                                    message: "notify should be one of \(NotifyStyle.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return style
    }
}
