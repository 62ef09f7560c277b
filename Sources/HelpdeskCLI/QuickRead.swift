/// The reads scripts run most, `show ID`, `history ID`, `status` and `list` without filters,
/// given only `--store`, `--log`, `--as`, `--at` and `--json`: read here and run without the
/// argument parser.
///
/// The argument parser finds a command's options by reflection. Each generic option type it
/// meets searches all the binary's protocol conformances (about 6,800), and each field's type is
/// demangled: a third of the whole process of `show` on a small desk. Anything else on the line
/// (help, any other option, an option given twice, a value that looks like an option, an id that
/// is not a number) is left to the argument parser, so its forms and messages stay the authority;
/// QuickReadTests checks that every line read here is read the same by the parser.
enum QuickRead: Equatable {
    case show(ShowRead)
    case history(HistoryRead)
    case status(StatusRead)
    case list(ListRead)

    /// nil: a line for the argument parser.
    init?(_ arguments: [String]) {
        guard let name = arguments.first else { return nil }
        var desk = DeskChoice()
        var moment: String?
        var json = false
        var positional: [String] = []
        var rest = arguments.dropFirst()
        while let token = rest.popFirst() {
            if token == "--json" {
                if json { return nil }
                json = true
            } else if token.hasPrefix("--") {
                let parts = token.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let value = parts.count == 2 ? String(parts[1]) : rest.popFirst()
                guard let value, !value.isEmpty, !value.hasPrefix("-") else { return nil }
                switch parts[0] {
                case "--store" where desk.store == nil: desk.store = value
                case "--log" where desk.log == nil: desk.log = value
                case "--as" where desk.actAs == nil: desk.actAs = value
                case "--at" where moment == nil: moment = value
                default: return nil
                }
            } else if token.hasPrefix("-") {
                return nil
            } else {
                positional.append(token)
            }
        }
        switch (name, positional.count) {
        case ("show", 1):
            guard let id = Self.ticketID(positional[0]) else { return nil }
            self = .show(ShowRead(desk: desk, id: id, moment: moment, json: json))
        case ("history", 1):
            guard let id = Self.ticketID(positional[0]) else { return nil }
            self = .history(HistoryRead(desk: desk, id: id, moment: moment, json: json))
        case ("status", 0):
            self = .status(StatusRead(desk: desk, moment: moment, json: json))
        case ("list", 0):
            self = .list(ListRead(desk: desk, selection: .filters(ListRead.everyTicketNotClosed, text: nil), moment: moment,
                                  json: json))
        default:
            return nil
        }
    }

    /// Digits alone, as the argument parser reads an `Int` (a sign is left to it).
    private static func ticketID(_ text: String) -> Int? {
        guard text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(text)
    }

    func run() throws {
        switch self {
        case .show(let read): try read.run()
        case .history(let read): try read.run()
        case .status(let read): try read.run()
        case .list(let read): try read.run()
        }
    }
}
