import CNcurses
import Foundation

/// ncurses as the console's screen: copies the cell grid out, only the cells that changed since
/// the last frame, and lets ncurses send the terminal only the difference (wnoutrefresh + doupdate).
public final class CursesScreen {
    public enum StartError: Error, CustomStringConvertible {
        case notATerminal
        case unknownTerminal(String)
        public var description: String {
            switch self {
            case .notATerminal: "the console needs a terminal (stdin and stdout must be a tty)"
            case .unknownTerminal(let term):
                "the terminal type TERM=\(term) is unknown to ncurses; try TERM=xterm-256color or TERM=vt100"
            }
        }
    }

    private var presented: CellGrid?
    /// How this terminal shows a desktop notification; nil: it does not (or the agent said not to).
    public var desktopNotification: DesktopNotification?
    private var attributes: [Role: (attr: attr_t, pair: Int16)] = [:]
    public private(set) var colours: Int32 = 0

    /// Starts curses on the terminal. `useColour` false (NO_COLOR) styles with attributes only.
    public init(theme: Theme, useColour: Bool) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw StartError.notATerminal }
        // newterm, unlike initscr, returns NULL for an unknown TERM instead of exiting.
        guard hd_newterm() != nil else {
            throw StartError.unknownTerminal(ProcessInfo.processInfo.environment["TERM"] ?? "")
        }
        raw()
        noecho()
        nonl()
        keypad(hd_stdscr(), true)
        nodelay(hd_stdscr(), true)
        hd_set_escdelay(25)
        curs_set(0)
        let colour = useColour && has_colors()
        if colour {
            start_color()
            use_default_colors()
            colours = hd_colors()
        }
        setTheme(colour ? theme : theme.monochrome)
    }

    public func setTheme(_ theme: Theme) {
        attributes = [:]
        for (index, role) in Role.allCases.enumerated() {
            let look = theme.look(role)
            var attr = hd_a_normal()
            if look.bold { attr |= hd_a_bold() }
            if look.reverse { attr |= hd_a_reverse() }
            if look.underline { attr |= hd_a_underline() }
            if look.dim { attr |= hd_a_dim() }
            var pair: Int16 = 0
            if colours > 0, look.foreground != .terminalDefault || look.background != .terminalDefault {
                let (fg, fgBold) = curses(look.foreground)
                let (bg, _) = curses(look.background)
                pair = Int16(index + 1)
                init_pair(pair, fg, bg)
                if fgBold { attr |= hd_a_bold() }
            }
            attributes[role] = (attr, pair)
        }
        presented = nil
    }

    /// A curses colour number, and whether bold must stand in for "bright".
    private func curses(_ colour: Colour) -> (Int16, Bool) {
        switch colour {
        case .terminalDefault: return (-1, false)
        case .ansi(let n, let bright):
            if bright { return colours >= 16 ? (Int16(n + 8), false) : (Int16(n), true) }
            return (Int16(n), false)
        case .indexed(let n): return n < colours ? (Int16(n), false) : (-1, false)
        }
    }

    public var size: (rows: Int, columns: Int) {
        (Int(hd_lines()), Int(hd_cols()))
    }

    /// Takes the terminal's new size (after SIGWINCH) into curses: LINES and COLS, its windows.
    public func resizeToTerminal() {
        var window = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_row > 0, window.ws_col > 0 else { return }
        resizeterm(Int32(window.ws_row), Int32(window.ws_col))
    }

    /// Sends the grid to the terminal: only cells that differ from the last frame are written.
    public func present(_ grid: CellGrid) {
        let full = presented.map { $0.rows != grid.rows || $0.columns != grid.columns } ?? true
        if full { erase() }
        var chars = [wchar_t](repeating: 0, count: 6)
        for row in 0..<grid.rows {
            for column in 0..<grid.columns {
                let cell = grid[row, column]
                if !full, let presented, presented[row, column] == cell { continue }
                if cell.text.isEmpty { continue }  // the right half of a wide character
                var count = 0
                for scalar in cell.text.unicodeScalars where count < 5 {
                    chars[count] = wchar_t(scalar.value)
                    count += 1
                }
                chars[count] = 0
                let style = attributes[cell.role] ?? (hd_a_normal(), 0)
                _ = hd_put_cell(Int32(row), Int32(column), chars, style.attr, style.pair)
            }
        }
        presented = grid.copy()
        wnoutrefresh(hd_stdscr())
        doupdate()
    }

    /// Rings the bell, or writes a desktop notification's sequence (made by `DesktopNotification`).
    public func alert(_ alert: TerminalAlert) {
        switch alert {
        case .bell: beep()
        case .desktop(let title, let body):
            guard let notification = desktopNotification else { return }
            let bytes = Array(notification.sequence(title: title, body: body).utf8)
            _ = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        }
    }

    /// Forces the next frame to be drawn whole (after the terminal was used by someone else).
    public func invalidate() {
        presented = nil
        clearok(hd_stdscr(), true)
    }

    /// Every key waiting on the terminal, without blocking.
    public func readKeys() -> [Key] {
        var keys: [Key] = []
        var value: wint_t = 0
        while true {
            let result = get_wch(&value)
            if result == ERR { break }
            if result == KEY_CODE_YES {
                if let key = CursesScreen.functionKey(Int32(value)) { keys.append(key) }
            } else if let key = CursesScreen.characterKey(UInt32(value)) {
                keys.append(key)
            }
        }
        return keys
    }

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_NPAGE: .pageDown
        case KEY_PPAGE: .pageUp
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_BTAB: .backTab
        case KEY_ENTER: .enter
        case KEY_RESIZE: .resize
        case hd_key_f(1)...hd_key_f(12): .function(Int(code - hd_key_f(0)))
        default: nil
        }
    }

    static func characterKey(_ value: UInt32) -> Key? {
        switch value {
        case 10, 13: return .enter
        case 9: return .tab
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        case 0..<32: return nil
        default: return Unicode.Scalar(value).map { .character(Character($0)) }
        }
    }

    /// Gives the terminal back (for an editor), keeping curses' state to resume.
    public func suspend() {
        def_prog_mode()
        endwin()
    }

    public func resume() {
        reset_prog_mode()
        invalidate()
    }

    public func stop() {
        endwin()
    }
}
