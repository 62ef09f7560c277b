import Foundation
import HelpdeskConsole

/// A row of block characters, one a period, for a figure in a terminal (`report --by`).
enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Heights from 0 up to the largest value (a share up to 100 %, a rating up to 5); a period without a value is a space.
    static func draw(_ values: [Double?], unit: TrendSeries.Unit) -> String {
        let top = unit == .ratio ? 1 : unit == .rating ? 5 : (values.compactMap { $0 }.max() ?? 0)
        return String(values.map { value -> Character in
            guard let value else { return " " }
            guard top > 0 else { return blocks[0] }
            let step = Int((value / top * Double(blocks.count - 1)).rounded())
            return blocks[min(max(step, 0), blocks.count - 1)]
        })
    }
}

/// A theme's look as the escape sequence a line-mode program writes (select graphic rendition):
/// the console draws through curses, a report to a terminal writes these itself.
enum GraphicRendition {
    static let reset = "\u{1B}[0m"

    /// Foreground, background and bold/dim of the look; reverse and underline are left to full screens.
    static func start(_ look: Look) -> String {
        var codes: [String] = []
        if look.bold { codes.append("1") }
        if look.dim { codes.append("2") }
        codes += colour(look.foreground, base: 30)
        codes += colour(look.background, base: 40)
        return codes.isEmpty ? "" : "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    private static func colour(_ colour: Colour, base: Int) -> [String] {
        switch colour {
        case .terminalDefault: []
        case .ansi(let index, let bright): [String((bright ? base + 60 : base) + index)]
        case .indexed(let index): [String(base + 8), "5", String(index)]
        }
    }

    static func paint(_ text: String, _ look: Look) -> String {
        let start = start(look)
        return start.isEmpty ? text : start + text + reset
    }
}
