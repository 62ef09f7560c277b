/// What will happen to one ticket, drawn when it arrives: a list of steps, each some time after
/// the one before. Each step becomes a command only when it is due, against the desk as it is
/// then, so a step that no longer fits (the ticket was closed, someone else took it) is skipped.
struct TicketScript {
    enum Action: Sendable {
        case take, steal, give, reply, customerMessage, note, followUp, clearFollowUp, escalate
        case raisePriority, tags, hold, resolve, reopen, rate, close, updateCustomer
    }

    struct Step {
        /// Milliseconds after the previous step.
        var after: Int64
        var action: Action
    }

    var steps: [Step] = []
    var next = 0

    var current: Step? { next < steps.count ? steps[next] : nil }

    static let minute: Int64 = 60_000, hour = 60 * minute, day = 24 * hour

    /// About ten events' worth of work: first response, a few rounds with the customer, now and
    /// then a steal, an escalation or a follow-up, and mostly a resolution, a rating and closing.
    static func draw(priority: Priority, newCustomer: Bool, _ random: inout SeededRandom) -> TicketScript {
        func minutes(_ range: ClosedRange<Int>) -> Int64 { Int64(random.int(in: range)) * minute }
        func hours(_ range: ClosedRange<Int>) -> Int64 { Int64(random.int(in: range)) * hour + minutes(0...59) }
        func days(_ range: ClosedRange<Int>) -> Int64 { Int64(random.int(in: range)) * day + hours(0...23) }
        // Urgent tickets are picked up in minutes, low ones within a couple of days.
        func response() -> Int64 {
            switch priority {
            case .urgent: minutes(2...30)
            case .high: minutes(10...180)
            case .normal: minutes(30...720)
            case .low: minutes(120...2_880)
            }
        }
        var script = TicketScript()
        func add(_ after: Int64, _ action: Action) { script.steps.append(Step(after: after, action: action)) }

        if newCustomer, random.chance(0.15) { add(minutes(1...30), .updateCustomer) }
        add(response(), .take)
        if random.chance(0.12) { add(minutes(1...20), .tags) }
        if random.chance(0.05) { add(minutes(1...60), .raisePriority) }
        add(minutes(3...40), .reply)
        if random.chance(0.06) { add(hours(1...8), .steal) }
        if random.chance(0.04) { add(hours(1...8), .give) }
        if random.chance(0.08) {
            add(minutes(5...120), .note)
            add(minutes(1...10), .escalate)
            add(response(), .take)
            add(minutes(5...60), .reply)
        }
        for _ in 0..<random.weighted([25, 35, 25, 10, 5]) {
            if random.chance(0.15) {
                add(minutes(1...10), .followUp)
                if random.chance(0.5) { add(days(1...4), .clearFollowUp) }
            }
            add(hours(1...48), .customerMessage)
            if random.chance(0.2) { add(minutes(5...60), .note) }
            add(response(), .reply)
        }
        if random.chance(0.03) {
            add(hours(1...4), .hold)
            add(days(1...5), .reply)
        }
        if random.chance(0.2) { add(minutes(5...120), .tags) }
        guard random.chance(0.9) else { return script }
        add(hours(1...24), .resolve)
        if random.chance(0.06) {
            // The customer writes again after the fix: the ticket reopens.
            add(days(1...5), .customerMessage)
            add(response(), .reply)
            add(hours(1...24), .resolve)
        } else if random.chance(0.01) {
            add(days(1...3), .reopen)
            add(response(), .reply)
            add(hours(1...24), .resolve)
        }
        if random.chance(0.45) { add(hours(2...72), .rate) }
        if random.chance(0.6) { add(days(3...7), .close) }
        return script
    }

    /// A conversation that goes back and forth `rounds` times, each message `apart` minutes
    /// after the one before: about three events a round, then the resolution.
    static func conversation(rounds: Int, apart: ClosedRange<Int>, _ random: inout SeededRandom) -> TicketScript {
        var script = TicketScript()
        func add(_ action: Action) {
            script.steps.append(Step(after: Int64(random.int(in: apart)) * minute, action: action))
        }
        script.steps.reserveCapacity(rounds * 3 + 2)
        add(.take)
        for _ in 0..<rounds {
            add(.customerMessage)
            if random.chance(0.3) { add(.note) }
            add(.reply)
        }
        add(.resolve)
        return script
    }
}
