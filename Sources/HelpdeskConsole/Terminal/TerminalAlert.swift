import Foundation

/// What a program asks the terminal for besides its cells: the bell, or a desktop notification.
public enum TerminalAlert: Equatable, Sendable {
    case bell
    case desktop(title: String, body: String)
}

/// The escape sequence that raises a desktop notification, where the terminal has one: kitty's
/// OSC 99, OSC 9 (iTerm2, WezTerm, Windows Terminal, ConEmu), OSC 777 (urxvt, foot, VTE with the
/// patch, Ghostty). Decided from $TERM and $TERM_PROGRAM; nil where none is known to work.
public enum DesktopNotification: String, Sendable {
    case osc99, osc9, osc777

    public static func forTerminal(_ environment: [String: String]) -> DesktopNotification? {
        let term = environment["TERM"] ?? "", program = environment["TERM_PROGRAM"] ?? ""
        if term == "xterm-kitty" || environment["KITTY_WINDOW_ID"] != nil { return .osc99 }
        if ["iTerm.app", "WezTerm", "vscode"].contains(program) || environment["WT_SESSION"] != nil
            || environment["ConEmuPID"] != nil { return .osc9 }
        if term.hasPrefix("rxvt") || term.hasPrefix("foot") || program == "ghostty" || term == "xterm-ghostty" { return .osc777 }
        return nil
    }

    /// The bytes for a notification: text without control characters (nor `;`, which ends
    /// OSC 777's fields), so customer text can never reach the terminal as a sequence.
    public func sequence(title: String, body: String) -> String {
        func clean(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.map {
                $0.properties.generalCategory == .control || $0 == ";" ? " " : $0
            }).prefix(200))
        }
        switch self {
        case .osc99: return "\u{1B}]99;;\(clean(title)): \(clean(body))\u{1B}\\"
        case .osc9: return "\u{1B}]9;\(clean(title)): \(clean(body))\u{07}"
        case .osc777: return "\u{1B}]777;notify;\(clean(title));\(clean(body))\u{07}"
        }
    }
}
