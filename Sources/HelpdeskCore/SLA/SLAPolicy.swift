import Foundation

/// The three promises the desk makes on every ticket.
public enum SLATarget: String, CaseIterable, Sendable {
    /// The customer's first message (the ticket opening) → our first reply.
    case firstResponse = "first_response"
    /// The customer wrote again after we replied → our next reply.
    case nextResponse = "next_response"
    /// Opened → solved (time counted across reopenings).
    case resolution

    /// In words: "first response", as escalation reasons and `sla why` say it.
    public var name: String {
        switch self {
        case .firstResponse: "first response"
        case .nextResponse: "next response"
        case .resolution: "resolution"
        }
    }

    /// The reason an automatic escalation gives: "SLA breach: first response".
    public var escalationReason: String { "SLA breach: \(name)" }
}

/// The targets for one priority, in seconds of (business) time.
public struct SLATargets: Equatable, Sendable {
    public var firstResponse: TimeInterval
    public var nextResponse: TimeInterval
    public var resolution: TimeInterval

    public init(firstResponse: TimeInterval, nextResponse: TimeInterval, resolution: TimeInterval) {
        self.firstResponse = firstResponse
        self.nextResponse = nextResponse
        self.resolution = resolution
    }

    public subscript(target: SLATarget) -> TimeInterval {
        switch target {
        case .firstResponse: firstResponse
        case .nextResponse: nextResponse
        case .resolution: resolution
        }
    }
}

/// The desk's service levels: targets per priority, and the business hours and holidays the
/// clocks count in. Kept in the log as events (`slaTargetsSet`, `businessHoursSet`, …) and
/// applied by `Desk.apply`, so every process computes the same clocks.
public struct SLAPolicy: Equatable, Sendable {
    public var targets: [Priority: SLATargets]
    /// nil: clocks count every second of the day (holidays then do not matter).
    public var hours: BusinessHours?
    /// Days ("YYYY-MM-DD", in the business hours' time zone) on which no business time passes.
    public var holidays: Set<String>

    public init(targets: [Priority: SLATargets] = SLAPolicy.standardTargets, hours: BusinessHours? = nil,
                holidays: Set<String> = []) {
        self.targets = targets
        self.hours = hours
        self.holidays = holidays
    }

    /// urgent 1h / 1h / 4h, high 4h / 4h / 1d, normal 8h / 8h / 3d, low 24h / 24h / 7d.
    public static let standardTargets: [Priority: SLATargets] = [
        .urgent: SLATargets(firstResponse: 3600, nextResponse: 3600, resolution: 4 * 3600),
        .high: SLATargets(firstResponse: 4 * 3600, nextResponse: 4 * 3600, resolution: 86_400),
        .normal: SLATargets(firstResponse: 8 * 3600, nextResponse: 8 * 3600, resolution: 3 * 86_400),
        .low: SLATargets(firstResponse: 24 * 3600, nextResponse: 24 * 3600, resolution: 7 * 86_400),
    ]

    public static let standard = SLAPolicy()

    public func targets(for priority: Priority) -> SLATargets {
        targets[priority] ?? SLAPolicy.standardTargets[priority]!
    }

    public func target(_ target: SLATarget, for priority: Priority) -> TimeInterval {
        targets(for: priority)[target]
    }

    /// Holidays in date order.
    public var sortedHolidays: [String] { holidays.sorted() }

    /// The events that turn the standard policy into this one (for a snapshot of the desk, or
    /// to show how the policy was built).
    public var events: [Event] {
        var events: [Event] = []
        for priority in Priority.allCases.reversed() {
            let mine = targets(for: priority)
            guard mine != SLAPolicy.standardTargets[priority] else { continue }
            events.append(.slaTargetsSet(priority: priority, firstResponse: Int(mine.firstResponse),
                                         nextResponse: Int(mine.nextResponse), resolution: Int(mine.resolution)))
        }
        if let hours { events.append(.businessHoursSet(hours: hours.text, timeZone: hours.timeZoneID)) }
        for day in sortedHolidays { events.append(.holidayAdded(date: day)) }
        return events
    }

    /// Applies one policy event; false when the event is not about the policy.
    /// Throws a reason when the event cannot be applied (a schedule or time zone that does not parse).
    mutating func apply(_ event: Event) throws(Refusal) -> Bool {
        if case .slaTargetsSet(let priority, let first, let next, let resolution) = event {
            guard first > 0, next > 0, resolution > 0 else { throw Refusal(.invalid, "SLA targets must be positive") }
            targets[priority] = SLATargets(firstResponse: TimeInterval(first), nextResponse: TimeInterval(next),
                                           resolution: TimeInterval(resolution))
        } else if case .businessHoursSet(let text, let zone) = event {
            hours = try BusinessHours.parse(text, timeZone: zone)
        } else if case .businessHoursCleared = event {
            hours = nil
        } else if case .holidayAdded(let day) = event {
            guard CivilDay(text: day) != nil else { throw Refusal(.invalid, "bad holiday date '\(day)'") }
            holidays.insert(day)
        } else if case .holidayRemoved(let day) = event {
            holidays.remove(day)
        } else {
            return false
        }
        return true
    }

    /// Rebuilds a policy from events such as `events` gives.
    public init(replaying events: [Event]) throws(Refusal) {
        self.init()
        for event in events { _ = try apply(event) }
    }
}
