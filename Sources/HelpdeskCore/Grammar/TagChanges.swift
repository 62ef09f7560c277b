/// Tag changes as people type them (`helpdesk tag`, the console's tag prompt):
/// "+urgent -billing vip" adds urgent and vip and removes billing. The rules check the tags.
public struct TagChanges: Equatable, Sendable {
    public var add: [String]
    public var remove: [String]

    public var isEmpty: Bool { add.isEmpty && remove.isEmpty }

    public init(words: [String]) {
        add = words.filter { !$0.hasPrefix("-") }.map { $0.hasPrefix("+") ? String($0.dropFirst()) : $0 }
        remove = words.filter { $0.hasPrefix("-") }.map { String($0.dropFirst()) }
    }

    /// Words separated by spaces, as typed on one line.
    public init(line: String) {
        self.init(words: line.split(whereSeparator: \.isWhitespace).map(String.init))
    }
}
