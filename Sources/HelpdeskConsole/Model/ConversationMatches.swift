import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskSearch

/// The console's `/` over the conversations: the desk's search index (see `HelpdeskSearch`)
/// asked which tickets have a word starting with a typed word of three letters or more.
/// Answers are kept per word until the desk changes, so typing on, or back, asks again only
/// for words not asked yet.
public final class ConversationMatches {
    /// Shorter words match too much of every conversation to say anything; they search the queue's columns alone.
    static let shortestWord = 3
    private let index: HelpdeskSearch.SearchIndex
    private var answers: [[UInt8]: TicketSet] = [:]
    private var seq: Int

    init(index: HelpdeskSearch.SearchIndex, seq: Int) {
        self.index = index
        self.seq = seq
    }

    /// Whether `word` is looked for in conversations too.
    func searches(_ word: [UInt8]) -> Bool {
        word.count >= ConversationMatches.shortestWord && SearchQuery.words(of: String(decoding: word, as: UTF8.self)).count == 1
    }

    /// The tickets (a set of `capacity`) with a word starting with `word`; nil when it is not looked for.
    func tickets(withWordStarting word: [UInt8], capacity: Int) -> TicketSet? {
        guard searches(word) else { return nil }
        if let known = answers[word], known.words.count == (capacity + 63) / 64 { return known }
        let folded = SearchQuery.words(of: String(decoding: word, as: UTF8.self))[0]
        let ids = (try? index.ticketIDs(withWordStarting: folded)) ?? []
        let set = TicketSet(ids: Array(ids), capacity: capacity)
        answers[word] = set
        return set
    }

    /// The tickets matching a full-text search (a saved view's `--text`).
    func tickets(matching query: SearchQuery) -> Set<Int>? {
        try? index.ticketIDs(matching: query)
    }

    /// Over the index made current with what `log` has read (built when there is none).
    convenience init(log: DeskLog) throws {
        self.init(index: try HelpdeskSearch.SearchIndex.current(for: log), seq: log.desk.lastSeq)
    }

    /// Brings the index up to date with what `log` has read, forgetting answers when it changed.
    func follow(_ log: DeskLog) {
        guard log.desk.lastSeq != seq else { return }
        _ = try? index.update(from: log)
        seq = log.desk.lastSeq
        answers = [:]
    }
}
