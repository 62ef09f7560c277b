import Foundation

/// What `helpdesk generate` makes: how big a desk, from which seed, worked by whom.
public struct GeneratorSettings: Equatable, Sendable {
    public var tickets: Int
    public var seed: UInt64
    public var agents: Int
    public var customers: Int
    /// The account that creates the desk and so is its first supervisor (as with `init`).
    public var supervisor: String

    /// Defaults that look like a real desk of that size: about a hundred agents for a large
    /// desk, customers who come back about three times each.
    public init(tickets: Int, seed: UInt64 = 1, agents: Int? = nil, customers: Int? = nil, supervisor: String) {
        self.tickets = max(0, tickets)
        self.seed = seed
        self.agents = max(2, agents ?? min(100, max(4, tickets / 1000)))
        self.customers = max(1, customers ?? max(1, tickets / 3))
        self.supervisor = supervisor
    }

    /// A fixed end rather than the clock, so that the same seed gives the same bytes.
    public static let end = Timestamp.parse("2026-11-02T00:00:00Z")!

    /// A busy desk sees a few thousand tickets a day; small desks still span two weeks so that
    /// ages and response times mean something, and no desk spans more than a year.
    public var days: Int { min(365, max(14, tickets / 2_700)) }

    public var start: Date { GeneratorSettings.end.addingTimeInterval(-Double(days) * 86_400) }
}
