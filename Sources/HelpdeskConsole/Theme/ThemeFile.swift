import Foundation
import HelpdeskLog
import Yams

/// A theme file in `Themes/NAME.yaml`:
///
///     palette:                 # names for colours, used below (optional)
///       accent: cyan
///     roles:                   # role: look
///       header: { fg: accent, bold: true }
///       selected-row: { reverse: true }
///
/// Colours are the eight ANSI names, `bright-` plus one of them, `default`, or 0-255.
/// Anything unknown is an error that names the file, the line and the key.
public enum ThemeFile {
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
    }

    static let attributes = ["fg", "bg", "bold", "reverse", "underline", "dim"]

    public static func load(path: String) throws -> Theme {
        let text: String
        do {
            // The person's file, read with their own group: a setgid helpdesk shows none of the desk's.
            text = try PersonsGroup.run(path) { try String(contentsOfFile: path, encoding: .utf8) }
        } catch {
            throw Problem(file: path, line: 0, message: "cannot read the theme file: \(error.localizedDescription)")
        }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try parse(text, name: name, file: path)
    }

    public static func parse(_ text: String, name: String, file: String) throws -> Theme {
        func problem(_ node: Node?, _ message: String) -> Problem {
            Problem(file: file, line: node?.mark?.line ?? 0, message: message)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Problem(file: file, line: 0, message: "not valid YAML: \(error)")
        }
        guard let root, let top = root.mapping else { throw problem(root, "a theme is a mapping with 'palette' and 'roles'") }
        var palette: [String: Colour] = [:]
        var looks = Theme.builtIn.looks
        for (key, value) in top {
            switch key.string {
            case "palette"?:
                guard let entries = value.mapping else { throw problem(value, "'palette' must map names to colours") }
                for (paletteKey, colourNode) in entries {
                    guard let paletteName = paletteKey.string, let colourName = colourNode.string,
                          let colour = Colour(name: colourName) else {
                        throw problem(colourNode, "unknown colour '\(colourNode.string ?? "?")' for palette key '\(paletteKey.string ?? "?")'")
                    }
                    palette[paletteName] = colour
                }
            case "roles"?:
                guard let entries = value.mapping else { throw problem(value, "'roles' must map roles to looks") }
                for (roleKey, lookNode) in entries {
                    guard let roleName = roleKey.string, let role = Role(rawValue: roleName) else {
                        throw problem(roleKey, "unknown role '\(roleKey.string ?? "?")' (known: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    looks[role] = try look(lookNode, role: roleName, palette: palette, problem: problem)
                }
            case "name"?:
                continue
            default:
                throw problem(key, "unknown key '\(key.string ?? "?")' (expected palette, roles)")
            }
        }
        return Theme(name: name, looks: looks)
    }

    private static func look(_ node: Node, role: String, palette: [String: Colour],
                             problem: (Node?, String) -> Problem) throws -> Look {
        guard let entries = node.mapping else { throw problem(node, "the look of '\(role)' must be a mapping such as { fg: red, bold: true }") }
        var look = Look()
        for (key, value) in entries {
            guard let attribute = key.string, attributes.contains(attribute) else {
                throw problem(key, "unknown key '\(key.string ?? "?")' in role '\(role)' (expected \(attributes.joined(separator: ", ")))")
            }
            if attribute == "fg" || attribute == "bg" {
                let name = value.string ?? ""
                guard let colour = palette[name] ?? Colour(name: name) else {
                    throw problem(value, "unknown colour '\(name)' for '\(attribute)' in role '\(role)'")
                }
                if attribute == "fg" { look.foreground = colour } else { look.background = colour }
                continue
            }
            guard let flag = value.bool else { throw problem(value, "'\(attribute)' in role '\(role)' must be true or false") }
            switch attribute {
            case "bold": look.bold = flag
            case "reverse": look.reverse = flag
            case "underline": look.underline = flag
            default: look.dim = flag
            }
        }
        return look
    }

    /// Finds a theme by name: a path as given, else `NAME.yaml` in the theme folders.
    public static func find(_ name: String, in folders: [String]) -> String? {
        if name.contains("/") { return name }
        return folders.map { "\($0)/\(name).yaml" }.first { FileManager.default.fileExists(atPath: $0) }
    }
}
