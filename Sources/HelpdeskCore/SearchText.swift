import Foundation

/// Words in text as the search index splits and folds them (SQLite's unicode61 tokenizer with
/// diacritics removed): runs of letters and digits, lower-case, accents dropped. Shared by the
/// query, the snippets that show what matched and the console's highlighting.
public enum SearchText {
    /// A word's form in the index: "Café" is "cafe".
    public static func fold(_ word: some StringProtocol) -> String {
        word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
    }

    /// Every word of `text` with where it is.
    public static func words(in text: String) -> [(range: Range<String.Index>, folded: String)] {
        var words: [(Range<String.Index>, String)] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character.isLetter || character.isNumber {
                if start == nil { start = index }
            } else if let from = start {
                words.append((from..<index, fold(text[from..<index])))
                start = nil
            }
            index = next
        }
        if let from = start { words.append((from..<text.endIndex, fold(text[from...]))) }
        return words
    }

    /// The parts of `text` whose words start with one of `prefixes` (folded): what the console
    /// highlights in a conversation while its filter is on.
    public static func ranges(in text: String, startingWith prefixes: [String]) -> [Range<String.Index>] {
        guard !prefixes.isEmpty else { return [] }
        return words(in: text).filter { word in prefixes.contains { word.folded.hasPrefix($0) } }.map(\.range)
    }
}

/// A line of a ticket's text around the first word a search matched, every matched word in
/// it between `marks`: what `helpdesk search` shows of each ticket it found.
public enum SearchSnippet {
    /// The first of `fields` (subject, messages, customer, tags: read only as far as needed)
    /// with a matching word, around it; the first field's start when none matches.
    public static func make(_ query: SearchQuery, fields: some Sequence<String>, marks: (String, String) = ("[", "]"),
                            before: Int = 4, after: Int = 10) -> String {
        var first: String?
        for field in fields {
            if first == nil { first = field }
            let words = SearchText.words(in: field)
            guard let hit = words.firstIndex(where: { matches($0.folded, query) }) else { continue }
            let from = max(0, hit - before), to = min(words.count - 1, hit + after)
            var line = from > 0 ? "…" : ""
            var cursor = words[from].range.lowerBound
            for word in words[from...to] {
                line += field[cursor..<word.range.lowerBound]
                line += matches(word.folded, query) ? marks.0 + field[word.range] + marks.1 : String(field[word.range])
                cursor = word.range.upperBound
            }
            return line + (to < words.count - 1 ? "…" : String(field[cursor...]))
        }
        let words = SearchText.words(in: first ?? "")
        guard let last = words.prefix(before + after + 1).last else { return first ?? "" }
        return String(first![..<last.range.upperBound]) + (words.count > before + after + 1 ? "…" : "")
    }

    /// Whether the folded `word` is one a required term of `query` looks for.
    static func matches(_ word: String, _ query: SearchQuery) -> Bool {
        query.required.contains { term in
            term.words.enumerated().contains { index, wanted in
                word == wanted || (term.prefix && index == term.words.count - 1 && word.hasPrefix(wanted))
            }
        }
    }
}
