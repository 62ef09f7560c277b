import Foundation
import HelpdeskCore

/// What a listing filters on of each ticket a snapshot kept (`SavedTicketKeys`), one word a
/// ticket by id - 1: status, priority, tier and channel a byte each (as `SnapshotCases` numbers
/// them; a tier beyond 254 as 255), then the assignee's place in the roster plus one in the high
/// 32 bits (0: none; all ones: an account not on the roster). A key that cannot say rules out
/// nothing: the ticket is read and asked.
final class SavedKeys: SavedTicketKeys, @unchecked Sendable {
    private let payload: SnapshotPayload
    private let roster: [String]
    private static let anyTier: UInt64 = 0xFF
    private static let offRoster: UInt64 = 0xFFFF_FFFF

    init(_ payload: SnapshotPayload, roster: [String]) {
        self.payload = payload
        self.roster = roster
    }

    /// The places in `roster`, plus one, by account.
    static func places(_ roster: [String]) -> [String: UInt64] {
        Dictionary(roster.enumerated().map { ($1, UInt64($0 + 1)) }, uniquingKeysWith: { first, _ in first })
    }

    static func word(_ ticket: Ticket, places: [String: UInt64]) -> UInt64 {
        let status = UInt64(SnapshotCases.statuses.firstIndex(of: ticket.status)!)
        let priority = UInt64(SnapshotCases.priorities.firstIndex(of: ticket.priority)!)
        let channel = UInt64(SnapshotCases.channels.firstIndex(of: ticket.channel)!)
        let tier = (0..<Int(anyTier)).contains(ticket.tier) ? UInt64(ticket.tier) : anyTier
        let assignee = ticket.assignee.map { places[$0] ?? offRoster } ?? 0
        return status | priority << 8 | tier << 16 | channel << 24 | assignee << 32
    }

    /// The word of the `index`-th ticket a snapshot kept, when it kept them (to copy into a new one).
    static func savedWord(_ index: Int, of payload: SnapshotPayload) -> UInt64? {
        payload.layout.keysAt == 0 ? nil : payload.word(at: payload.layout.keysAt + index * 8)
    }

    func ids(matching query: TicketQuery) -> [Int] {
        // Each byte field as a mask of the values that may match (all ones: any).
        func mask(_ wanted: Int?) -> UInt64 { wanted.map { $0 < 64 ? 1 << UInt64($0) : 0 } ?? .max }
        var statuses: UInt64
        switch query.statuses {
        case .all: statuses = .max
        case .notClosed: statuses = .max & ~mask(SnapshotCases.statuses.firstIndex(of: .closed))
        case .only(let status): statuses = mask(SnapshotCases.statuses.firstIndex(of: status))
        }
        // A byte past the cases is not a status: the ticket is asked.
        statuses |= ~(UInt64(1) << UInt64(SnapshotCases.statuses.count) - 1)
        let priorities = mask(query.priority.flatMap { SnapshotCases.priorities.firstIndex(of: $0) })
        let channels = mask(query.channel.flatMap { SnapshotCases.channels.firstIndex(of: $0) })
        let tier = query.tier.map { (0..<Int(Self.anyTier)).contains($0) ? UInt64($0) : Self.anyTier }
        let assignee: UInt64?
        switch query.assignment {
        case .anyone: assignee = nil
        case .unassigned: assignee = 0
        case .assigned(let account): assignee = roster.firstIndex(of: account).map { UInt64($0 + 1) } ?? Self.offRoster
        }
        func allows(_ mask: UInt64, _ byte: UInt64) -> Bool { byte >= 64 || mask & (1 << byte) != 0 }
        let table = payload.layout.keysAt
        var ids: [Int] = []
        for index in 0..<payload.layout.ticketCount {
            let word = payload.word(at: table + index * 8)
            guard allows(statuses, word & 0xFF), allows(priorities, word >> 8 & 0xFF),
                  allows(channels, word >> 24 & 0xFF) else { continue }
            if let tier, word >> 16 & 0xFF != Self.anyTier, word >> 16 & 0xFF != tier { continue }
            if let assignee, word >> 32 != Self.offRoster, word >> 32 != assignee { continue }
            ids.append(index + 1)
        }
        return ids
    }
}
