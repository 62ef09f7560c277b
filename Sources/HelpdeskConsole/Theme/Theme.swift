import Foundation

/// A terminal colour: one of the eight ANSI colours (bright ones are drawn bold on terminals
/// with only eight), a 256-colour index, or the terminal's own colour.
public enum Colour: Equatable, Sendable {
    case terminalDefault
    case ansi(Int, bright: Bool)
    case indexed(Int)

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// "red", "bright-red", "default", or 0-255.
    public init?(name: String) {
        let lower = name.lowercased()
        if lower == "default" { self = .terminalDefault; return }
        if let index = Int(lower), (0...255).contains(index) { self = .indexed(index); return }
        let bright = lower.hasPrefix("bright-")
        guard let index = Colour.names.firstIndex(of: bright ? String(lower.dropFirst(7)) : lower) else { return nil }
        self = .ansi(index, bright: bright)
    }
}

/// How one role looks.
public struct Look: Equatable, Sendable {
    public var foreground: Colour = .terminalDefault
    public var background: Colour = .terminalDefault
    public var bold = false
    public var reverse = false
    public var underline = false
    public var dim = false

    public init(foreground: Colour = .terminalDefault, background: Colour = .terminalDefault, bold: Bool = false,
                reverse: Bool = false, underline: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }

    /// Without colour (NO_COLOR, a monochrome terminal): attributes only.
    public var withoutColour: Look {
        Look(bold: bold, reverse: reverse, underline: underline, dim: dim)
    }
}

/// Roles mapped to looks. A role the theme does not mention looks like `normal`.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var looks: [Role: Look]

    public func look(_ role: Role) -> Look { looks[role] ?? looks[.normal] ?? Look() }

    /// The theme the console uses when no theme file is given or found.
    public static let builtIn = Theme(name: "default", looks: [
        .header: Look(bold: true, underline: true),
        .selectedRow: Look(reverse: true),
        .urgent: Look(foreground: .ansi(1, bright: true), bold: true),
        .high: Look(foreground: .ansi(3, bright: false)),
        .low: Look(dim: true),
        .breached: Look(foreground: .ansi(1, bright: true), bold: true),
        .atRisk: Look(foreground: .ansi(3, bright: true)),
        .followUpDue: Look(foreground: .ansi(5, bright: false), bold: true),
        .customerMessage: Look(foreground: .ansi(6, bright: false), bold: true),
        .reply: Look(foreground: .ansi(2, bright: false), bold: true),
        .note: Look(foreground: .ansi(3, bright: false), bold: true),
        .history: Look(dim: true),
        .border: Look(dim: true),
        .paneTitle: Look(bold: true),
        .focusedPaneTitle: Look(bold: true, reverse: true),
        .statusLine: Look(reverse: true),
        .prompt: Look(bold: true),
        .error: Look(foreground: .ansi(1, bright: true), bold: true),
        .warning: Look(foreground: .ansi(0, bright: false), background: .ansi(3, bright: false), bold: true),
        .dim: Look(dim: true),
        .presence: Look(foreground: .ansi(5, bright: true), bold: true),
        .help: Look(),
        .match: Look(bold: true, reverse: true),
    ])

    /// Only bold, reverse, underline and dim: what NO_COLOR and colourless terminals get.
    public var monochrome: Theme {
        Theme(name: name, looks: looks.mapValues(\.withoutColour))
    }
}
