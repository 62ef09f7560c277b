import XCTest
@testable import HelpdeskConsole
import HelpdeskCore
import HelpdeskLog
import HelpdeskTestSupport

/// A console on a desk opened from its snapshot reads the active tickets alone until a view
/// that can show others is chosen, and the customer pane's tickets off the loop on a large
/// desk: every view, sort and customer pane must still be exactly what the whole desk says.
final class SavedDeskQueueTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var path = ""
    private let now = GeneratorSettings.end.addingTimeInterval(3600)

    override func setUpWithError() throws {
        folder = try TemporaryFolder("saved-desk-queue")
        path = folder.file("desk.log")
        _ = try GeneratedLog.write(GeneratorSettings(tickets: 1500, seed: 7, supervisor: "sam"), to: path)
    }

    override func tearDown() { folder.remove() }

    /// The whole desk, replayed from the log: what every answer is checked against.
    private func replayed() throws -> Desk { try DeskLog(path: path, writable: false, snapshots: false).desk }

    /// A view's ids as the order of every ticket gives them (how the console worked them out before scopes).
    private func expected(_ desk: Desk, _ view: QueueViewKind, _ sort: QueueSort, me: String) -> [Int] {
        QueueOrder(desk: desk, sort: sort, now: now, scope: .everyTicket).entries.filter { view.includes($0, me: me) }.map(\.id)
    }

    func testEveryViewAndSortIsTheWholeDesksAndOnlyTheSolvedViewReadsTheSolvedTickets() throws {
        let log = try DeskLog(path: path, writable: true)
        XCTAssertNotNil(log.desk.tickets.saved, "opened from the snapshot")
        let me = log.desk.roster[1]
        let console = Console(log: log, me: me, externalEditor: false, clock: { [now] in now })
        let whole = try replayed()
        XCTAssertGreaterThan(whole.statusIndex.count(.solved) + whole.statusIndex.count(.closed), 0)
        for view in QueueViewKind.allCases where view != .solved {
            for sort in QueueSort.allCases {
                console.state.view = view
                console.state.sort = sort
                console.refresh()
                XCTAssertEqual(console.queue.ids, expected(whole, view, sort, me: me), "\(view.rawValue) by \(sort.rawValue)")
                XCTAssertEqual(console.queue.scope, .active, "\(view.rawValue) shows active tickets alone")
            }
        }
        console.state.view = .solved
        for sort in QueueSort.allCases {
            console.state.sort = sort
            console.refresh()
            XCTAssertEqual(console.queue.scope, .activeAndSolved)
            XCTAssertEqual(console.queue.ids, expected(whole, .solved, sort, me: me), "solved by \(sort.rawValue)")
        }
        XCTAssertFalse(console.queue.ids.isEmpty)
        for view in QueueViewKind.allCases {
            console.state.view = view
            console.refresh()
            XCTAssertEqual(console.queue.scope, .activeAndSolved, "widened for good")
            XCTAssertEqual(console.queue.ids, expected(whole, view, console.state.sort, me: me), "\(view.rawValue) after solved")
        }
    }

    func testTheSolvedTicketsAreFoundByTheSavedKeysAndByWhatChangedSince() throws {
        let log = try DeskLog(path: path, writable: true)
        let saved = log.desk
        XCTAssertNotNil(saved.tickets.saved, "opened from the snapshot")
        let whole = try replayed()
        XCTAssertEqual(saved.ticketIDs(in: .solved), whole.tickets.filter { $0.status == .solved }.map(\.id))
        XCTAssertEqual(whole.ticketIDs(in: .solved), saved.ticketIDs(in: .solved), "a replayed desk reads its tickets")
        let solved = try XCTUnwrap(whole.ticketIDs(in: .solved).first)
        let active = try XCTUnwrap(whole.statusIndex.activeIDs.first)
        for command in [Command.reopen(ticket: solved), .resolve(ticket: active),
                        .openTicket(customerEmail: "new@example.com", customerName: nil, subject: "New", channel: .email,
                                    priority: .normal, body: "Hello")] {
            _ = try log.append(actor: "sam", now: now) { desk, time throws(Refusal) in try Rules.decide(command, by: "sam", at: time, on: desk) }
        }
        let last = log.desk.nextTicketID - 1
        _ = try log.append(actor: "sam", now: now) { desk, time throws(Refusal) in try Rules.decide(.resolve(ticket: last), by: "sam", at: time, on: desk) }
        let after = try replayed()
        XCTAssertEqual(log.desk.ticketIDs(in: .solved), after.tickets.filter { $0.status == .solved }.map(\.id))
        XCTAssertFalse(log.desk.ticketIDs(in: .solved).contains(solved), "reopened")
        XCTAssertTrue(log.desk.ticketIDs(in: .solved).contains(active), "solved since the snapshot")
        XCTAssertTrue(log.desk.ticketIDs(in: .solved).contains(last), "opened and solved since")
    }

    func testRecordsMoveTicketsInAndOutOfTheActiveTickets() throws {
        let log = try DeskLog(path: path, writable: true)
        let me = log.desk.roster[1]
        let console = Console(log: log, me: me, externalEditor: false, clock: { [now] in now })
        console.state.view = .allOpen
        console.refresh()
        let desk = log.desk
        let solved = try XCTUnwrap((1...desk.tickets.count).first { desk.tickets[$0 - 1].status == .solved })
        let active = try XCTUnwrap(desk.statusIndex.activeIDs.last)
        let other = try DeskLog(path: path, writable: true)
        for (command, id) in [(Command.reopen(ticket: solved), solved), (.resolve(ticket: active), active)] {
            _ = try other.append(actor: "sam", now: now) { desk, time throws(Refusal) in try Rules.decide(command, by: "sam", at: time, on: desk) }
            XCTAssertTrue(console.catchUp())
            XCTAssertEqual(console.queue.ids, expected(try replayed(), .allOpen, console.state.sort, me: me), "after \(command) of #\(id)")
        }
        XCTAssertTrue(console.queue.ids.contains(solved), "reopened: in the queue")
        XCTAssertFalse(console.queue.ids.contains(active), "solved: out of it")
    }

    func testASavedViewThatCanShowSolvedOrClosedTicketsWidensTheScope() throws {
        let log = try DeskLog(path: path, writable: true)
        let me = log.desk.roster[1]
        for view in [SavedView(name: "urgent", priority: .urgent), SavedView(name: "all-urgent", allStatuses: true, priority: .urgent)] {
            _ = try log.append(actor: "sam", now: now) { desk, time throws(Refusal) in
                try Rules.decide(.saveView(view, replacing: false), by: "sam", at: time, on: desk)
            }
        }
        let console = Console(log: log, me: me, externalEditor: false, clock: { [now] in now })
        XCTAssertEqual(console.queue.scope, .active)
        console.state.savedView = "urgent"
        console.refresh()
        XCTAssertEqual(console.queue.scope, .activeAndSolved, "not closed: solved tickets too")
        let whole = try replayed()
        let query = try XCTUnwrap(whole.views["urgent"]).query(for: me)
        let order = QueueOrder(desk: whole, sort: console.state.sort, now: now).entries.map(\.id)
        XCTAssertEqual(console.queue.ids, order.filter { query.matches(whole.tickets[$0 - 1]) })
        XCTAssertTrue(console.queue.ids.contains { whole.tickets[$0 - 1].status == .solved })

        console.state.savedView = "all-urgent"
        console.refresh()
        XCTAssertEqual(console.queue.scope, .everyTicket, "closed tickets too")
        let every = try XCTUnwrap(whole.views["all-urgent"]).query(for: me)
        XCTAssertEqual(console.queue.ids, order.filter { every.matches(whole.tickets[$0 - 1]) })
        XCTAssertTrue(console.queue.ids.contains { whole.tickets[$0 - 1].status == .closed })
    }

    func testTheCustomerPaneOfALargeDeskIsReadOffTheLoopAndThenExact() throws {
        let log = try DeskLog(path: path, writable: true)
        let whole = try replayed()
        var customers = CustomerTickets(desk: log.desk, readAtOnceUpTo: 0)
        XCTAssertNil(customers.ids(of: 1), "nothing read before it is started")
        customers.startReading()
        let fd = try XCTUnwrap(customers.waitingFD, "a large desk is read by a thread")
        try waitFor("the customers' tickets to be read") {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            return poll(&entry, 1, 0) == 1
        }
        XCTAssertTrue(customers.follow(log.desk))
        XCTAssertNil(customers.waitingFD)
        for customer in stride(from: 1, through: whole.customers.count, by: 7) {
            XCTAssertEqual(customers.ids(of: customer), whole.tickets.filter { $0.customerID == customer }.map(\.id), "customer \(customer)")
        }
        // A ticket opened since: indexed as it arrives.
        let first = whole.tickets[0]
        let email = try XCTUnwrap(whole.customer(first.customerID)).email
        _ = try log.append(actor: "sam", now: now) { desk, time throws(Refusal) in
            try Rules.decide(.openTicket(customerEmail: email, customerName: nil, subject: "Again", channel: .email,
                                         priority: .normal, body: "Hello again"), by: "sam", at: time, on: desk)
        }
        customers.follow(log.desk)
        XCTAssertEqual(customers.ids(of: first.customerID)?.last, log.desk.tickets.count)
    }
}
