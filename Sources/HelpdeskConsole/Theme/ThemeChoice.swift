import Foundation
import HelpdeskLog
import Yams

/// Which theme the console uses: --theme, else `theme:` in the config file, else the built-in one.
public enum ThemeChoice {
    /// Where theme files are looked for, first match wins.
    public static func folders(environment: [String: String], executable: String) -> [String] {
        var folders: [String] = []
        if let own = environment["HELPDESK_THEMES"], !own.isEmpty { folders.append(own) }
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (environment["HOME"] ?? "") + "/.config"
        folders.append(config + "/helpdesk/themes")
        let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        folders.append(binary.appendingPathComponent("../share/helpdesk/themes").standardized.path)
        // Run from a checkout (.build/debug/helpdesk is .build/<triple>/debug/helpdesk): the package's Themes.
        folders.append(binary.appendingPathComponent("../../../Themes").standardized.path)
        folders.append(binary.appendingPathComponent("../../Themes").standardized.path)
        folders.append("/usr/local/share/helpdesk/themes")
        folders.append("/usr/share/helpdesk/themes")
        return folders
    }

    /// The config file's `theme:` value, if there is a config file.
    public static func configuredTheme(environment: [String: String]) throws -> String? {
        try UserConfig.values(environment: environment)["theme"]?.value
    }

    public static func resolve(name: String?, environment: [String: String], executable: String) throws -> Theme {
        guard let name = try name ?? configuredTheme(environment: environment), name != "default" || false else {
            return .builtIn
        }
        let folders = folders(environment: environment, executable: executable)
        guard let path = ThemeFile.find(name, in: folders) else {
            throw ThemeFile.Problem(file: name, line: 0, message: "no theme '\(name)' in \(folders.joined(separator: ", "))")
        }
        return try ThemeFile.load(path: path)
    }
}
