extension String {
    /// The same as `trimmingCharacters(in: .whitespacesAndNewlines)` (that set is Unicode's
    /// White_Space property plus U+200B; checked for every scalar), but looks at the two ends
    /// only: Foundation's version converts the whole text to UTF-16, which made checking
    /// message bodies the slowest step of writing a record.
    public func trimmingWhitespaceAndNewlines() -> String {
        trimming { $0.properties.isWhitespace || $0.value == 0x200B }
    }

    /// The same as `trimmingCharacters(in: .whitespaces)` (spaces, U+200B and tab; checked for
    /// every scalar): every customer's address goes through it when a desk is loaded.
    func trimmingWhitespace() -> String {
        trimming { $0.properties.generalCategory == .spaceSeparator || $0.value == 0x200B || $0.value == 9 }
    }

    private func trimming(_ isSpace: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        if start == scalars.startIndex, end == scalars.endIndex { return self }
        return String(scalars[start..<end])
    }
}
