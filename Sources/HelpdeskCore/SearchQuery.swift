import Foundation

/// What `helpdesk search` (and `list --text`) looks for: words that must all be in a ticket,
/// `"a phrase"` whose words must follow one another, `-word` that must not be there, and
/// `word*` that matches every word starting so. Words are split as the index splits text: on
/// anything that is not a letter or a digit, so `e-mail` is the phrase `e mail`.
public struct SearchQuery: Equatable, Sendable {
    /// One thing to find: a word, or several that must follow one another.
    public struct Term: Equatable, Sendable {
        /// Lower-case, letters and digits only; more than one: a phrase.
        public var words: [String]
        /// The last word matches every word starting with it.
        public var prefix: Bool
        public var excluded: Bool

        public init(words: [String], prefix: Bool = false, excluded: Bool = false) {
            self.words = words
            self.prefix = prefix
            self.excluded = excluded
        }
    }

    public var terms: [Term]

    public var required: [Term] { terms.filter { !$0.excluded } }
    public var excluded: [Term] { terms.filter(\.excluded) }

    /// Every word the ticket must have, for highlighting what was found.
    public var highlightWords: [String] { required.flatMap(\.words) }

    public init(terms: [Term]) {
        self.terms = terms
    }

    /// Parses `text`, refusing what cannot be searched for, saying why.
    public static func parse(_ text: String) throws(Refusal) -> SearchQuery {
        var terms: [Term] = []
        var rest = Substring(text)
        while let start = rest.firstIndex(where: { !$0.isWhitespace }) {
            rest = rest[start...]
            var excluded = false
            if rest.first == "-" {
                excluded = true
                rest = rest.dropFirst()
            }
            let raw: Substring
            var quoted = false
            if rest.first == "\"" {
                guard let close = rest.dropFirst().firstIndex(of: "\"") else {
                    throw Refusal(.invalid, "bad search \(quote(text)): a quote (\") is not closed")
                }
                raw = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                quoted = true
            } else {
                let end = rest.firstIndex(where: { $0.isWhitespace || $0 == "\"" }) ?? rest.endIndex
                raw = rest[..<end]
                rest = rest[end...]
                if rest.first == "\"" {
                    throw Refusal(.invalid, "bad search \(quote(text)): a quote (\") starts inside a word; put a space before it")
                }
            }
            var prefix = false
            var body = raw
            if !quoted, body.hasSuffix("*") {
                prefix = true
                body = body.dropLast()
            } else if quoted, rest.first == "*" {
                prefix = true
                rest = rest.dropFirst()
            }
            let words = SearchQuery.words(of: String(body))
            guard !words.isEmpty else {
                let what = quoted ? "\"\(raw)\"" : String(raw)
                throw Refusal(.invalid, "bad search \(quote(text)): \(what.isEmpty ? (excluded ? "-" : "*") : what) has no letters or digits to find")
            }
            if prefix, words.last!.count < 2 {
                throw Refusal(.invalid, "bad search \(quote(text)): a prefix needs at least two letters before *")
            }
            terms.append(Term(words: words, prefix: prefix, excluded: excluded))
        }
        guard !terms.isEmpty else { throw Refusal(.invalid, "bad search: give at least one word to find") }
        guard terms.contains(where: { !$0.excluded }) else {
            throw Refusal(.invalid, "bad search \(quote(text)): -word only leaves tickets out; give a word to find as well")
        }
        return SearchQuery(terms: terms)
    }

    /// The words of `text` as the index sees them (see `SearchText`).
    public static func words(of text: String) -> [String] {
        SearchText.words(in: text).map(\.folded)
    }

    private static func quote(_ text: String) -> String {
        "'" + VisibleText.sanitize(text) + "'"
    }
}
