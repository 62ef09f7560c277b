import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskSearch

/// The console's `/` over the conversations: the desk's search index (see `HelpdeskSearch`)
/// asked which tickets have a word starting with a typed word of three letters or more. Each
/// word of the index found so is remembered with its tickets until the desk changes, so typing
/// on within a word ("prob", "probl" after "pro": the same word "problem") asks nothing again.
/// The index follows the desk only when asked, so records arriving cost nothing while no one filters.
public final class ConversationMatches {
    /// Shorter words match too much of every conversation to say anything; they search the queue's columns alone.
    static let shortestWord = 3
    /// A prefix that many words of the index start with is asked for in one query instead.
    private static let mostWords = 64
    private let index: HelpdeskSearch.SearchIndex
    private let log: DeskLog
    private var byPrefix: [[UInt8]: TicketSet] = [:]
    private var byWord: [String: TicketSet] = [:]
    private var seq: Int

    init(index: HelpdeskSearch.SearchIndex, log: DeskLog) {
        self.index = index
        self.log = log
        self.seq = log.desk.lastSeq
    }

    /// Over the index made current with what `log` has read (built when there is none).
    convenience init(log: DeskLog) throws {
        self.init(index: try HelpdeskSearch.SearchIndex.current(for: log), log: log)
    }

    /// Whether `word` is looked for in conversations too.
    func searches(_ word: [UInt8]) -> Bool {
        word.count >= ConversationMatches.shortestWord && SearchQuery.words(of: String(decoding: word, as: UTF8.self)).count == 1
    }

    /// The tickets (a set of `capacity`) with a word starting with `word`; nil when it is not looked for.
    func tickets(withWordStarting word: [UInt8], capacity: Int) -> TicketSet? {
        guard searches(word) else { return nil }
        followDesk()
        if let known = byPrefix[word] { return known }
        let prefix = SearchQuery.words(of: String(decoding: word, as: UTF8.self))[0]
        var set = TicketSet(capacity: capacity)
        if let words = try? index.words(startingWith: prefix, most: ConversationMatches.mostWords) {
            for found in words {
                if byWord[found] == nil { byWord[found] = TicketSet(ids: (try? index.ticketIDs(withWord: found)) ?? [], capacity: capacity) }
                set.formUnion(byWord[found]!)
            }
        } else {
            set = TicketSet(ids: Array((try? index.ticketIDs(withWordStarting: prefix)) ?? []), capacity: capacity)
        }
        byPrefix[word] = set
        return set
    }

    /// The tickets matching a full-text search (a saved view's `--text`).
    func tickets(matching query: SearchQuery) -> Set<Int>? {
        followDesk()
        return try? index.ticketIDs(matching: query)
    }

    /// Brings the index up to date with what the console has read, forgetting the answers, once
    /// the desk changed (new tickets change the sets' capacity too).
    private func followDesk() {
        guard log.desk.lastSeq != seq else { return }
        _ = try? index.update(from: log)
        seq = log.desk.lastSeq
        byPrefix = [:]
        byWord = [:]
    }
}
