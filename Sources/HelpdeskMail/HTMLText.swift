import CLibXML2
import Foundation

/// HTML mail turned into text a person can read in a terminal: paragraphs and line breaks kept,
/// lists as "- " lines (nested lists indented), links as "text (url)", images as their alt text,
/// table cells apart, scripts, styles and comments dropped, white space collapsed (except in
/// <pre>). libxml2's HTML parser reads the markup: it recovers from broken HTML as browsers do
/// and decodes the entities; this file only walks the tree it builds.
public enum HTMLText {
    public static func text(fromHTML html: String) -> String {
        _ = libxml2Started
        // MailParser has already decoded the charset: the bytes are UTF-8 whatever a <meta> says.
        let document = HTMLInput.prepared(html).withUnsafeBufferPointer { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { bytes in
                htmlReadMemory(bytes.baseAddress, Int32(clamping: bytes.count), nil, "UTF-8", options)
            }
        }
        guard let document else { return "" }
        defer { xmlFreeDoc(document) }
        var walker = Walker()
        walker.walk(document)
        return walker.writer.finish()
    }

    /// Recover from any markup, stay quiet about it, never fetch anything, trust no <meta> charset.
    /// Not HTML_PARSE_NOBLANKS: it drops the white space between inline elements ("<b>a</b> <i>b</i>").
    /// Not HTML_PARSE_HUGE: without it libxml2 stops nesting at 256 levels, so a hostile page
    /// cannot make it (or the tree) deep without bound.
    private static let options = Int32(bitPattern: HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
        | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)

    /// libxml2's one-time set-up, done once before any thread parses.
    private static let libxml2Started: Void = xmlInitParser()

    private struct Walker {
        var writer = PlainTextWriter()
        var listDepth = 0
        var preDepth = 0
        var links: [(href: String, labelStart: Int)] = []

        /// Visits every node in document order by following the tree's own child, sibling and
        /// parent pointers: no recursion, so no depth of nesting can exhaust the stack.
        mutating func walk(_ document: htmlDocPtr) {
            var node = document.pointee.children
            var depth = 0
            while let current = node {
                if enter(current), let child = current.pointee.children {
                    node = child
                    depth += 1
                    continue
                }
                var finished = current
                node = nil
                while true {
                    leave(finished)
                    if let next = finished.pointee.next {
                        node = next
                        break
                    }
                    guard depth > 0, let parent = finished.pointee.parent else { break }
                    depth -= 1
                    finished = parent
                }
            }
        }

        /// Writes what comes before a node's children; false when they are not to be visited.
        mutating func enter(_ node: xmlNodePtr) -> Bool {
            if node.pointee.type == XML_TEXT_NODE {
                if let content = node.pointee.content { writer.text(UnsafeBufferPointer(start: content, count: strlen(content))) }
                return false
            }
            guard node.pointee.type == XML_ELEMENT_NODE else { return false }  // comments, doctype, CDATA
            switch name(of: node) {
            case "script", "style", "head", "title", "template", "xml":  // <xml>: Word's settings
                return false
            case "br":
                writer.lineBreak()
            case "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "dl":
                writer.breakLine(blank: true)
            case "ul", "ol":
                writer.breakLine(blank: listDepth == 0)  // a nested list goes on under its item
                listDepth += 1
            case "pre":
                writer.breakLine(blank: true)
                preDepth += 1
                writer.preformatted = true
            case "li":
                writer.breakLine()
                writer.literal(String(repeating: "  ", count: max(listDepth - 1, 0)) + "- ")
            case "td", "th":
                if !writer.atLineStart { writer.literal("  ") }
            case "hr":
                writer.breakLine()
                writer.literal("----")
                writer.breakLine()
            case "img":
                if let alt = attribute("alt", of: node), !alt.trimmingCharacters(in: .whitespaces).isEmpty {
                    writer.text("[\(alt)]")
                }
            case "a":
                links.append((attribute("href", of: node) ?? "", writer.bytes.count))
            case let name where Self.lineElements.contains(name):
                writer.breakLine()
            default:
                break
            }
            return true
        }

        /// Writes what comes after a node's children.
        mutating func leave(_ node: xmlNodePtr) {
            guard node.pointee.type == XML_ELEMENT_NODE else { return }
            switch name(of: node) {
            case "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "dl":
                writer.breakLine(blank: true)
            case "ul", "ol":
                listDepth = max(listDepth - 1, 0)
                writer.breakLine(blank: listDepth == 0)
            case "pre":
                preDepth = max(preDepth - 1, 0)
                writer.preformatted = preDepth > 0
                writer.breakLine(blank: true)
            case "li":
                writer.breakLine()
            case "a":
                guard let link = links.popLast() else { return }
                let label = writer.written(from: link.labelStart).trimmingCharacters(in: .whitespacesAndNewlines)
                let href = link.href.trimmingCharacters(in: .whitespacesAndNewlines)
                let shown = href.hasPrefix("mailto:") ? String(href.dropFirst(7)) : href
                if !shown.isEmpty, !href.hasPrefix("#"), !href.lowercased().hasPrefix("javascript:"), label != shown {
                    writer.text(label.isEmpty ? shown : " (\(shown))")
                }
            case let name where Self.lineElements.contains(name):
                writer.breakLine()
            default:
                break
            }
        }

        /// Blocks that start and end a line without an empty line around them.
        static let lineElements: Set<String> = [
            "div", "tr", "section", "article", "header", "footer", "address", "center", "dt", "dd", "main", "nav",
            "aside", "figure", "figcaption", "caption", "details", "summary", "form", "fieldset",
        ]

        /// The element's name as libxml2 has it: lowercase, with any prefix ("o:p").
        func name(of node: xmlNodePtr) -> String {
            node.pointee.name.map { String(cString: $0) } ?? ""
        }

        /// An attribute's value, entities decoded; nil when the element has no such attribute.
        func attribute(_ wanted: String, of node: xmlNodePtr) -> String? {
            var attribute = node.pointee.properties
            while let current = attribute {
                if let name = current.pointee.name, String(cString: name) == wanted {
                    var value = ""
                    var child = current.pointee.children
                    while let text = child {
                        if let content = text.pointee.content { value += String(cString: content) }
                        child = text.pointee.next
                    }
                    return value
                }
                attribute = current.pointee.next
            }
            return nil
        }
    }
}
