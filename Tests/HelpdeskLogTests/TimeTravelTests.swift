import Foundation
import XCTest
@testable import HelpdeskCore
@testable import HelpdeskLog
import HelpdeskTestSupport

/// The desk at a past moment (`DeskLog(location:asOf:)`) is exactly a fresh replay of the log
/// cut at that moment, whether it starts from a checkpoint or from the beginning.
final class TimeTravelTests: XCTestCase {
    let start = Timestamp.parse("2027-01-14T00:00:00Z")!
    var folder: TemporaryFolder!
    var path: String { folder.file("desk.log") }

    override func setUpWithError() throws {
        folder = try makeTemporaryDirectory()
    }

    override func tearDown() {
        folder?.remove()
    }

    /// A day of work, a record every 10 minutes, snapshots written often (so checkpoints are kept
    /// as the desk's time passes), and the SLA policy changed at noon.
    private func makeDay() throws {
        let log = try DeskLog.create(path: path, actor: "root", displayName: "Root", now: start)
        log.snapshotPolicy = SnapshotPolicy(records: 5, events: 1_000, bytes: 1 << 30)
        func run(_ command: Command, as actor: String = "root", at minute: Int) throws {
            _ = try log.append(actor: actor, now: start.addingTimeInterval(Double(minute) * 60)) { desk, now throws(Refusal) in
                try Rules.decide(command, by: actor, at: now, on: desk)
            }
        }
        try run(.addAgent(account: "alice", displayName: nil, role: .agent, tier: 1), at: 1)
        var random = SplitMix64(seed: 7)
        for minute in stride(from: 10, to: 24 * 60, by: 10) {
            let open = log.desk.tickets.filter { $0.status.isActive }
            switch log.desk.tickets.isEmpty ? 0 : random.next() % 5 {
            case 0, 1:
                try run(.openTicket(customerEmail: "c\(minute % 7)@example.com", customerName: nil, subject: "Ticket at \(minute)",
                                    channel: .email, priority: [.low, .normal, .high, .urgent][Int(random.next() % 4)], body: "Help"),
                        at: minute)
            case 2 where !open.isEmpty:
                let ticket = open[Int(random.next() % UInt64(open.count))]
                try run(.reply(ticket: ticket.id, body: "On it"), as: ticket.assignee ?? "alice", at: minute)
            case 3 where !open.isEmpty:
                try run(.resolve(ticket: open[Int(random.next() % UInt64(open.count))].id), at: minute)
            default:
                try run(.note(ticket: max(1, log.desk.tickets.count), body: "note"), at: minute)
            }
            if minute == 12 * 60 {
                try run(.changePolicy(.setTargets(priority: .normal, firstResponse: 1800, nextResponse: nil, resolution: nil)),
                        at: minute)
            }
        }
    }

    /// The desk a fresh replay of the records written at or before `moment` makes.
    private func cutReplay(at moment: Date) throws -> Desk {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        var kept = Data()
        for line in bytes.split(separator: 10) {
            let record = try Array(line).withUnsafeBufferPointer { try RecordCodec.decode($0, bodies: .inline) }
            guard record.at <= moment else { break }
            kept += line + [10]
        }
        let cut = folder.file("cut-\(Int(moment.timeIntervalSince1970)).log")
        try kept.write(to: URL(fileURLWithPath: cut))
        return try DeskLog(path: cut, writable: false, snapshots: false).desk
    }

    private func checkpoints() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path + ".snapshot.checkpoints")) ?? []).sorted()
    }

    func testEveryHourOfADayEqualsTheLogCutThereFromACheckpointOrFromTheStart() throws {
        try makeDay()
        // Kept hourly, then thinned to `sizeCap` times the newest's size, evenly over the day.
        let cap = Int(Checkpoints.sizeCap)
        XCTAssertTrue((cap...(cap + 3)).contains(checkpoints().count), "\(checkpoints())")
        let sizes = try checkpoints().map {
            try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path + ".snapshot.checkpoints/" + $0)[.size] as? Int)
        }
        let newestSize = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path + ".snapshot")[.size] as? Int)
        XCTAssertLessThanOrEqual(sizes.reduce(0, +), cap * newestSize)
        var fromCheckpoints = 0
        for half in 0...48 {
            // Each hour, and each half hour between: inside a checkpoint's interval.
            let moment = start.addingTimeInterval(Double(half) * 1800 + 60)
            let travelled = try DeskLog(location: .file(path: path), asOf: moment)
            let cut = try cutReplay(at: moment)
            XCTAssertEqual(travelled.desk, cut, "at \(Timestamp.format(moment))")
            if travelled.snapshotCovers.seq > 0 { fromCheckpoints += 1 }
            XCTAssertEqual(travelled.desk.tickets(matching: TicketQuery(), now: moment).map(\.id),
                           cut.tickets(matching: TicketQuery(), now: moment).map(\.id))
            XCTAssertEqual(travelled.desk.summary(now: moment), cut.summary(now: moment))
            XCTAssertEqual(travelled.desk.slaPolicy, cut.slaPolicy, "across the policy change at noon")
            for ticket in cut.tickets {
                XCTAssertEqual(travelled.desk.sla(of: travelled.desk.ticket(ticket.id)!, now: moment),
                               cut.sla(of: ticket, now: moment), "#\(ticket.id) at \(Timestamp.format(moment))")
            }
        }
        XCTAssertGreaterThan(fromCheckpoints, 30, "most moments start from a checkpoint")
        XCTAssertNoThrow(try DeskLog(location: .file(path: path), asOf: start.addingTimeInterval(-60)))
        XCTAssertEqual(try DeskLog(location: .file(path: path), asOf: start.addingTimeInterval(-60)).desk.lastSeq, 0,
                       "before the first record: nothing")
    }

    func testWithTheSnapshotGoneTheNewestCheckpointStandsInAndANewSnapshotIsDue() throws {
        try makeDay()
        let full = try DeskLog(path: path, writable: false, snapshots: false).desk
        let snapshot = path + ".snapshot"
        try FileManager.default.removeItem(atPath: snapshot)
        let log = try DeskLog(path: path, writable: true)
        XCTAssertTrue(log.snapshotMissing, "opened from a checkpoint")
        let newest = try XCTUnwrap(Checkpoints.paths(snapshotPath: snapshot, before: .distantFuture).first)
        let newestSeq = Int(URL(fileURLWithPath: newest).lastPathComponent.split(separator: "-")[0])!
        XCTAssertEqual(log.snapshotCovers.seq, newestSeq, "the newest checkpoint, then the records after it")
        XCTAssertLessThan(newestSeq, full.lastSeq)
        XCTAssertEqual(log.desk, full)
        XCTAssertTrue(log.snapshotIsDue, "however few records came after the checkpoint")
        log.refreshSnapshotIfDue(now: start.addingTimeInterval(86_400))
        XCTAssertFalse(log.snapshotIsDue)
        let reopened = try DeskLog(path: path, writable: false)
        XCTAssertFalse(reopened.snapshotMissing)
        XCTAssertEqual(reopened.snapshotCovers.seq, full.lastSeq, "opened from the snapshot written again")

        // The snapshot written again is the newest checkpoint too; damaged, the one before it stands in.
        let kept = try XCTUnwrap(Checkpoints.paths(snapshotPath: snapshot, before: .distantFuture).first)
        XCTAssertEqual(URL(fileURLWithPath: kept).lastPathComponent.split(separator: "-")[0], "\(full.lastSeq)")
        try FileManager.default.removeItem(atPath: snapshot)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: kept))
        bytes[SnapshotFile.headerSize + 8] ^= 0xFF
        try FileManager.default.removeItem(atPath: kept)
        try bytes.write(to: URL(fileURLWithPath: kept))
        let fromOlder = try DeskLog(path: path, writable: false)
        XCTAssertTrue(fromOlder.snapshotMissing)
        XCTAssertLessThan(fromOlder.snapshotCovers.seq, full.lastSeq)
        XCTAssertGreaterThan(fromOlder.snapshotCovers.seq, 0)
        XCTAssertEqual(fromOlder.desk, full)
    }

    func testADamagedCheckpointIsPassedOverNeverAWrongAnswer() throws {
        try makeDay()
        let moment = start.addingTimeInterval(18 * 3600 + 300)
        let newestBefore = try XCTUnwrap(Checkpoints.paths(snapshotPath: path + ".snapshot", before: moment).first)
        // Hard links share the bytes with the snapshot of the time: damage a copy put in its place.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: newestBefore))
        bytes[SnapshotFile.headerSize + 8] ^= 0xFF  // in the part every load checks
        try FileManager.default.removeItem(atPath: newestBefore)
        try bytes.write(to: URL(fileURLWithPath: newestBefore))
        let travelled = try DeskLog(location: .file(path: path), asOf: moment)
        XCTAssertEqual(travelled.desk, try cutReplay(at: moment))
        let damagedSeq = Int(URL(fileURLWithPath: newestBefore).lastPathComponent.split(separator: "-")[0])!
        XCTAssertLessThan(travelled.snapshotCovers.seq, damagedSeq, "an older checkpoint was used")
    }

    func testACheckpointIsReadOnlyAndNeverWritesASnapshot() throws {
        try makeDay()
        let snapshot = try FileManager.default.attributesOfItem(atPath: path + ".snapshot")[.modificationDate] as? Date
        let travelled = try DeskLog(location: .file(path: path), asOf: start.addingTimeInterval(3 * 3600))
        XCTAssertFalse(travelled.writable)
        travelled.refreshSnapshotIfDue(now: Date())
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path + ".snapshot")[.modificationDate] as? Date, snapshot)
        XCTAssertEqual(try travelled.catchUp(), 0, "catching up never passes the moment")
    }

    func testCheckpointsThinOutWithAgeAndStayWithinTheirSizeCapEvenlyOverTheLog() throws {
        let newest = Timestamp.parse("2027-03-01T12:00:00Z")!
        // One an hour for 60 days, 10 records apart; the desk (and its snapshot) grows with the log.
        let hours = 60 * 24
        let entries = (0..<hours).map { hour in
            Checkpoints.Entry(name: "\((hours - hour) * 10)-x.snapshot", seq: (hours - hour) * 10,
                              at: newest.addingTimeInterval(-Double(hour) * 3600), size: Int64(hours - hour))
        }
        let unbounded = Checkpoints.kept(entries.map { var entry = $0; entry.size = $0 == entries[0] ? 1_000_000 : 1; return entry })
        XCTAssertEqual(unbounded.first?.name, entries.first?.name, "the newest is always kept")
        XCTAssertEqual(unbounded.filter { newest.timeIntervalSince($0.at) < 86_400 }.count, 24, "hourly over the last day")
        XCTAssertTrue((29...30).contains(unbounded.filter { (86_400..<(30 * 86_400)).contains(newest.timeIntervalSince($0.at)) }.count))
        XCTAssertTrue((4...6).contains(unbounded.filter { newest.timeIntervalSince($0.at) >= 30 * 86_400 }.count))

        let kept = Checkpoints.kept(entries)
        XCTAssertEqual(kept.first, entries.first)
        XCTAssertLessThanOrEqual(kept.reduce(0) { $0 + $1.size }, Int64(Double(entries[0].size) * Checkpoints.sizeCap))
        let dayOld = try XCTUnwrap(entries.first { newest.timeIntervalSince($0.at) >= 86_400 })
        XCTAssertTrue(kept.contains(dayOld), "the newest a day old stays, so the last day is a short replay")
        let seqs = kept.map(\.seq) + [0]
        let gaps = zip(seqs, seqs.dropFirst()).map { $0 - $1 }
        XCTAssertLessThanOrEqual(gaps.max()!, 3 * (seqs[0] / kept.count), "spread over the log, not all recent: \(kept.map(\.seq))")
        // Sizes grow with the log: equal gaps would fit 3 besides the newest and the day-old one
        // (the longest replay a quarter of the log); older ones being smaller fit closer.
        XCTAssertLessThan(gaps.max()!, seqs[0] / 4, "\(kept.map(\.seq))")
    }
}
