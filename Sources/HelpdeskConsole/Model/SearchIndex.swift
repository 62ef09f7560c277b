import HelpdeskCore
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

    /// Remakes the text of every ticket that changed since the last call: of those `touched`
    /// (ids) and the new ones, when the caller knows them; else of any whose history grew.
    mutating func refresh(_ desk: Desk, touched: Set<Int>? = nil) {
        let tickets = desk.tickets.array
        let known = versions.count
        // Rebuilt when the desk doubled, so the pairs with sets of their own stay the common ones.
        let rebuild = tickets.count > 2 * ngrams.builtFor
        if spans.count < tickets.count {
            spans.append(contentsOf: repeatElement((offset: 0, length: 0), count: tickets.count - spans.count))
            versions.append(contentsOf: repeatElement(-1, count: tickets.count - versions.count))
            if !rebuild { ngrams.reserve(tickets.count) }
        }
        let candidates = touched.map { $0.map { $0 - 1 }.filter { $0 < known }.sorted() + Array(known..<tickets.count) }
            ?? Array(tickets.indices)
        for index in candidates where versions[index] != tickets[index].historyCount {
            let ticket = tickets[index]
            let customer = desk.customer(ticket.customerID)
            let text = ([String(ticket.id), "#\(ticket.id)", ticket.subject, customer?.name ?? "", customer?.email ?? "",
                         ticket.assignee ?? ""] + ticket.tags).joined(separator: " ").lowercased()
            if !rebuild { corpus.withUnsafeBytes { ngrams.remove(index, text: $0, span: spans[index]) } }
            garbage += spans[index].length
            spans[index] = (corpus.count, text.utf8.count)
            corpus.append(contentsOf: text.utf8)
            if !rebuild { corpus.withUnsafeBytes { ngrams.add(index, text: $0, span: spans[index]) } }
            versions[index] = ticket.historyCount
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
