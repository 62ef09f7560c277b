import Foundation
import HelpdeskCore
import XCTest
@testable import HelpdeskLog

/// The snapshot keeps tickets of every shape exactly: a saved-then-loaded desk, read all at once
/// or record by record, equals the desk the records build.
final class SnapshotShapesTests: XCTestCase {
    /// Issue 10: a ticket's header frame says how many history entries the ticket has; that count
    /// was read as a length bounded by the frame's bytes, so a one-character subject with a few
    /// dozen events was refused as damaged.
    func testTicketsOfEveryShapeSurviveTheSnapshot() throws {
        var random = RandomDesk(seed: 10)
        random.steps(60)
        for subject in ["x", "é", "中", "😀", "e\u{301}"] { random.open(subject: subject, body: .some(nil)) }
        let notes = random.open(subject: "x", body: .some("hi"), as: RandomDesk.supervisor)!
        for note in 1...40 { random.run(.note(ticket: notes, body: "n\(note)"), as: "alice") }
        let hundreds = random.longTicket(rounds: 100)
        let thousands = random.longTicket(rounds: 1_000, subject: "?")
        random.open(subject: String(repeating: "漢字 wide ", count: 500), body: .some(String(repeating: "👩🏽‍💻 ", count: 20_000)))
        random.steps(40)
        let desk = random.desk

        XCTAssertTrue(desk.tickets.contains { $0.messages.isEmpty && $0.tags.isEmpty && $0.assignee == nil })
        XCTAssertGreaterThanOrEqual(desk.ticket(notes)?.messages.count ?? 0, 41, "and what the random steps after it added")
        XCTAssertGreaterThanOrEqual(desk.ticket(notes)?.history.count ?? 0, 42)
        XCTAssertGreaterThan(desk.ticket(hundreds)?.history.count ?? 0, 200)
        XCTAssertGreaterThan(desk.ticket(thousands)?.messages.count ?? 0, 2_000)
        XCTAssertTrue(desk.customers.contains { $0.phone == nil && $0.organisation == nil && $0.notes == nil })

        let bytes = SnapshotCodec.encode(desk, breaches: BreachSchedule(desk: desk, now: random.now))
        let eager = try SnapshotCodec.decode(HeldBytes(bytes))
        XCTAssertEqual(eager.desk, desk)
        XCTAssertEqual(eager.breaches, BreachSchedule(desk: desk, now: random.now))
        let lazy = try SnapshotCodec.decode(HeldBytes(bytes), lazily: true).desk
        XCTAssertEqual(lazy.tickets.map(\.historyCount), desk.tickets.map(\.history.count), "known before the history is read")
        XCTAssertEqual(DeskAnswers(lazy, now: random.now, messageIDs: random.messageIDs),
                       DeskAnswers(desk, now: random.now, messageIDs: random.messageIDs))
        XCTAssertEqual(lazy, desk)
    }

    func testAnEmptyDeskAndOneOfOneBareTicketSurviveTheSnapshot() throws {
        var random = RandomDesk(seed: 11)
        for desk in [Desk(), random.desk] {
            XCTAssertEqual(try SnapshotCodec.decode(HeldBytes(SnapshotCodec.encode(desk))).desk, desk)
        }
        random.open(subject: "x", body: .some(nil))
        let bytes = SnapshotCodec.encode(random.desk)
        XCTAssertEqual(try SnapshotCodec.decode(HeldBytes(bytes)).desk, random.desk)
        XCTAssertEqual(try SnapshotCodec.decode(HeldBytes(bytes), lazily: true).desk, random.desk)
    }

    /// A count of elements that follow is bounded by the bytes left (each takes one at least); a
    /// count of things kept elsewhere is not.
    func testCountsAreBoundedByWhatTheyCount() throws {
        var writer = BinaryWriter()
        writer.varint(5_000)
        writer.varint(3)
        let bytes = writer.finished()
        try bytes.withUnsafeBufferPointer { buffer in
            var counted = try BinaryReader(buffer)
            XCTAssertEqual(try counted.tally(), 5_000, "a history count in a header of a few bytes")
            XCTAssertThrowsError(try counted.elementCount(), "three elements cannot follow in no bytes")
            var listed = try BinaryReader(buffer)
            XCTAssertThrowsError(try listed.elementCount(), "5,000 elements cannot follow in one byte")
        }
    }
}
