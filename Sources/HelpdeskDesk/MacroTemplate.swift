import Foundation
import HelpdeskCore
import Mustache

/// A macro's text as a Mustache template (swift-mustache), rendered as plain text: customer
/// text goes in as it is, never HTML-escaped, and is data whatever bytes it holds.
public struct MacroTemplate {
    private let template: MustacheTemplate

    /// Parses `text`; refuses it when it is not a template or when it names anything but
    /// `Macro.placeholders`, naming the first such name.
    public init(_ text: String) throws(Refusal) {
        do {
            // The pragma turns HTML escaping off. On a line of its own it is a standalone tag, which
            // Mustache removes with its line break: the text after it renders from its first byte.
            template = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}\n" + text)
        } catch let error as MustacheTemplate.ParserError {
            throw Refusal(.invalid, "the macro's text is not a valid template: \(error.error) at line \(error.context.lineNumber - 1), "
                          + "column \(error.context.columnNumber)")
        } catch {
            throw Refusal(.invalid, "the macro's text is not a valid template: \(error)")
        }
        let probe = PlaceholderProbe()
        _ = template.render(probe)
        if let unknown = probe.unknown {
            throw Refusal(.invalid, "unknown placeholder {{\(unknown)}} in the macro's text; use "
                          + Macro.placeholders.map { "{{\($0)}}" }.joined(separator: ", "))
        }
    }

    /// The text with `values` (by object, then field; see `Macro.placeholderValues`) put in.
    public func render(_ values: [String: [String: String]]) -> String {
        template.render(values)
    }
}

/// Stands in for every value while a template is rendered once, noting each name it is asked
/// for: a name that is not a placeholder, or an object (`customer`) rendered as text, is unknown.
private final class PlaceholderProbe: MustacheParent, CustomStringConvertible {
    private let path: String
    private let root: PlaceholderProbe?
    private var firstUnknown: String?

    init(path: String = "", root: PlaceholderProbe? = nil) {
        self.path = path
        self.root = root
    }

    var unknown: String? { firstUnknown }

    private static let objects = Set(Macro.placeholders.map { String($0.prefix { $0 != "." }) })

    private func note(_ name: String) {
        let top = root ?? self
        if top.firstUnknown == nil { top.firstUnknown = name }
    }

    func child(named name: String) -> Any? {
        let childPath = path.isEmpty ? name : path + "." + name
        if !Macro.placeholders.contains(childPath), !PlaceholderProbe.objects.contains(childPath) { note(childPath) }
        return PlaceholderProbe(path: childPath, root: root ?? self)
    }

    var description: String {
        if !Macro.placeholders.contains(path) { note(path.isEmpty ? "." : path) }
        return ""
    }
}
