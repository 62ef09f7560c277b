import Foundation
import HelpdeskCore
import XCTest
@testable import HelpdeskLog

/// For random desks, a desk loaded from a snapshot answers every query exactly as the replayed
/// one does; so does one loaded from a refreshed snapshot (a snapshot, more records replayed on
/// top of it, then a snapshot of that). Seeds: a fixed few and one new each run, or only those in
/// HELPDESK_SNAPSHOT_SEEDS (comma-separated) to reproduce a failure, which names its seed.
final class SnapshotPropertyTests: XCTestCase {
    static var seeds: [UInt64] {
        if let given = ProcessInfo.processInfo.environment["HELPDESK_SNAPSHOT_SEEDS"] {
            return given.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        }
        return [1, 2, 3, 4, 5, UInt64.random(in: 6...UInt64.max)]
    }

    func testASnapshotLoadedDeskAnswersAsTheReplayedOne() throws {
        for seed in Self.seeds {
            do {
                try check(seed: seed)
            } catch {
                XCTFail("seed \(seed) (rerun with HELPDESK_SNAPSHOT_SEEDS=\(seed)): \(error)")
            }
        }
    }

    /// The same through the log's own files: a snapshot written by a `DeskLog`, records appended
    /// after it, a desk opened from both, then a refreshed snapshot, against a full replay.
    func testADeskLogOpenedFromItsSnapshotAnswersAsTheFullReplay() throws {
        for seed in Self.seeds.suffix(3) {
            do {
                try checkLog(seed: seed)
            } catch {
                XCTFail("seed \(seed) (rerun with HELPDESK_SNAPSHOT_SEEDS=\(seed)): \(error)")
            }
        }
    }

    private func checkLog(seed: UInt64) throws {
        let context = "seed \(seed) (rerun with HELPDESK_SNAPSHOT_SEEDS=\(seed))"
        var random = RandomDesk(seed: seed)
        random.steps(150)
        random.longTicket(rounds: 30)
        let path = try makeTemporaryDirectory().file("desk.log")
        func write(_ records: some Sequence<RandomDesk.Record>, append: Bool) throws {
            let lines = records.flatMap { RecordCodec.encode(Record(seq: $0.seq, at: $0.at, actor: $0.actor, events: $0.events)) }
            try append ? Bytes.append(lines, to: path) : Bytes.write(lines, to: path)
        }
        try write(random.records, append: false)
        XCTAssertTrue(try DeskLog(path: path, writable: true).writeSnapshot(now: Date()), context)
        let covered = random.records.count
        random.steps(100)
        try write(random.records[covered...], append: true)

        let replayed = try DeskLog(path: path, writable: false, snapshots: false).desk
        let answers = DeskAnswers(replayed, now: random.now, messageIDs: random.messageIDs)
        let opened = try DeskLog(path: path, writable: false)
        XCTAssertEqual(opened.snapshotCovers.seq, covered, context)
        XCTAssertEqual(DeskAnswers(opened.desk, now: random.now, messageIDs: random.messageIDs), answers,
                       "\(context), a snapshot and the records after it")

        XCTAssertTrue(try DeskLog(path: path, writable: true).writeSnapshot(now: Date()), context)
        let refreshed = try DeskLog(path: path, writable: false)
        XCTAssertEqual(refreshed.snapshotCovers.seq, random.records.count, context)
        XCTAssertEqual(DeskAnswers(refreshed.desk, now: random.now, messageIDs: random.messageIDs), answers,
                       "\(context), the refreshed snapshot")
        for hours in stride(from: 0.0, through: 240, by: 12) {
            let at = Date().addingTimeInterval(hours * 3600)
            XCTAssertEqual(refreshed.dueBreachTickets(now: at), SLAEscalation.dueTickets(on: replayed, now: at),
                           "\(context), due breaches at +\(hours) h")
        }
    }

    private func check(seed: UInt64) throws {
        let context = "seed \(seed) (rerun with HELPDESK_SNAPSHOT_SEEDS=\(seed))"
        var shape = SeededRandom(seed: seed ^ 0x5EED)
        var random = RandomDesk(seed: seed)
        random.steps(100 + shape.below(300))
        if shape.chance(0.5) { random.longTicket(rounds: 20 + shape.below(200), subject: shape.chance(0.5) ? "x" : "中") }
        random.steps(shape.below(100))

        // A snapshot of the desk as it is now, with its breach schedule.
        let taken = random.desk, now = random.now
        let bytes = SnapshotCodec.encode(taken, breaches: BreachSchedule(desk: taken, now: now))
        let expected = DeskAnswers(taken, now: now, messageIDs: random.messageIDs)
        // All at once first: a record that does not decode is then an error thrown here, rather
        // than the desk replayed from the log answering, as for a command reading it lazily.
        for lazily in [false, true] {
            let loaded = try SnapshotCodec.decode(HeldBytes(bytes), lazily: lazily)
            XCTAssertEqual(DeskAnswers(loaded.desk, now: now, messageIDs: random.messageIDs), expected,
                           "\(context), read \(lazily ? "record by record" : "all at once")")
            XCTAssertEqual(loaded.breaches, BreachSchedule(desk: taken, now: now), context)
        }

        // More records on top of the snapshot (what a command replays), then a refreshed snapshot
        // that copies the records of tickets nobody changed; twice.
        var loaded = try SnapshotCodec.decode(HeldBytes(bytes), lazily: true)
        for round in 1...2 {
            random.steps(30 + shape.below(150))
            var desk = loaded.desk
            let tail = random.records.filter { $0.seq > desk.lastSeq }
            for record in tail { RandomDesk.replay(record, onto: &desk) }
            var breaches = BreachSchedule(desk: desk, now: random.now)
            if var kept = loaded.breaches, kept.fits(desk) {
                kept.update(Set(tail.flatMap { $0.events.compactMap(\.ticketID) }), desk: desk, now: random.now)
                breaches = kept
            }
            let answers = DeskAnswers(random.desk, now: random.now, messageIDs: random.messageIDs)
            XCTAssertEqual(DeskAnswers(desk, now: random.now, messageIDs: random.messageIDs), answers,
                           "\(context), a snapshot and \(tail.count) records after it")
            loaded = try SnapshotCodec.decode(HeldBytes(SnapshotCodec.encode(desk, breaches: breaches)), lazily: true)
            XCTAssertEqual(DeskAnswers(loaded.desk, now: random.now, messageIDs: random.messageIDs), answers,
                           "\(context), refreshed snapshot \(round)")
            XCTAssertEqual(loaded.desk, random.desk, context)
            let schedule = try XCTUnwrap(loaded.breaches, context)
            for hours in stride(from: 0.0, through: 240, by: 6) {
                let at = random.now.addingTimeInterval(hours * 3600)
                let candidates = schedule.candidates(at: at, ticketCount: loaded.desk.tickets.count)
                XCTAssertEqual(SLAEscalation.dueTickets(on: loaded.desk, now: at, among: candidates),
                               SLAEscalation.dueTickets(on: random.desk, now: at), "\(context), due breaches at +\(hours) h")
            }
        }
    }
}
