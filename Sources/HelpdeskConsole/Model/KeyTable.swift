/// One row of the key table: an action, its keys, where they work, and what the help says.
public struct KeyBinding: Sendable {
    public var action: Action
    public var keys: [Key]
    public var scope: KeyScope
    public var group: KeyGroup
    public var help: String
    /// The few words a hint line shows after the key ("q quits"); nil: not on hint lines.
    public var hint: String?

    public init(_ action: Action, _ keys: [Key], _ scope: KeyScope, _ group: KeyGroup, _ help: String, hint: String? = nil) {
        self.action = action
        self.keys = keys
        self.scope = scope
        self.group = group
        self.help = help
        self.hint = hint
    }
}

/// Keys to actions for a chain of scopes: the first scope that binds a key wins.
public struct Keymap: Sendable {
    public let bindings: [Key: KeyBinding]

    public subscript(key: Key) -> Action? { bindings[key]?.action }
}

/// Every key of both programs as data (tig's request table is the model): the keymaps, the `?`
/// help and the hint lines are all made from these rows, so a key added here works and is told.
public struct KeyTable: Sendable {
    public var rows: [KeyBinding]

    public init(rows: [KeyBinding]) { self.rows = rows }

    /// The keymap of `scopes`, the first scope first. A key bound twice within one scope is a
    /// mistake in the table.
    public func keymap(_ scopes: [KeyScope]) -> Keymap {
        var map: [Key: KeyBinding] = [:]
        for scope in scopes {
            var bound: Set<Key> = []
            for row in rows where row.scope == scope {
                for key in row.keys {
                    precondition(bound.insert(key).inserted, "key \(key.label) bound twice in scope \(scope)")
                    if map[key] == nil { map[key] = row }
                }
            }
        }
        return Keymap(bindings: map)
    }

    /// The rows in effect for `scopes`, each with only the keys no earlier scope took, by group
    /// and then table order: what the help lists.
    public func effectiveRows(_ scopes: [KeyScope]) -> [KeyBinding] {
        let map = keymap(scopes)
        let groups = Dictionary(uniqueKeysWithValues: KeyGroup.allCases.enumerated().map { ($0.element, $0.offset) })
        var shown: [(position: [Int], row: KeyBinding)] = []
        for (index, row) in rows.enumerated() {
            guard let scopeIndex = scopes.firstIndex(of: row.scope) else { continue }
            var row = row
            row.keys = row.keys.filter { map.bindings[$0]?.scope == row.scope }
            guard !row.keys.isEmpty else { continue }
            // A pane's row goes beside the row of the same action that it overrides.
            let base = rows.firstIndex { $0.action == row.action && scopes.contains($0.scope) } ?? index
            shown.append(([groups[row.group]!, base, scopeIndex, index], row))
        }
        return shown.sorted { $0.position.lexicographicallyPrecedes($1.position) }.map(\.row)
    }

    /// "? help  q quit": the hinted rows of `scopes`, each as its first key (or all of them,
    /// "Ctrl-D or F2 sends") and its hint.
    public func hints(_ scopes: [KeyScope], separator: String, allKeys: Bool = false) -> String {
        rows.filter { scopes.contains($0.scope) && $0.hint != nil }.map { row in
            let keys = allKeys ? row.keys.map(\.spokenLabel).joined(separator: " or ") : row.keys[0].label
            return keys + " " + row.hint!
        }.joined(separator: separator)
    }
}
