/// The filter's matches for each text typed since the view last changed, so that one more
/// character searches only the previous matches and a backspace finds its answer already made.
/// Valid for one view of one desk: `reset` whenever the desk, the view or its order changes.
///
/// Why narrowing is exact: when the new text starts with the old one's bytes, each old word is
/// part of a new word, so a ticket containing every new word contains every old one.
struct FilterCache {
    private struct Step {
        var needle: [UInt8]
        var words: [[UInt8]]
        var matches: TicketSet
    }

    /// Each a byte prefix of the next.
    private var steps: [Step] = []
    /// The last step's matches in the view's order.
    private var lastIDs: [Int] = []

    mutating func reset() {
        steps = []
        lastIDs = []
    }

    /// The ids of `view`, in its order, whose text contains every word of `needle` (lower-case,
    /// trimmed, not empty); with `conversations`, a word is also found in a conversation that has
    /// a word starting with it (narrowing stays exact: a word starting with "print" starts with "pri").
    mutating func ids(matching needle: String, view: [Int], search: SearchIndex,
                      conversations: ConversationMatches? = nil) -> [Int] {
        let bytes = Array(needle.utf8)
        let before = steps.count
        while let last = steps.last, !bytes.starts(with: last.needle) { steps.removeLast() }
        let widened = steps.count < before
        if let last = steps.last, last.needle == bytes {
            if widened { lastIDs = last.matches.keeping(view) }
            return lastIDs
        }
        let words = needle.split(separator: " ").map { Array($0.utf8) }
        let matches: TicketSet
        // A word grown long enough to be looked for in conversations (or cut back) can match more
        // than before: then the view is searched again, not the last matches.
        let searched = { (words: [[UInt8]]) in conversations.map { words.filter($0.searches).count } ?? 0 }
        if let last = steps.last, searched(last.words) == searched(words) {
            // Only words the last step did not already require need searching.
            matches = FilterCache.matching(last.matches, words: words.filter { !last.words.contains($0) }, search: search,
                                           conversations: conversations)
            lastIDs = matches.keeping(widened ? view : lastIDs)
        } else {
            matches = FilterCache.matching(TicketSet(ids: view, capacity: search.count), words: words, search: search,
                                           conversations: conversations)
            lastIDs = matches.keeping(view)
        }
        steps.append(Step(needle: bytes, words: words, matches: matches))
        return lastIDs
    }

    /// The candidates with every word in their queue columns or their conversation.
    private static func matching(_ candidates: TicketSet, words: [[UInt8]], search: SearchIndex,
                                 conversations: ConversationMatches?) -> TicketSet {
        guard let conversations, words.contains(where: { conversations.searches($0) }) else {
            return search.matching(candidates, words: words)
        }
        var result = candidates
        for word in words {
            var found = search.matching(result, words: [word])
            if var spoken = conversations.tickets(withWordStarting: word, capacity: search.count) {
                spoken.formIntersection(result)
                found.formUnion(spoken)
            }
            result = found
        }
        return result
    }
}
