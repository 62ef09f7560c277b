import Foundation
import HelpdeskCore
import XCTest
@testable import HelpdeskLog

/// `appendEach`: many records under one hold of the lock and one sync, each decided against the
/// desk the ones before it made.
final class BatchAppendTests: XCTestCase {
    func testEachItemSeesTheOnesBeforeItAndARefusalIsSkipped() throws {
        let path = try makeTemporaryDirectory().file("desk.log")
        let log = try LogFixture.create(path)
        let commands: [Command] = [
            .openTicket(customerEmail: "jane@example.com", customerName: "Jane", subject: "One", channel: .chat,
                        priority: .normal, body: "First"),
            .addCustomerMessage(ticket: 1, body: "Also this"),   // the ticket the item before opened
            .addCustomerMessage(ticket: 42, body: "Nowhere"),    // refused, skipped
            .reply(ticket: 1, body: "On it"),
        ]
        let batch = try log.appendEach(commands.count, actor: LogFixture.supervisor, now: Date.init) { index, desk, now throws(Refusal) in
            try Rules.decide(commands[index], by: LogFixture.supervisor, at: now, on: desk)
        }
        XCTAssertNil(batch.stoppedBy)
        XCTAssertEqual(batch.outcomes.count, 4)
        XCTAssertEqual(try batch.outcomes[0].get()?.seq, 2)
        XCTAssertEqual(try batch.outcomes[1].get()?.seq, 3)
        guard case .failure(let refusal) = batch.outcomes[2] else { return XCTFail("ticket 42 does not exist") }
        XCTAssertEqual(refusal.kind, .notFound)
        XCTAssertEqual(try batch.outcomes[3].get()?.seq, 4, "the sequence has no gap where the refusal was")

        // Everything is in the file, one record per item, as another process reads it.
        let reader = try DeskLog(path: path, writable: false, snapshots: false)
        XCTAssertEqual(reader.desk, log.desk)
        XCTAssertEqual(reader.desk.lastSeq, 4)
        XCTAssertEqual(reader.desk.ticket(1)?.messages.map(\.kind), [.customer, .customer, .reply])
    }
}
