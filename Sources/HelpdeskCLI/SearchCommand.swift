import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog
import HelpdeskSearch

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find tickets by the words in their subject, messages, notes, customer and tags, best match first.",
        discussion: """
            Every word must be there; "a phrase" (quoted for the shell too: '"paper jam"') must be there as \
            written; -word leaves out tickets that have it; word* matches words starting so. Give the query as \
            one argument or several.
            """)
    @OptionGroup var desk: DeskOptions
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("What to find.", valueName: "query")) var words: [String] = []
    @Option(help: "Only this status, or all (default: every ticket that is not closed).") var status: StatusChoice?
    @Option(help: "At most this many tickets.") var limit = 20
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if let option = words.first(where: { $0.hasPrefix("--") && $0 != "--" }) {
            throw ValidationError("unknown option '\(VisibleText.sanitize(option))' (a word to leave out takes one dash: -word)")
        }
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let query = try SearchQuery.parse(words.filter { $0 != "--" }.joined(separator: " "))
        let statuses: Set<Status>? = switch status {
        case .all?: nil
        case .one(let only)?: [only]
        case nil: Set(Status.allCases.filter { $0 != .closed })
        }
        let hits = try SearchCommand.searching(desk) { try $0.search(query, statuses: statuses, limit: limit) }
        var answer = Answer()
        if json {
            answer.json(.array(hits.map { hit in
                .object([("id", .int(Int64(hit.id))), ("subject", .string(hit.subject)), ("status", .string(hit.status)),
                         ("assignee", hit.assignee.map { .string($0) } ?? .null), ("snippet", .string(hit.snippet)),
                         ("score", .double(hit.score))])
            }))
        } else if !hits.isEmpty {
            answer.table(header: ["ID", "STATUS", "ASSIGNEE", "SUBJECT", "MATCH"],
                         rows: hits.map { [String($0.id), $0.status, $0.assignee ?? "-", $0.subject, $0.snippet] },
                         maxWidth: [3: 40, 4: 100])
        }
        answer.write()
    }

    /// Runs `body` on the desk's search index: straight away when it covers the whole log (the
    /// desk is not even loaded), else once it is brought up to date with the desk, or rebuilt
    /// with a progress line; an index found damaged while searching is rebuilt and asked again.
    static func searching<T>(_ desk: DeskOptions, _ body: (SearchIndex) throws -> T) throws -> T {
        if !DeskAdmission.rosterDecides(logPath: desk.logPath),
           let index = SearchIndex.openIfCurrent(try StoreProbe(location: desk.location)),
           let answer = try? body(index) {
            return answer
        }
        return try searching(try desk.openForReading(), body)
    }

    /// Runs `body` on the index brought up to date with the desk `log` has read.
    static func searching<T>(_ log: DeskLog, _ body: (SearchIndex) throws -> T) throws -> T {
        do {
            return try body(try index(for: log, rebuild: false))
        } catch let error as SearchIndexError where error.damaged {
            return try body(try index(for: log, rebuild: true))
        }
    }

    static func index(for log: DeskLog, rebuild: Bool) throws -> SearchIndex {
        let line = ProgressLine("indexing the desk for search")
        defer { line.finish() }
        return try SearchIndex.current(for: log, rebuild: rebuild, progress: { line.update(Int64($0), of: Int64($1), unit: "tickets") },
                                       notice: { Output.warn($0) })
    }
}
