import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskSearch
import HelpdeskTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The index beside the log: built from nothing, brought up to date from where it stopped,
/// rebuilt when deleted, damaged or foreign, and never reached through a planted symlink.
final class SearchIndexTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var logPath: String { folder.file("desk.log") }
    private var indexPath: String { logPath + ".search" }

    override func setUpWithError() throws {
        folder = try makeTemporaryDirectory("search")
    }

    private func perform(_ log: DeskLog, _ command: Command) throws {
        _ = try log.append(actor: "root", now: Date()) { desk, now throws(Refusal) in
            try Rules.decide(command, by: "root", at: now, on: desk)
        }
    }

    /// A desk of three tickets: a printer, an invoice (with a note about a toner), a login.
    private func makeDesk() throws -> DeskLog {
        let log = try DeskLog.create(path: logPath, actor: "root", displayName: "Root", now: Date())
        try perform(log, .openTicket(customerEmail: "jane@example.com", customerName: "Jane Doe", subject: "Printer jams",
                                     channel: .email, priority: .normal, body: "The paper jam happens every morning."))
        try perform(log, .openTicket(customerEmail: "omar@example.org", customerName: "Omar Khan", subject: "Invoice wrong",
                                     channel: .email, priority: .normal, body: "My invoice shows the wrong amount."))
        try perform(log, .note(ticket: 2, body: "Probably the toner surcharge again."))
        try perform(log, .openTicket(customerEmail: "li@example.net", customerName: "Li Wei", subject: "Cannot log in",
                                     channel: .email, priority: .normal, body: "Password reset mail never comes."))
        try perform(log, .changeTags(ticket: 3, add: ["vip"], remove: []))
        return log
    }

    private func ids(_ index: SearchIndex, _ text: String, statuses: Set<Status>? = nil) throws -> [Int] {
        try index.search(SearchQuery.parse(text), statuses: statuses, limit: 50).map(\.id)
    }

    func testBuildsFromNothingAndFindsEveryField() throws {
        let log = try makeDesk()
        XCTAssertFalse(FileManager.default.fileExists(atPath: indexPath))
        var reported: [(Int, Int)] = []
        let index = try SearchIndex.current(for: log, progress: { reported.append(($0, $1)) })
        XCTAssertEqual(index.path, indexPath)
        XCTAssertTrue(FileManager.default.fileExists(atPath: indexPath))
        XCTAssertEqual(reported.last?.0, 3)
        XCTAssertEqual(try ids(index, "printer"), [1], "subject")
        XCTAssertEqual(try ids(index, "toner"), [2], "a note")
        XCTAssertEqual(try ids(index, "omar"), [2], "the customer's name")
        XCTAssertEqual(try ids(index, "li@example.net"), [3], "the customer's email")
        XCTAssertEqual(try ids(index, "vip"), [3], "a tag")
        XCTAssertEqual(try ids(index, "\"paper jam\""), [1])
        XCTAssertEqual(try ids(index, "\"jam paper\""), [])
        XCTAssertEqual(try ids(index, "pass*"), [3])
        XCTAssertEqual(try ids(index, "wrong -toner"), [])
        XCTAssertEqual(try ids(index, "the -toner"), [1])
        XCTAssertEqual(try ids(index, "invoice amount"), [2], "words ANDed across subject and message")
        XCTAssertEqual(try ids(index, "invoice printer"), [])
    }

    func testSnippetMarksTheMatchOnOneLine() throws {
        let log = try makeDesk()
        try perform(log, .addCustomerMessage(ticket: 1, body: "Still broken.\nThe \u{1B}[31mred\u{1B}[0m light blinks."))
        let index = try SearchIndex.current(for: log)
        let hit = try XCTUnwrap(index.search(SearchQuery.parse("blinks"), statuses: nil, limit: 5).first)
        XCTAssertEqual(hit.id, 1)
        XCTAssertEqual(hit.subject, "Printer jams")
        XCTAssertEqual(hit.status, "new")
        XCTAssertNil(hit.assignee)
        XCTAssertTrue(hit.snippet.contains("[blinks]"), hit.snippet)
        XCTAssertFalse(hit.snippet.contains("\u{1B}"), "no escape reaches a snippet")
        XCTAssertFalse(hit.snippet.contains("\n"))
        XCTAssertGreaterThan(hit.score, 0)
    }

    func testUpdatesFromWhereItStopped() throws {
        let log = try makeDesk()
        _ = try SearchIndex.current(for: log)
        let inode = try FileManager.default.attributesOfItem(atPath: indexPath)[.systemFileNumber] as? Int
        try perform(log, .reply(ticket: 3, body: "Try the xylophone link."))
        try perform(log, .resolve(ticket: 3))
        try perform(log, .changeTags(ticket: 1, add: ["hardware"], remove: []))
        let index = try SearchIndex.current(for: log)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: indexPath)[.systemFileNumber] as? Int, inode,
                       "updated in place, not rebuilt")
        XCTAssertEqual(try ids(index, "xylophone"), [3])
        XCTAssertEqual(try index.search(SearchQuery.parse("xylophone"), statuses: nil, limit: 5).first?.status, "solved")
        XCTAssertEqual(try ids(index, "xylophone", statuses: [.open, .new]), [])
        XCTAssertEqual(try ids(index, "hardware"), [1])
    }

    func testAWriterRefreshesAnIndexThatExists() throws {
        let log = try makeDesk()
        SearchIndex.refreshAfterWrite(log)
        XCTAssertFalse(FileManager.default.fileExists(atPath: indexPath), "a writer never builds one")
        _ = try SearchIndex.current(for: log)
        try perform(log, .note(ticket: 1, body: "Ordered a new fuser."))
        SearchIndex.refreshAfterWrite(log)
        let probe = try StoreProbe(location: .file(path: logPath))
        let index = try XCTUnwrap(SearchIndex.openIfCurrent(probe), "current without the searcher's help")
        XCTAssertEqual(try ids(index, "fuser"), [1])
    }

    func testDeletedIndexIsRebuilt() throws {
        let log = try makeDesk()
        _ = try SearchIndex.current(for: log)
        try FileManager.default.removeItem(atPath: indexPath)
        XCTAssertNil(SearchIndex.openIfCurrent(try StoreProbe(location: .file(path: logPath))))
        let index = try SearchIndex.current(for: log)
        XCTAssertEqual(try ids(index, "toner"), [2])
    }

    func testDamagedOrForeignIndexIsRebuiltNotTrusted() throws {
        let log = try makeDesk()
        _ = try SearchIndex.current(for: log)
        for garbage in [Array("not a database at all".utf8), [UInt8](repeating: 0x5A, count: 8192)] {
            try Data(garbage).write(to: URL(fileURLWithPath: indexPath))
            let index = try SearchIndex.current(for: log)
            XCTAssertEqual(try ids(index, "toner"), [2])
        }
        // Damage inside a real index: its pages overwritten past the header.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: indexPath)))
        for at in stride(from: 4096, to: bytes.count, by: 7) { bytes[at] = 0xFF }
        try Data(bytes).write(to: URL(fileURLWithPath: indexPath))
        let damaged = try SearchIndex.current(for: log)
        let found: [Int]
        do {
            found = try ids(damaged, "toner")
        } catch let error as SearchIndexError where error.damaged {
            found = try ids(try SearchIndex.current(for: log, rebuild: true), "toner")
        }
        XCTAssertEqual(found, [2])
        // An index of another desk's log: its fingerprint does not match, so it is rebuilt.
        let otherPath = folder.file("other.log")
        let other = try DeskLog.create(path: otherPath, actor: "root", displayName: nil, now: Date())
        try perform(other, .openTicket(customerEmail: "x@example.com", customerName: "X", subject: "Zebra stripes",
                                       channel: .email, priority: .normal, body: nil))
        _ = try SearchIndex.current(for: other)
        try FileManager.default.removeItem(atPath: indexPath)
        try FileManager.default.copyItem(atPath: otherPath + ".search", toPath: indexPath)
        let index = try SearchIndex.current(for: log)
        XCTAssertEqual(try ids(index, "zebra"), [])
        XCTAssertEqual(try ids(index, "toner"), [2])
    }

    func testPlantedSymlinkIsNeverFollowed() throws {
        let log = try makeDesk()
        let victim = folder.file("victim")
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: victim))
        XCTAssertEqual(symlink(victim, indexPath), 0)
        let index = try SearchIndex.current(for: log)
        XCTAssertEqual(try ids(index, "toner"), [2])
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious\n", "the symlink's target is untouched")
        var info = stat()
        XCTAssertEqual(lstat(indexPath, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFREG, "the symlink was replaced by an index of our own")
        // A symlink planted for SQLite's journal: an update fails rather than write through it,
        // and the search still answers.
        let journal = indexPath + "-journal"
        XCTAssertEqual(symlink(victim, journal), 0)
        try perform(log, .note(ticket: 1, body: "Quokka sighting."))
        var notices: [String] = []
        let updated = try SearchIndex.current(for: log, notice: { notices.append($0) })
        XCTAssertEqual(try ids(updated, "quokka"), [1])
        XCTAssertNotEqual(updated.path, indexPath, "a private index, not the shared one")
        var own = stat()
        XCTAssertEqual(stat(updated.path, &own), 0)
        XCTAssertEqual(own.st_mode & 0o777, 0o600, "the private index is this account's alone")
        XCTAssertTrue(notices.contains { $0.contains(journal) && $0.contains("remove it") }, "\(notices)")
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious\n")
    }
}
