import Foundation

/// HTML mail turned into text a person can read in a terminal: paragraphs and line breaks kept,
/// lists as "- " lines, links as "text (url)", images as their alt text, scripts, styles and
/// comments dropped, entities decoded, runs of spaces collapsed (except in <pre>).
public enum HTMLText {
    public static func text(fromHTML html: String) -> String {
        var converter = Converter(Array(html.unicodeScalars))
        converter.run()
        return converter.finish()
    }

    private struct Converter {
        let input: [Unicode.Scalar]
        var position = 0
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        var preDepth = 0
        var skipUntil: String?
        var links: [(href: String, textStart: Int)] = []
        var listDepth = 0

        init(_ input: [Unicode.Scalar]) { self.input = input }

        mutating func run() {
            while position < input.count {
                let scalar = input[position]
                if scalar == "<" {
                    readMarkup()
                } else if skipUntil != nil {
                    position += 1
                } else if scalar == "&" {
                    text(readEntity())
                } else {
                    text(String(scalar))
                    position += 1
                }
            }
        }

        /// Adds text, collapsing white space outside <pre>.
        mutating func text(_ string: String) {
            for scalar in string.unicodeScalars {
                if preDepth == 0, scalar.properties.isWhitespace && scalar != "\u{A0}" {
                    pendingSpace = true
                    continue
                }
                if pendingSpace {
                    if let last = out.last, last != "\n", last != " " { out.append(" ") }
                    pendingSpace = false
                }
                out.append(scalar == "\u{A0}" ? " " : scalar)
            }
        }

        /// Ends the current line; `blank` leaves an empty line after it (a paragraph).
        mutating func breakLine(blank: Bool = false) {
            pendingSpace = false
            while out.last == " " { out.removeLast() }
            guard !out.isEmpty else { return }
            let trailing = out.reversed().prefix { $0 == "\n" }.count
            let wanted = blank ? 2 : 1
            for _ in trailing..<max(trailing, wanted) { out.append("\n") }
        }

        mutating func readMarkup() {
            // Comments and declarations.
            if matches("<!--") {
                if let end = find("-->", from: position + 4) { position = end + 3 } else { position = input.count }
                return
            }
            if matches("<!") || matches("<?") {
                while position < input.count, input[position] != ">" { position += 1 }
                position += 1
                return
            }
            let start = position
            position += 1
            let closing = position < input.count && input[position] == "/"
            if closing { position += 1 }
            var name = ""
            while position < input.count, input[position].properties.isAlphabetic || ("0"..."9").contains(input[position]) {
                name.unicodeScalars.append(input[position])
                position += 1
            }
            guard !name.isEmpty else {
                // A lone "<" is text.
                position = start + 1
                if skipUntil == nil { text("<") }
                return
            }
            name = name.lowercased()
            let attributes = readAttributes()
            if let skip = skipUntil {
                if closing, name == skip { skipUntil = nil }
                return
            }
            closing ? close(name) : open(name, attributes)
        }

        mutating func open(_ name: String, _ attributes: [String: String]) {
            switch name {
            case "script", "style", "head", "title", "template":
                skipUntil = name
            case "br":
                pendingSpace = false
                while out.last == " " { out.removeLast() }
                out.append("\n")
            case "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "dl":
                breakLine(blank: true)
                if name == "ul" || name == "ol" { listDepth += 1 }
            case "div", "tr", "section", "article", "header", "footer", "address", "center", "dt", "dd":
                breakLine()
            case "pre":
                breakLine(blank: true)
                preDepth += 1
            case "li":
                breakLine()
                text(String(repeating: "  ", count: max(listDepth - 1, 0)))
                out.append(contentsOf: "- ".unicodeScalars)
            case "td", "th":
                if let last = out.last, last != "\n" { out.append(contentsOf: "  ".unicodeScalars) }
            case "hr":
                breakLine()
                out.append(contentsOf: "----".unicodeScalars)
                breakLine()
            case "img":
                if let alt = attributes["alt"], !alt.trimmingCharacters(in: .whitespaces).isEmpty { text("[\(alt)]") }
            case "a":
                links.append((attributes["href"] ?? "", out.count))
            default:
                break
            }
        }

        mutating func close(_ name: String) {
            switch name {
            case "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "dl":
                breakLine(blank: true)
            case "ul", "ol":
                listDepth = max(listDepth - 1, 0)
                breakLine(blank: true)
            case "div", "tr", "li", "section", "article", "header", "footer", "address", "center", "dt", "dd":
                breakLine()
            case "pre":
                preDepth = max(preDepth - 1, 0)
                breakLine(blank: true)
            case "a":
                guard let link = links.popLast() else { return }
                let label = String(String.UnicodeScalarView(out.dropFirst(link.textStart)))
                let href = link.href.trimmingCharacters(in: .whitespaces)
                let shown = href.hasPrefix("mailto:") ? String(href.dropFirst(7)) : href
                if !shown.isEmpty, !href.hasPrefix("#"), !href.lowercased().hasPrefix("javascript:"),
                   label.trimmingCharacters(in: .whitespaces) != shown {
                    text(label.isEmpty ? shown : " (\(shown))")
                }
            default:
                break
            }
        }

        /// Attributes up to the end of the tag, names lowercased, values with entities decoded.
        mutating func readAttributes() -> [String: String] {
            var attributes: [String: String] = [:]
            while position < input.count {
                while position < input.count, input[position].properties.isWhitespace || input[position] == "/" { position += 1 }
                guard position < input.count else { break }
                if input[position] == ">" {
                    position += 1
                    break
                }
                var name = ""
                while position < input.count, !input[position].properties.isWhitespace,
                      !["=", ">", "/"].contains(input[position]) {
                    name.unicodeScalars.append(input[position])
                    position += 1
                }
                while position < input.count, input[position].properties.isWhitespace { position += 1 }
                var value = ""
                if position < input.count, input[position] == "=" {
                    position += 1
                    while position < input.count, input[position].properties.isWhitespace { position += 1 }
                    if position < input.count, input[position] == "\"" || input[position] == "'" {
                        let quote = input[position]
                        position += 1
                        while position < input.count, input[position] != quote {
                            value.unicodeScalars.append(input[position])
                            position += 1
                        }
                        position += 1
                    } else {
                        while position < input.count, !input[position].properties.isWhitespace, input[position] != ">" {
                            value.unicodeScalars.append(input[position])
                            position += 1
                        }
                    }
                }
                if name.isEmpty { position += 1; continue }
                attributes[name.lowercased()] = HTMLText.decodeEntities(value)
            }
            return attributes
        }

        /// Reads `&name;`, `&#123;` or `&#x1F600;` at the position; a bare "&" stays itself.
        mutating func readEntity() -> String {
            var end = position + 1
            while end < input.count, end - position <= 32, input[end] != ";", input[end] != "&", input[end] != "<",
                  !input[end].properties.isWhitespace { end += 1 }
            guard end < input.count, input[end] == ";" else {
                position += 1
                return "&"
            }
            let name = String(String.UnicodeScalarView(input[(position + 1)..<end]))
            guard let decoded = HTMLText.entity(name) else {
                position += 1
                return "&"
            }
            position = end + 1
            return decoded
        }

        func matches(_ literal: String) -> Bool {
            let scalars = Array(literal.unicodeScalars)
            guard position + scalars.count <= input.count else { return false }
            for (offset, scalar) in scalars.enumerated()
            where input[position + offset].properties.lowercaseMapping != String(scalar).lowercased() { return false }
            return true
        }

        func find(_ literal: String, from start: Int) -> Int? {
            let scalars = Array(literal.unicodeScalars)
            var index = start
            while index + scalars.count <= input.count {
                if Array(input[index..<(index + scalars.count)]) == scalars { return index }
                index += 1
            }
            return nil
        }

        mutating func finish() -> String {
            let text = String(out)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                var line = String(line)
                while line.last == " " || line.last == "\t" { line.removeLast() }
                return line
            }
            // At most one empty line in a row, none at either end.
            var result: [String] = []
            for line in lines where !(line.isEmpty && (result.last?.isEmpty ?? true)) { result.append(line) }
            while result.last?.isEmpty == true { result.removeLast() }
            lines = result
            return lines.joined(separator: "\n")
        }
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var converter = Converter(Array(text.unicodeScalars))
        var result = ""
        while converter.position < converter.input.count {
            if converter.input[converter.position] == "&" {
                result += converter.readEntity()
            } else {
                result.unicodeScalars.append(converter.input[converter.position])
                converter.position += 1
            }
        }
        return result
    }

    static func entity(_ name: String) -> String? {
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            guard let value else { return nil }
            if (0x80...0x9F).contains(value) { return Charset.windows1252([UInt8(value)]) }
            return Unicode.Scalar(value).map { String($0) } ?? "\u{FFFD}"
        }
        if let known = named[name] { return known }
        return named[name.lowercased()]
    }

    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "shy": "",
        "copy": "©", "reg": "®", "trade": "™", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢",
        "sect": "§", "para": "¶", "deg": "°", "plusmn": "±", "times": "×", "divide": "÷", "micro": "µ",
        "middot": "·", "bull": "•", "hellip": "…", "ndash": "–", "mdash": "—", "lsquo": "‘", "rsquo": "’",
        "sbquo": "‚", "ldquo": "“", "rdquo": "”", "bdquo": "„", "laquo": "«", "raquo": "»", "lsaquo": "‹",
        "rsaquo": "›", "dagger": "†", "Dagger": "‡", "permil": "‰", "iexcl": "¡", "iquest": "¿",
        "ordf": "ª", "ordm": "º", "sup1": "¹", "sup2": "²", "sup3": "³", "frac14": "¼", "frac12": "½",
        "frac34": "¾", "larr": "←", "rarr": "→", "uarr": "↑", "darr": "↓", "check": "✓", "zwnj": "", "zwj": "",
        "ensp": " ", "emsp": " ", "thinsp": " ",
        "Agrave": "À", "Aacute": "Á", "Acirc": "Â", "Atilde": "Ã", "Auml": "Ä", "Aring": "Å", "AElig": "Æ",
        "Ccedil": "Ç", "Egrave": "È", "Eacute": "É", "Ecirc": "Ê", "Euml": "Ë", "Igrave": "Ì", "Iacute": "Í",
        "Icirc": "Î", "Iuml": "Ï", "ETH": "Ð", "Ntilde": "Ñ", "Ograve": "Ò", "Oacute": "Ó", "Ocirc": "Ô",
        "Otilde": "Õ", "Ouml": "Ö", "Oslash": "Ø", "Ugrave": "Ù", "Uacute": "Ú", "Ucirc": "Û", "Uuml": "Ü",
        "Yacute": "Ý", "THORN": "Þ", "szlig": "ß", "agrave": "à", "aacute": "á", "acirc": "â", "atilde": "ã",
        "auml": "ä", "aring": "å", "aelig": "æ", "ccedil": "ç", "egrave": "è", "eacute": "é", "ecirc": "ê",
        "euml": "ë", "igrave": "ì", "iacute": "í", "icirc": "î", "iuml": "ï", "eth": "ð", "ntilde": "ñ",
        "ograve": "ò", "oacute": "ó", "ocirc": "ô", "otilde": "õ", "ouml": "ö", "oslash": "ø", "ugrave": "ù",
        "uacute": "ú", "ucirc": "û", "uuml": "ü", "yacute": "ý", "thorn": "þ", "yuml": "ÿ", "OElig": "Œ",
        "oelig": "œ", "Scaron": "Š", "scaron": "š", "Yuml": "Ÿ", "fnof": "ƒ", "circ": "ˆ", "tilde": "˜",
    ]
}
