import Foundation
import HelpdeskCore
import HelpdeskLog

/// Each customer's tickets, for the customer pane. A ticket's customer never changes, so each
/// ticket is indexed once, in id order: those the desk had at open in one table, made at once
/// on a small desk and by a `DeskScan` on a large one (the pane says it is reading meanwhile),
/// and the tickets opened since as they arrive.
struct CustomerTickets {
    /// Desks with more tickets than this are read off the loop.
    static let readAtOnceUpTo = 20_000

    private var table: CustomerTable?
    private var scan: DeskScan<CustomerTable>?
    /// The desk to read off the loop once `startReading` is called (nil: read already, or reading).
    private var toRead: Desk?
    /// The tickets opened since, by customer.
    private var later: [Int: [Int]] = [:]
    private var indexed: Int

    init(desk: Desk, readAtOnceUpTo: Int = CustomerTickets.readAtOnceUpTo) {
        let count = desk.tickets.count
        indexed = count
        if count <= readAtOnceUpTo {
            table = CustomerTable(desk: desk, count: count)
        } else {
            toRead = desk
        }
    }

    /// Starts reading a large desk's tickets off the loop.
    mutating func startReading() {
        guard let desk = toRead else { return }
        toRead = nil
        let count = desk.tickets.count
        scan = DeskScan(name: "helpdesk customer index") { CustomerTable(desk: desk, count: count) }
    }

    /// What the loop watches while the table is being made (nil: nothing to wait for).
    var waitingFD: Int32? { table == nil ? scan?.fd : nil }

    /// Indexes the tickets opened since, and takes the table once it is made; true when the
    /// table just became ready.
    @discardableResult
    mutating func follow(_ desk: Desk) -> Bool {
        let tickets = desk.tickets
        while indexed < tickets.count {
            later[tickets[indexed].customerID, default: []].append(indexed + 1)
            indexed += 1
        }
        // The scan is kept: the loop watches its descriptor as long as it runs.
        guard table == nil, let made = scan?.result else { return false }
        table = made
        return true
    }

    /// The customer's ticket ids, in id order; nil while the table is being made.
    func ids(of customer: Int) -> [Int]? {
        guard let table else { return nil }
        return table.ids(of: customer) + (later[customer] ?? [])
    }

    /// Empties the pipe of the scan (the loop's drain).
    func drain() { scan?.drain() }
}

/// The first tickets of a desk grouped by customer: for each customer, where its tickets start
/// in one array of ids (4 bytes a ticket, however large the desk).
struct CustomerTable: Sendable {
    private var starts: [Int32]
    private var tickets: [Int32]

    init(desk: Desk, count: Int) {
        var customers = [Int32](repeating: 0, count: count)
        var counts = [Int32](repeating: 0, count: desk.customers.count + 2)
        for index in 0..<count {
            let customer = desk.tickets[index].customerID
            customers[index] = Int32(customer)
            if customer >= 1 && customer < counts.count - 1 { counts[customer + 1] += 1 }
            if index % 16_384 == 16_383 { SnapshotPages.release(of: desk) }  // a pass, not a working set
        }
        SnapshotPages.release(of: desk)
        for customer in 1..<counts.count { counts[customer] += counts[customer - 1] }
        starts = counts
        tickets = [Int32](repeating: 0, count: Int(counts.last!))
        var next = counts
        for index in 0..<count {
            let customer = Int(customers[index])
            guard customer >= 1 && customer < next.count - 1 else { continue }
            tickets[Int(next[customer])] = Int32(index + 1)
            next[customer] += 1
        }
    }

    func ids(of customer: Int) -> [Int] {
        guard customer >= 1 && customer < starts.count - 1 else { return [] }
        return tickets[Int(starts[customer])..<Int(starts[customer + 1])].map(Int.init)
    }
}
