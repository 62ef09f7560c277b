/// A key press, whatever terminal it came from.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, tab, backTab, escape, backspace, delete
    case function(Int)
    /// Ctrl with a letter, e.g. `.control("d")`.
    case control(Character)
    case resize

    /// How the help overlay names the key.
    public var label: String {
        switch self {
        case .character(" "): "Space"
        case .character(let c): String(c)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .escape: "Esc"
        case .backspace: "Bksp"
        case .delete: "Del"
        case .function(let n): "F\(n)"
        case .control(let c): "C-\(c)"
        case .resize: "resize"
        }
    }

    /// How a hint line spells the key out: "Ctrl-D" where the help says "C-d".
    public var spokenLabel: String {
        if case .control(let c) = self { return "Ctrl-" + c.uppercased() }
        return label
    }
}
