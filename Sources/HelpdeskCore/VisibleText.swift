import Foundation

/// Text from customers made safe to print on a terminal: control characters are shown
/// (`^[` for ESC, `^?` for DEL), C1 controls and bidi or zero-width format controls become
/// U+FFFD, so nothing can move the cursor, retitle the window or reorder what is shown.
public enum VisibleText {
    /// With `keepNewlines`, line breaks stay line breaks (CRLF becomes LF; a lone CR, which
    /// could overprint a line, is shown as `^M`) and tabs stay tabs.
    public static func sanitize(_ text: String, keepNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: needsReplacing) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            index = scalars.index(after: index)
            switch scalar.value {
            case 0x0D where keepNewlines && index < scalars.endIndex && scalars[index] == "\n": continue
            case 0x0A where keepNewlines, 0x09 where keepNewlines: out.append(scalar)
            case 0x09: out.append(" ")
            case 0x00..<0x20: out.append("^"); out.append(Unicode.Scalar(scalar.value + 0x40)!)
            case 0x7F: out.append(contentsOf: "^?".unicodeScalars)
            default: out.append(needsReplacing(scalar) ? "\u{FFFD}" : scalar)
            }
        }
        return String(out)
    }

    static func needsReplacing(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F..<0xA0: return true
        case 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }
}
