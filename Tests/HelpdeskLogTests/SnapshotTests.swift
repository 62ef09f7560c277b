import Foundation
import HelpdeskCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import HelpdeskLog

/// Snapshots only ever save time: the desk opened from one equals the full replay, and any
/// snapshot that does not fit the log exactly (corrupt, stale, older format, of a log cut or
/// replaced underneath) is ignored.
final class SnapshotTests: XCTestCase {
    static let settings = GeneratorSettings(tickets: 120, seed: 5, supervisor: LogFixture.supervisor)

    /// The desk every test starts from, generated once (with the snapshot `generate` writes).
    nonisolated(unsafe) private static let original: Result<(directory: TemporaryFolder, summary: GeneratedLog.Summary), any Error> = Result {
        let directory = try TemporaryFolder("SnapshotTests-original")
        return (directory, try GeneratedLog.write(settings, to: directory.file("desk.log")))
    }

    override class func tearDown() {
        try? original.get().directory.remove()
        super.tearDown()
    }

    /// A copy of the generated desk and its snapshot in a fresh directory.
    private func generated() throws -> (path: String, summary: GeneratedLog.Summary) {
        let (directory, summary) = try Self.original.get()
        let path = try makeTemporaryDirectory().file("desk.log")
        for suffix in ["", ".snapshot"] {
            try FileManager.default.copyItem(atPath: directory.file("desk.log") + suffix, toPath: path + suffix)
        }
        return (path, summary)
    }

    private func fullReplay(_ path: String) throws -> Desk {
        try DeskLog(path: path, writable: false, snapshots: false).desk
    }

    private func appendNotes(_ log: DeskLog, count: Int) throws {
        for index in 0..<count {
            try LogFixture.perform(log, .note(ticket: 1 + index % 5, body: "note \(index)"))
        }
    }

    func testOpeningFromTheSnapshotGivesTheFullReplaysDesk() throws {
        let (path, summary) = try generated()
        let log = try DeskLog(path: path, writable: false)
        XCTAssertEqual(log.snapshotCovers.seq, summary.records)
        XCTAssertEqual(log.snapshotCovers.offset, summary.bytes)
        XCTAssertEqual(log.readOffset, summary.bytes)
        XCTAssertEqual(log.desk, try fullReplay(path))
        XCTAssertEqual(log.desk.tickets.count, 120)
    }

    func testTheCodecRoundTripsADeskWithTextBodiesAndEveryKindOfEvent() throws {
        var generator = DeskGenerator(settings: GeneratorSettings(tickets: 60, seed: 3, supervisor: "sam"))
        _ = generator.run()
        let desk = generator.desk
        let bytes = SnapshotCodec.encode(desk)
        let decoded = try SnapshotCodec.decode(HeldBytes(bytes))
        XCTAssertEqual(decoded.desk, desk)
        XCTAssertNil(decoded.breaches)
        XCTAssertEqual(try SnapshotCodec.decode(HeldBytes(bytes), lazily: true).desk, desk, "read record by record")
        // Cut short, it is refused rather than misread.
        XCTAssertThrowsError(try SnapshotCodec.decode(HeldBytes(Array(bytes.dropLast(3)))))
    }

    func testTicketsEncodedOnSeveralThreadsAreTheBytesOneThreadWrites() throws {
        let (path, _) = try generated()
        let log = try DeskLog(path: path, writable: true)
        // Opened from the snapshot: some tickets copied as saved, some changed since, some new.
        try appendNotes(log, count: 7)
        try LogFixture.perform(log, .openTicket(customerEmail: "new@example.com", customerName: "New", subject: "New",
                                                channel: .email, priority: .normal, body: "hello"))
        let desk = log.desk
        XCTAssertGreaterThan(desk.tickets.savedElementCount, 0)
        let one = SnapshotCodec.encode(desk, parts: 1)
        for parts in [2, 3, 7, 500] {
            XCTAssertEqual(SnapshotCodec.encode(desk, parts: parts), one, "\(parts) threads")
        }
        XCTAssertEqual(try SnapshotCodec.decode(HeldBytes(one)).desk, try fullReplay(path))
        // A replayed desk (every ticket held, none saved) too.
        let replayed = try fullReplay(path)
        XCTAssertEqual(SnapshotCodec.encode(replayed, parts: 4), SnapshotCodec.encode(replayed, parts: 1))
    }

    /// A generated desk after `commands`, written to a snapshot and opened from it; checked to be
    /// the desk a full replay makes.
    private func reopenedFromASnapshot(after commands: [Command], file: StaticString = #filePath,
                                       line: UInt = #line) throws -> DeskLog {
        let (path, _) = try generated()
        let log = try DeskLog(path: path, writable: true)
        for command in commands { try LogFixture.perform(log, command) }
        XCTAssertTrue(try log.writeSnapshot(now: Date()), file: file, line: line)
        let reopened = try DeskLog(path: path, writable: false)
        XCTAssertEqual(reopened.snapshotCovers.seq, log.desk.lastSeq, "opened from the new snapshot", file: file, line: line)
        XCTAssertEqual(reopened.desk, try fullReplay(path), file: file, line: line)
        return reopened
    }

    func testTheActingRolesOfADatabaseDeskAreKept() throws {
        let reopened = try reopenedFromASnapshot(after: [.allowActingRole("helpdesk_gateway"), .allowActingRole("intake_bot"),
                                                         .disallowActingRole("intake_bot")])
        XCTAssertEqual(reopened.desk.actingRoles, ["helpdesk_gateway"])
    }

    func testTheMacrosAreKept() throws {
        let kept = Macro(name: "thanks", text: Macro.Text(kind: .note, template: "Hi {{customer.name}}"), status: .solved,
                         priority: .low, addTags: ["a"], removeTags: ["b"], assignment: .me, escalation: "why")
        let reopened = try reopenedFromASnapshot(after: [.saveMacro(kept, replacing: false),
                                                         .saveMacro(Macro(name: "gone", followUp: 60), replacing: false),
                                                         .removeMacro(name: "gone")])
        XCTAssertEqual(reopened.desk.macros, ["thanks": kept])
    }

    func testMergesLinksWithdrawnNotesAndWhoChangedWhatLastAreKept() throws {
        let (path, _) = try generated()
        let log = try DeskLog(path: path, writable: true)
        let active = Array(log.desk.statusIndex.activeIDs.prefix(3))
        let (a, b, c) = (active[0], active[1], active[2])
        for command: Command in [.merge(source: a, target: b), .link(ticket: b, other: c, kind: .parent),
                                 .note(ticket: c, body: "oops"), .undo(ticket: c)] {
            try LogFixture.perform(log, command)
        }
        XCTAssertTrue(try log.writeSnapshot(now: Date()))
        let reopened = try DeskLog(path: path, writable: false)
        XCTAssertEqual(reopened.snapshotCovers.seq, log.desk.lastSeq, "opened from the new snapshot")
        XCTAssertEqual(reopened.desk, try fullReplay(path))
        XCTAssertEqual(reopened.desk.ticket(a)?.mergedInto, b)
        XCTAssertEqual(reopened.desk.ticket(b)?.mergedFrom, [a])
        XCTAssertEqual(reopened.desk.ticket(c)?.links, [TicketLink(ticket: b, kind: .child)])
        XCTAssertEqual(reopened.desk.ticket(c)?.messages.last?.withdrawn, true)
        XCTAssertEqual(reopened.desk.lastTicketChanged[LogFixture.supervisor], c)
    }

    func testTheSavedViewsAreKept() throws {
        let kept = SavedView(name: "vip", status: .open, assignment: .mine, tier: 1, priority: .urgent, tags: ["vip"],
                             channel: .chat, sort: .urgency)
        let reopened = try reopenedFromASnapshot(after: [.saveView(kept, replacing: false),
                                                         .saveView(SavedView(name: "gone", allStatuses: true), replacing: false),
                                                         .removeView(name: "gone")])
        XCTAssertEqual(reopened.desk.views, ["vip": kept])
    }

    func testTheBlockedSendersAreKeptWithWhoBlockedThemAndWhen() throws {
        let reopened = try reopenedFromASnapshot(after: [.blockSender(pattern: "@spam.example", reason: "phishing"),
                                                         .blockSender(pattern: "jo@example.com", reason: nil),
                                                         .unblockSender(pattern: "jo@example.com")])
        XCTAssertEqual(reopened.desk.blockList.map(\.pattern), ["@spam.example"])
        XCTAssertEqual(reopened.desk.blockList.first?.reason, "phishing")
    }

    func testADamagedRecordIsFoundWhenItIsReadAndADeskHoldingEveryTicketReadsThemAllAtOnce() throws {
        var generator = DeskGenerator(settings: GeneratorSettings(tickets: 60, seed: 4, supervisor: "sam"))
        _ = generator.run()
        let bytes = SnapshotCodec.encode(generator.desk)
        var damaged = bytes
        damaged[damaged.count - 40] ^= 0xFF
        XCTAssertThrowsError(try SnapshotCodec.decode(HeldBytes(damaged)), "every record is checked at once")
        // Read lazily, the desk opens, and only the record with the changed byte fails its check.
        let lazy = try SnapshotCodec.decode(HeldBytes(damaged), lazily: true).desk
        let tickets = try XCTUnwrap(lazy.tickets.saved as? SavedTickets)
        let customers = try XCTUnwrap(lazy.customers.saved as? SavedCustomers)
        let failing = (0..<tickets.count).filter { (try? tickets.decode($0)) == nil }.map { "ticket \($0 + 1)" }
            + (0..<tickets.count).filter { (try? tickets.detailBytes($0)) == nil }.map { "history of ticket \($0 + 1)" }
            + (0..<customers.count).filter { (try? customers.decode($0)) == nil }.map { "customer \($0 + 1)" }
        XCTAssertEqual(failing.count, 1, "\(failing)")
    }

    func testALazyDeskFindsCustomersByAddressAndMessagesByIDAsTheFullReplayDoes() throws {
        let (path, _) = try generated()
        let writer = try DeskLog(path: path, writable: true)
        let replayed = try fullReplay(path)
        XCTAssertNotNil(writer.desk.customers.saved, "read from the snapshot")
        for customer in replayed.customers {
            XCTAssertEqual(writer.desk.customer(email: " " + customer.email.uppercased())?.id, customer.id)
        }
        XCTAssertNil(writer.desk.customer(email: "nobody@example.com"))

        // An address changed after the snapshot: the old one no longer finds the customer, and
        // is free for someone else.
        let moved = replayed.customers[2]
        _ = try writer.append(actor: LogFixture.supervisor, now: Date()) { _, _ throws(Refusal) in
            [.customerUpdated(id: moved.id, email: "moved@example.com", name: nil, phone: nil, organisation: nil, notes: nil),
             .mailSent(ticket: 3, mail: 1, messageID: "first@desk.example")]
        }
        XCTAssertEqual(writer.desk.customer(email: "MOVED@example.com")?.id, moved.id)
        XCTAssertNil(writer.desk.customer(email: moved.email))
        try LogFixture.perform(writer, .saveCustomer(email: moved.email, name: "Newcomer", phone: nil, organisation: nil, notes: nil))
        XCTAssertEqual(writer.desk.customer(email: moved.email)?.name, "Newcomer")
        XCTAssertEqual(writer.desk, try fullReplay(path))

        try writer.writeSnapshot(now: Date())
        let reopened = try DeskLog(path: path, writable: false)
        XCTAssertEqual(reopened.snapshotCovers.seq, writer.desk.lastSeq)
        XCTAssertEqual(reopened.desk.customer(email: "moved@example.com")?.id, moved.id)
        XCTAssertEqual(reopened.desk.customer(email: moved.email)?.name, "Newcomer")
        XCTAssertEqual(reopened.desk, try fullReplay(path))

        // Message ids: the saved index answers for those before the snapshot, and ids seen
        // since are added beside it.
        _ = try writer.append(actor: LogFixture.supervisor, now: Date()) { _, _ throws(Refusal) in
            [.mailSent(ticket: 5, mail: 1, messageID: "second@desk.example")]
        }
        let latest = try DeskLog(path: path, writable: false)
        XCTAssertEqual(latest.snapshotCovers.seq, reopened.desk.lastSeq)
        XCTAssertEqual(latest.desk.channelIndex.candidate(.email, "first@desk.example"), 3)
        XCTAssertEqual(latest.desk.channelIndex.candidate(.email, "second@desk.example"), 5)
        XCTAssertNil(latest.desk.channelIndex.candidate(.email, "third@desk.example"))
        XCTAssertEqual(latest.desk.channelIndex, try fullReplay(path).channelIndex)
    }

    func testStatusCountsAndActiveTicketsAreKeptAsEventsChangeThem() throws {
        let (path, _) = try generated()
        let writer = try DeskLog(path: path, writable: true)
        let active = try XCTUnwrap(writer.desk.tickets.first { $0.status.isActive }).id
        let other = try XCTUnwrap(writer.desk.tickets.last { $0.status.isActive }).id
        try LogFixture.perform(writer, .resolve(ticket: active))
        try LogFixture.perform(writer, .take(ticket: other, steal: true))
        let now = Date()
        let replayed = try fullReplay(path)
        for desk in [writer.desk, try DeskLog(path: path, writable: false).desk, replayed] {
            XCTAssertEqual(desk.statusIndex, StatusIndex(desk.tickets))
            XCTAssertEqual(desk.statusIndex.activeIDs, desk.tickets.filter { $0.status.isActive }.map(\.id))
            XCTAssertFalse(desk.statusIndex.activeIDs.contains(active))
            // The saved facts stand for the tickets unchanged since; the changed ones are read.
            XCTAssertEqual(desk.activeFacts, desk.activeTickets.map(ActiveFacts.init))
            XCTAssertEqual(desk.summary(now: now), replayed.summary(now: now))
        }
        XCTAssertEqual(writer.desk.activeFacts.first { $0.id == other }?.assignee, LogFixture.supervisor)
    }

    func testAStaleSnapshotIsUsedAndTheTailReplayedOnTop() throws {
        let (path, summary) = try generated()
        let writer = try DeskLog(path: path, writable: true)
        writer.snapshotPolicy.enabled = false
        try appendNotes(writer, count: 7)
        let log = try DeskLog(path: path, writable: false)
        XCTAssertEqual(log.snapshotCovers.seq, summary.records)
        XCTAssertEqual(log.desk.lastSeq, summary.records + 7)
        XCTAssertEqual(log.desk, try fullReplay(path))
        XCTAssertEqual(log.desk, writer.desk)
    }

    func testACorruptSnapshotMeansAFullReplay() throws {
        let (path, _) = try generated()
        let original = try Bytes.read(path + ".snapshot")
        let checked = original.withUnsafeBufferPointer {
            SnapshotLayout(UnsafeBufferPointer(rebasing: $0[SnapshotFile.headerSize...]))!.checkedLength
        }
        // A byte of the part checked at open: no desk opens from it.
        var bytes = original
        bytes[SnapshotFile.headerSize + checked / 2] ^= 0x40
        try Bytes.write(bytes, to: path + ".snapshot")
        var log = try DeskLog(path: path, writable: false)
        XCTAssertEqual(log.snapshotCovers.seq, 0, "the snapshot was not used")
        XCTAssertEqual(log.desk, try fullReplay(path))
        // A byte of a record: a desk holding every ticket checks them all at open.
        bytes = original
        bytes[(SnapshotFile.headerSize + checked + bytes.count) / 2] ^= 0x40
        try Bytes.write(bytes, to: path + ".snapshot")
        log = try DeskLog(path: path, writable: false, holdEveryTicket: true)
        XCTAssertEqual(log.snapshotCovers.seq, 0, "the snapshot was not used")
        XCTAssertEqual(log.desk, try fullReplay(path))
    }

    func testATruncatedSnapshotMeansAFullReplay() throws {
        let (path, _) = try generated()
        try Bytes.truncate(path + ".snapshot", to: try Bytes.size(path + ".snapshot") - 10)
        let log = try DeskLog(path: path, writable: false)
        XCTAssertEqual(log.snapshotCovers.seq, 0)
        XCTAssertEqual(log.desk, try fullReplay(path))
    }

    func testASnapshotOfAnOlderFormatIsIgnored() throws {
        let (path, _) = try generated()
        var bytes = try Bytes.read(path + ".snapshot")
        bytes[8] = 0  // the version, with the header's own checksum made to match again
        let crc = CRC32.checksum(Array(bytes[0..<56]))
        withUnsafeBytes(of: crc.littleEndian) { bytes.replaceSubrange(56..<60, with: $0) }
        try Bytes.write(bytes, to: path + ".snapshot")
        XCTAssertNil(SnapshotFile.header(at: path + ".snapshot"))
        let log = try DeskLog(path: path, writable: false)
        XCTAssertEqual(log.snapshotCovers.seq, 0)
        XCTAssertEqual(log.desk, try fullReplay(path))
    }

    func testALogCutBackBelowTheSnapshotIsReplayedAsItIsNow() throws {
        let (path, summary) = try generated()
        let lines = Bytes.lines(try Bytes.read(path))
        try Bytes.truncate(path, to: lines[lines.count - 4].end)
        let log = try DeskLog(path: path, writable: false)
        XCTAssertEqual(log.snapshotCovers.seq, 0)
        XCTAssertEqual(log.desk.lastSeq, summary.records - 3)
        XCTAssertEqual(log.desk, try fullReplay(path))
    }

    func testALogReplacedUnderneathIsNotMistakenForTheOneTheSnapshotWasTakenOf() throws {
        let (path, _) = try generated()
        let other = try makeTemporaryDirectory().file("other.log")
        _ = try GeneratedLog.write(GeneratorSettings(tickets: 200, seed: 6, supervisor: LogFixture.supervisor), to: other)
        // Another desk, longer than the snapshot's offset, under the same name.
        XCTAssertGreaterThan(try Bytes.size(other), try XCTUnwrap(SnapshotFile.header(at: path + ".snapshot")).offset)
        try Bytes.write(try Bytes.read(other), to: path)
        let log = try DeskLog(path: path, writable: false)
        XCTAssertEqual(log.snapshotCovers.seq, 0)
        XCTAssertEqual(log.desk, try fullReplay(other))
    }

    func testAnAppendRefreshesTheSnapshotOnceEnoughHasAccumulated() throws {
        let (path, summary) = try generated()
        let writer = try DeskLog(path: path, writable: true)
        writer.snapshotPolicy = SnapshotPolicy(records: 5, bytes: 1 << 40)
        try appendNotes(writer, count: 4)
        XCTAssertEqual(SnapshotFile.header(at: path + ".snapshot")?.lastSeq, summary.records, "not yet")
        try appendNotes(writer, count: 1)
        XCTAssertEqual(SnapshotFile.header(at: path + ".snapshot")?.lastSeq, summary.records + 5)
        XCTAssertEqual(writer.snapshotCovers.seq, summary.records + 5)
        let log = try DeskLog(path: path, writable: false)
        XCTAssertEqual(log.snapshotCovers.seq, summary.records + 5)
        XCTAssertEqual(log.desk, try fullReplay(path))
        let folder = (path as NSString).deletingLastPathComponent, name = (path as NSString).lastPathComponent
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(name + ".snapshot.tmp-") },
                       [], "no temporary file left")
    }

    func testOneRecordOfManyEventsIsEnoughForARefresh() throws {
        let (path, summary) = try generated()
        let writer = try DeskLog(path: path, writable: true)
        writer.snapshotPolicy = SnapshotPolicy(records: 1 << 30, events: 4, bytes: 1 << 40)
        try appendNotes(writer, count: 3)
        XCTAssertEqual(SnapshotFile.header(at: path + ".snapshot")?.lastSeq, summary.records, "three events: not yet")
        // A new customer, their ticket and its first message: three events in one record.
        try LogFixture.perform(writer, .openTicket(customerEmail: "many@example.com", customerName: nil, subject: "Many",
                                                  channel: .phone, priority: .normal, body: "Hello"))
        XCTAssertEqual(SnapshotFile.header(at: path + ".snapshot")?.lastSeq, summary.records + 4)
    }

    func testTheSLAPolicyIsKeptInTheSnapshot() throws {
        let (path, _) = try generated()
        let writer = try DeskLog(path: path, writable: true)
        writer.snapshotPolicy = SnapshotPolicy(records: 1, bytes: 1 << 40)
        let supervisor = LogFixture.supervisor
        for command: SLAPolicyCommand in [.setTargets(priority: .urgent, firstResponse: 600, nextResponse: nil, resolution: 7200),
                                          .setHours("mon-fri 09:00-17:00", timeZone: "Europe/Berlin")] {
            _ = try writer.append(actor: supervisor, now: Date()) { desk, _ throws(Refusal) in
                try SLARules.decide(command, by: supervisor, on: desk)
            }
        }
        let log = try DeskLog(path: path, writable: false)
        XCTAssertEqual(log.snapshotCovers.seq, writer.desk.lastSeq, "opened from a snapshot taken after the change")
        XCTAssertEqual(log.desk.slaPolicy, writer.desk.slaPolicy)
        XCTAssertNotEqual(log.desk.slaPolicy, SLAPolicy.standard)
        XCTAssertEqual(log.desk, try fullReplay(path))
    }

    func testTheBreachScheduleTravelsInTheSnapshotAndFindsWhatAFullWalkFinds() throws {
        let (path, _) = try generated()
        let saved = try XCTUnwrap(SnapshotFile.load(from: path + ".snapshot", for: try LogFile.open(path, writable: false)))
        XCTAssertEqual(saved.breaches?.moments.count, saved.desk.tickets.count, "generate saves the schedule")

        let writer = try DeskLog(path: path, writable: true)
        writer.snapshotPolicy = SnapshotPolicy(records: 1 << 30, bytes: 1 << 40)
        let active = saved.desk.tickets.filter { $0.status.isActive }.map(\.id)
        XCTAssertGreaterThan(active.count, 2)
        try LogFixture.perform(writer, .reply(ticket: active[0], body: "On it"))
        try LogFixture.perform(writer, .setPriority(ticket: active[1], priority: .urgent))
        try LogFixture.perform(writer, .openTicket(customerEmail: "new@example.com", customerName: nil, subject: "Fresh",
                                                  channel: .chat, priority: .urgent, body: "Hello?"))
        func assertTheScheduleAgrees(_ context: String) throws {
            let reader = try DeskLog(path: path, writable: false)
            XCTAssertEqual(reader.snapshotCovers.seq, saved.desk.lastSeq, "opened from the snapshot, the tail replayed")
            for hours in stride(from: 0.0, through: 96, by: 1.5) {
                let now = Date().addingTimeInterval(hours * 3600)
                XCTAssertEqual(reader.dueBreachTickets(now: now), SLAEscalation.dueTickets(on: reader.desk, now: now),
                               "\(context), +\(hours) h")
            }
        }
        try assertTheScheduleAgrees("tickets changed after the snapshot")
        let supervisor = LogFixture.supervisor
        _ = try writer.append(actor: supervisor, now: Date()) { desk, _ throws(Refusal) in
            try SLARules.decide(.setTargets(priority: .normal, firstResponse: 60, nextResponse: nil, resolution: nil),
                                by: supervisor, on: desk)
        }
        try assertTheScheduleAgrees("the policy changed after the snapshot")
    }

    func testTicketDetailsAreReadOnlyWhenAskedForAndARefreshCopiesTheUnreadOnes() throws {
        let (path, _) = try generated()
        let writer = try DeskLog(path: path, writable: true)
        func sources(_ desk: Desk) -> [SavedTickets] {
            var seen: [ObjectIdentifier: SavedTickets] = [:]
            for ticket in desk.tickets {
                if let details = ticket.deferredDetail?.source as? SavedTickets { seen[ObjectIdentifier(details)] = details }
            }
            return Array(seen.values)
        }
        XCTAssertEqual(writer.desk.tickets.filter { $0.deferredDetail == nil }.count, 0, "nothing read at start")
        XCTAssertEqual(writer.desk.tickets.map(\.historyCount), try fullReplay(path).tickets.map(\.history.count),
                       "how much history each ticket has is known without reading it")
        XCTAssertEqual(sources(writer.desk).map(\.decodedCount).reduce(0, +), 0)

        let active = try XCTUnwrap(writer.desk.tickets.first { $0.status.isActive }).id
        try LogFixture.perform(writer, .note(ticket: active, body: "read and changed"))
        XCTAssertNil(writer.desk.ticket(active)?.deferredDetail, "a changed ticket holds its detail")
        XCTAssertEqual(writer.desk.ticket(active)?.messages.last?.kind, .note)

        try writer.writeSnapshot(now: Date())
        let unread = sources(writer.desk).map(\.decodedCount).reduce(0, +)
        XCTAssertLessThanOrEqual(unread, 1, "the refresh copied the details nobody read")
        let reopened = try DeskLog(path: path, writable: false)
        XCTAssertEqual(reopened.snapshotCovers.seq, writer.desk.lastSeq)
        XCTAssertEqual(reopened.desk, try fullReplay(path))
    }

    func testAWriterSkipsTheRefreshWhileAnotherProcessIsWritingOne() throws {
        let (path, summary) = try generated()
        let lock = open(path + ".snapshot.lock", O_RDWR | O_CREAT, 0o660)
        XCTAssertEqual(flock(lock, LOCK_EX | LOCK_NB), 0)
        defer { close(lock) }
        let writer = try DeskLog(path: path, writable: true)
        writer.snapshotPolicy = SnapshotPolicy(records: 1, bytes: 1 << 40)
        try appendNotes(writer, count: 2)
        XCTAssertEqual(SnapshotFile.header(at: path + ".snapshot")?.lastSeq, summary.records, "left alone while locked")
        XCTAssertEqual(writer.desk.lastSeq, summary.records + 2, "the appends themselves went ahead")
        flock(lock, LOCK_UN)
        try appendNotes(writer, count: 1)
        XCTAssertEqual(SnapshotFile.header(at: path + ".snapshot")?.lastSeq, summary.records + 3)
    }

    func testACallerThatWantsEveryRecordGetsThemAll() throws {
        let (path, summary) = try generated()
        var seen = 0
        let log = try DeskLog(path: path, writable: false) { _ in seen += 1 }
        XCTAssertEqual(seen, summary.records)
        XCTAssertEqual(log.snapshotCovers.seq, 0)
    }
}
