import Foundation
import XCTest
@testable import HelpdeskCore

/// Where a replayed desk holds its tickets, for the replay's hint to the processor
/// (`Desk.ticketsMemory`): exactly the array the tickets are read from, and nothing for a desk
/// whose tickets are saved underneath, where there is no one array to point at.
final class TicketsMemoryTests: XCTestCase {
    private final class Saved: SavedRecords, @unchecked Sendable {
        let tickets: [Ticket]
        init(_ tickets: [Ticket]) { self.tickets = tickets }
        var count: Int { tickets.count }
        func element(at index: Int) -> Ticket { tickets[index] }
    }

    func testTheTicketsMemoryIsTheArrayTheTicketsAreReadFrom() {
        var fixture = DeskFixture()
        XCTAssertNil(fixture.desk.ticketsMemory, "no tickets yet")
        let ids = (1...5).map { fixture.open("Ticket \($0)") }
        guard let memory = fixture.desk.ticketsMemory else { return XCTFail("a replayed desk holds its tickets in one array") }
        XCTAssertEqual(memory.count, ids.count)
        XCTAssertEqual(memory.stride, MemoryLayout<Ticket>.stride)
        fixture.desk.tickets.array.withUnsafeBufferPointer { tickets in
            XCTAssertEqual(memory.base, UnsafeRawPointer(tickets.baseAddress!))
            for id in ids {
                let ticket = (memory.base + (id - 1) * memory.stride).assumingMemoryBound(to: Ticket.self)
                XCTAssertEqual(ticket.pointee.id, id)
                XCTAssertEqual(ticket.pointee.subject, "Ticket \(id)")
            }
        }
    }

    func testTicketsSavedUnderneathHaveNoOneArray() {
        var fixture = DeskFixture()
        _ = fixture.open("Saved")
        let table = LayeredTable<Ticket>(saved: Saved(fixture.desk.tickets.array))
        XCTAssertNil(table.memoryHint())
        XCTAssertNotNil(fixture.desk.tickets.memoryHint())
    }
}
