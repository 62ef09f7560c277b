import HelpdeskCore
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// Per ticket, the lower-case bytes the filter searches (id, subject, customer, tags, assignee),
/// kept in one contiguous buffer, with an `NgramIndex` over them: a keystroke intersects sets,
/// then runs a tight loop of byte searches over the texts they leave. A ticket's text is remade
/// only when the ticket changed (its history grew).
struct SearchIndex {
    private var corpus: [UInt8] = []
    private var spans: [(offset: Int, length: Int)] = []
    private var ngrams = NgramIndex()
    private var versions: [Int] = []
    private var garbage = 0

    /// How many tickets have a text: the capacity a `TicketSet` over them needs.
    var count: Int { spans.count }

    /// Remakes the text of each ticket of `ids` that changed since its text was made (or has
    /// none yet): the queue passes the tickets it holds once, then those records touched and new ones.
    mutating func refresh(_ desk: Desk, ids: some Sequence<Int>) {
        let count = desk.tickets.count
        // Rebuilt when the desk doubled, so the pairs with sets of their own stay the common ones.
        let rebuild = count > 2 * ngrams.builtFor
        if spans.count < count {
            spans.append(contentsOf: repeatElement((offset: 0, length: 0), count: count - spans.count))
            versions.append(contentsOf: repeatElement(-1, count: count - versions.count))
            if !rebuild { ngrams.reserve(count) }
        }
        let wanted = ids.filter { $0 >= 1 && $0 <= count }
        let known = versions
        // Made on every core: at open, the texts of every ticket the queue holds.
        let made = concurrentMap(wanted.count) { k -> (text: String, version: Int)? in
            let ticket = desk.tickets[wanted[k] - 1]
            if k % 16_384 == 16_383, wanted.count > 200_000 { SnapshotPages.release(of: desk) }  // every ticket: a pass
            guard known[wanted[k] - 1] != ticket.historyCount else { return nil }
            let customer = desk.customer(ticket.customerID)
            let text = ([String(ticket.id), "#\(ticket.id)", ticket.subject, customer?.name ?? "", customer?.email ?? "",
                         ticket.assignee ?? ""] + ticket.tags).joined(separator: " ").lowercased()
            return (text, ticket.historyCount)
        }
        for (k, made) in made.enumerated() {
            guard let (text, version) = made else { continue }
            let index = wanted[k] - 1
            if !rebuild { corpus.withUnsafeBytes { ngrams.remove(index, text: $0, span: spans[index]) } }
            garbage += spans[index].length
            spans[index] = (corpus.count, text.utf8.count)
            corpus.append(contentsOf: text.utf8)
            if !rebuild { corpus.withUnsafeBytes { ngrams.add(index, text: $0, span: spans[index]) } }
            versions[index] = version
        }
        if garbage > corpus.count / 2 { compact() }
        if rebuild { ngrams = corpus.withUnsafeBytes { NgramIndex(texts: $0, spans: spans) } }
    }

    /// Lays the texts out again in id order, without the ones replaced since.
    private mutating func compact() {
        var fresh: [UInt8] = []
        fresh.reserveCapacity(corpus.count - garbage)
        for index in spans.indices {
            let span = spans[index]
            spans[index].offset = fresh.count
            fresh.append(contentsOf: corpus[span.offset..<span.offset + span.length])
        }
        corpus = fresh
        garbage = 0
    }

    /// A byte search for short texts: memchr to the first byte, then memcmp. memmem's setup
    /// costs more than the whole search on a 60-byte text.
    @inline(__always)
    static func contains(_ text: UnsafeRawPointer, _ length: Int, _ word: UnsafeRawPointer, _ wordLength: Int) -> Bool {
        guard wordLength > 0 else { return true }
        let first = Int32(word.load(as: UInt8.self))
        var at = text, left = length
        while left >= wordLength, let hit = memchr(at, first, left - wordLength + 1) {
            let found = UnsafeRawPointer(hit)
            if memcmp(found, word, wordLength) == 0 { return true }
            left -= at.distance(to: found) + 1
            at = found + 1
        }
        return false
    }

    /// The candidates whose text contains every word: the n-gram sets first, then a byte search
    /// of the texts they leave, in id order, so the texts are read front to back.
    func matching(_ candidates: TicketSet, words: [[UInt8]]) -> TicketSet {
        let (possible, unsettled) = ngrams.narrow(candidates, words: words)
        guard !unsettled.isEmpty else { return possible }
        let needle = Array(unsettled.joined(separator: [0]))  // one buffer: no closure per word per ticket
        let lengths = unsettled.map(\.count)
        var result = TicketSet(capacity: spans.count)
        corpus.withUnsafeBytes { corpus in
            spans.withUnsafeBufferPointer { spans in
                needle.withUnsafeBytes { needle in
                    possible.forEach { index in
                        guard index < spans.count else { return }
                        let text = corpus.baseAddress! + spans[index].offset
                        var start = 0
                        for length in lengths {
                            if !SearchIndex.contains(text, spans[index].length, needle.baseAddress! + start, length) { return }
                            start += length + 1
                        }
                        result.insert(index)
                    }
                }
            }
        }
        return result
    }
}
