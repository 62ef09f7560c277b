import Foundation
import HelpdeskCore
import HelpdeskLog

/// The tickets the wallboard's figures are made from. Most of a large desk's tickets were solved
/// long ago and count in no figure: the board reads the active ones, and of the others those that
/// can still count (`BoardFigures.mayCount`) and the newest comments, found by one pass over the
/// desk when the board opens (off the loop on a large desk: meanwhile the figures are of the
/// active tickets alone, and the status line says so), plus every ticket a record touched since.
final class BoardTickets {
    struct Found: Sendable {
        /// Tickets not active at the pass that can still count, by id.
        var counting: [Int] = []
        /// Every rating's comment as of the pass, newest first.
        var comments: [(at: Date, ticket: Int)] = []
    }

    private var found: Found?
    private var scan: DeskScan<Found>?
    /// The desk to pass over off the loop once `startReading` is called, and when.
    private var toRead: (desk: Desk, now: Date)?
    /// Tickets records touched since the pass's copy of the desk.
    private var touched = Set<Int>()

    init(desk: Desk, now: Date, readAtOnceUpTo: Int = CustomerTickets.readAtOnceUpTo) {
        if desk.tickets.count <= readAtOnceUpTo {
            found = Self.pass(desk, now: now)
        } else {
            toRead = (desk, now)
        }
    }

    /// Starts the pass over a large desk off the loop.
    func startReading() {
        guard let (desk, now) = toRead else { return }
        toRead = nil
        scan = DeskScan(name: "helpdesk wallboard pass") { Self.pass(desk, now: now) }
    }

    private static func pass(_ desk: Desk, now: Date) -> Found {
        var found = Found()
        for ticket in desk.tickets {
            if !ticket.status.isActive, BoardFigures.mayCount(ticket, now: now) { found.counting.append(ticket.id) }
            if let rating = ticket.rating, rating.comment != nil { found.comments.append((rating.at, ticket.id)) }
            if ticket.id % 16_384 == 0 { SnapshotPages.release(of: desk) }  // a pass, not a working set
        }
        SnapshotPages.release(of: desk)
        found.comments.sort { ($0.at, $0.ticket) > ($1.at, $1.ticket) }
        return found
    }

    /// What the loop watches while the pass runs (nil: nothing to wait for).
    var waitingFD: Int32? { found == nil ? scan?.fd : nil }

    var isReading: Bool { found == nil }

    /// Notes the tickets records touched; takes the pass's result once it is in (true then).
    @discardableResult
    func follow(touched more: Set<Int>) -> Bool {
        touched.formUnion(more)
        scan?.drain()
        guard found == nil, let result = scan?.result else { return false }
        found = result
        return true
    }

    /// The figures' readings of those tickets at `now`, in id order, read on every core: each
    /// active ticket's history is decoded and its clocks walked, what a large desk's board waits for.
    func readings(of desk: Desk, now: Date) -> [BoardFigures.Reading] {
        let ids = ticketIDs(of: desk, now: now)
        let reader = BoardFigures.Reader(desk: desk, now: now)
        return concurrentMap(ids.count) { desk.ticket(ids[$0]).map(reader.read) }.compactMap { $0 }
    }

    /// The ids of the tickets to make the figures of at `now`, in order.
    private func ticketIDs(of desk: Desk, now: Date) -> [Int] {
        var ids = Set(desk.statusIndex.activeIDs).union(touched)
        if let found {
            ids.formUnion(found.counting)
            // The three newest comments of the tickets unchanged since the pass (changed ones are in already).
            var comments = 0
            for (at, ticket) in found.comments where at <= now && !touched.contains(ticket) {
                ids.insert(ticket)
                comments += 1
                if comments == 3 { break }
            }
        }
        return ids.sorted()
    }
}
