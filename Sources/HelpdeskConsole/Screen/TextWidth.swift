import CNcurses
import Foundation
import HelpdeskCore

/// Terminal columns a piece of text takes, measured with the C library's wcwidth (the same
/// tables ncurses uses), and the cutting and wrapping of text to a number of columns.
public enum TextWidth {
    /// Makes wcwidth answer for UTF-8 even when the process has not chosen a locale yet.
    static let localeReady: Bool = {
        if setlocale(LC_CTYPE, nil).map({ String(cString: $0) }) == "C" {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
        return true
    }()

    /// Columns of one grapheme cluster: its first scalar decides (combining marks add none);
    /// anything wcwidth cannot place counts as one column (it is drawn as U+FFFD).
    public static func columns(of character: Character) -> Int {
        _ = localeReady
        guard let first = character.unicodeScalars.first else { return 0 }
        if first.value < 0x7F { return first.value >= 0x20 ? 1 : 0 }
        let width = Int(wcwidth(wchar_t(first.value)))
        if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        return width < 0 ? 1 : min(width, 2)
    }

    public static func columns(of text: some StringProtocol) -> Int {
        var total = 0
        for character in text { total += columns(of: character) }
        return total
    }

    /// The longest prefix that fits in `width` columns, with "…" when something was cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if text.utf8.count <= width, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        guard columns(of: text) > width else { return text }
        var out = "", used = 0
        for character in text {
            let w = columns(of: character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    /// Lines of at most `width` columns, broken at spaces where possible; only words longer than
    /// a line are cut. Line breaks (LF, CRLF) in `text` start new lines; blank lines are kept.
    /// The text is made visible first (`^A` for a control takes two columns), so what is
    /// measured is what is drawn.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for line in VisibleText.sanitize(text, keepNewlines: true).split(separator: "\n", omittingEmptySubsequences: false) {
            let paragraph = VisibleText.sanitize(String(line))  // tabs, the one control left, become spaces
            var line = "", lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                var word = Substring(word)
                var wordWidth = columns(of: word)
                if lineWidth > 0, lineWidth + 1 + wordWidth <= width {
                    line += " " + word
                    lineWidth += 1 + wordWidth
                    continue
                }
                if lineWidth > 0 || !line.isEmpty {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                while wordWidth > width {
                    var head = "", used = 0
                    var rest = word[...]
                    while let character = rest.first, used + columns(of: character) <= width {
                        head.append(character)
                        used += columns(of: character)
                        rest = rest.dropFirst()
                    }
                    if head.isEmpty { head = String(rest.removeFirst()) }
                    lines.append(head)
                    word = rest
                    wordWidth = columns(of: word)
                }
                line = String(word)
                lineWidth = wordWidth
            }
            lines.append(line)
        }
        return lines
    }
}
