import Foundation
import HelpdeskCore

/// One ticket a search found.
public struct SearchHit: Equatable, Sendable {
    public var id: Int
    public var subject: String
    public var status: String
    public var assignee: String?
    /// A line of the text that matched, the words found between the marks asked for.
    public var snippet: String
    /// Relevance (higher is better): SQLite's BM25, the subject weighing most.
    public var score: Double
}

extension SearchIndex {
    /// How much a word counts in each column (subject, messages, customer, tags).
    private static let weights = "4.0, 1.0, 2.0, 2.0"
    /// Ranking costs about a microsecond a match (more for a phrase): past this many, the newest
    /// this many tickets matching are ranked, so a word on 40% of a 10M-event desk answers at once.
    public static let rankedMatchesMost = 30_000

    /// The tickets matching `query`, of `statuses` (nil: any), most relevant first, then the most
    /// recently updated; at most `limit`. The snippet marks what matched with `marks`.
    public func search(_ query: SearchQuery, statuses: Set<Status>?, limit: Int,
                       marks: (String, String) = ("[", "]")) throws -> [SearchHit] {
        let expression = SearchIndex.expression(query)
        // Ranked on the index and each ticket's last update alone: what is shown is read for the hits kept.
        var sql = """
            SELECT docs.rowid, bm25(docs, \(SearchIndex.weights)) AS score
            FROM docs JOIN tickets ON tickets.id = docs.rowid WHERE docs MATCH ?
            """
        var values: [SQLiteValue] = [.text(expression)]
        // The newest matches' lowest id: the index walks them in id order, without ranking, at once.
        let boundary = try database.prepare(
            "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET \(SearchIndex.rankedMatchesMost - 1)")
        if try boundary.bind([.text(expression)]).step() {
            sql += " AND docs.rowid >= ?"
            values.append(.integer(boundary.integer(0)))
        }
        if let statuses {
            sql += " AND tickets.status IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))"
            values += statuses.map(\.rawValue).sorted().map { .text($0) }
        }
        sql += " ORDER BY score, tickets.updated DESC, docs.rowid DESC LIMIT ?"
        values.append(.integer(limit))
        let found = try database.prepare(sql).bind(values)
        var ranked: [(id: Int, score: Double)] = []
        while try found.step() { ranked.append((found.integer(0), -found.real(1))) }
        let facts = try database.prepare("SELECT status, assignee, subject, people, tags FROM tickets WHERE id = ?")
        var hits: [(hit: SearchHit, people: String, tags: String)] = []
        for (id, score) in ranked {
            guard try facts.bind([.integer(id)]).step() else { continue }  // (bind resets it from the last)
            hits.append((SearchHit(id: id, subject: facts.text(2), status: facts.text(0),
                                   assignee: facts.isNull(1) ? nil : facts.text(1), snippet: "", score: score),
                         facts.text(3), facts.text(4)))
        }
        // Snippets for the hits shown only, each reading the ticket's messages only as far as the first match.
        let documents = try TicketDocuments(database)
        return try hits.map { found in
            var hit = found.hit
            let bodies = try documents.messages(hit.id)
            let messages = bodies.lazy.map { TicketDocuments.indexable((try? self.texts.text(of: $0)) ?? "") }
            let fields = [AnySequence([hit.subject]), AnySequence(messages), AnySequence([found.people, found.tags])].joined()
            hit.snippet = SearchSnippet.make(query, fields: fields, marks: marks)
            return hit
        }
    }

    /// The ids of every ticket matching `query`, whatever its status.
    public func ticketIDs(matching query: SearchQuery) throws -> Set<Int> {
        try ids(SearchIndex.expression(query))
    }

    /// The ids of the tickets with a word starting with `prefix` (lower-case letters and digits).
    public func ticketIDs(withWordStarting prefix: String) throws -> Set<Int> {
        try ids(SearchIndex.phrase([prefix]) + "*")
    }

    /// The words of the index starting with `prefix`, nil when there are more than `most`.
    public func words(startingWith prefix: String, most: Int) throws -> [String]? {
        try database.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.words USING fts5vocab(main, docs, 'row')")
        let statement = try database.prepare("SELECT term FROM temp.words WHERE term >= ? AND term < ? LIMIT ?")
            .bind([.text(prefix), .text(prefix + "\u{10FFFF}"), .integer(most + 1)])
        var words: [String] = []
        while try statement.step() { words.append(statement.text(0)) }
        return words.count > most ? nil : words
    }

    /// The ids of the tickets with the word `word` (as the index has it).
    public func ticketIDs(withWord word: String) throws -> [Int] {
        let statement = try database.prepare("SELECT rowid FROM docs WHERE docs MATCH ?").bind([.text(SearchIndex.phrase([word]))])
        var ids: [Int] = []
        while try statement.step() { ids.append(statement.integer(0)) }
        return ids
    }

    private func ids(_ expression: String) throws -> Set<Int> {
        let statement = try database.prepare("SELECT rowid FROM docs WHERE docs MATCH ?").bind([.text(expression)])
        var ids = Set<Int>()
        while try statement.step() { ids.insert(statement.integer(0)) }
        return ids
    }

    /// The query in FTS5's syntax: every term quoted (so nothing in it is taken for an operator),
    /// the required ones ANDed, the excluded ones taken away with NOT.
    static func expression(_ query: SearchQuery) -> String {
        func term(_ term: SearchQuery.Term) -> String { phrase(term.words) + (term.prefix ? "*" : "") }
        let required = query.required.map(term).joined(separator: " AND ")
        let excluded = query.excluded.map(term)
        return excluded.isEmpty ? required : "(\(required)) NOT (\(excluded.joined(separator: " OR ")))"
    }

    static func phrase(_ words: [String]) -> String {
        "\"" + words.joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
