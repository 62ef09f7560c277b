import Foundation

/// One record a generated desk is made of, before it is written.
public struct GeneratedRecord: Sendable {
    public var seq: Int
    public var at: Date
    public var actor: String
    public var events: [Event]
}

/// A realistic desk, made deterministically from a seed by running real commands through
/// `Rules.decide` and `Desk.apply`, exactly as agents would. Pure: it hands each record to the
/// caller, who writes it, and keeps the desk the records add up to.
public struct DeskGenerator {
    public let settings: GeneratorSettings
    /// The desk so far: what replaying the records handed out so far gives.
    public private(set) var desk = Desk()
    /// Tickets opened so far (of `settings.tickets`).
    public private(set) var ticketsOpened = 0
    public private(set) var eventCount = 0

    private var random: SeededRandom
    private let cast: GeneratorCast
    private var queue = ActionQueue()
    private var scripts: [TicketScript] = []
    /// Commands to run before the next ticket step: the desk's creation and roster, promotions.
    private var pending: [(at: Int64, actor: String, command: Command)] = []
    /// When the next ticket arrives, drawn once.
    private var nextArrival: Int64?
    private let startMillis: Int64, endMillis: Int64
    private var supervisors: [String]
    /// Accounts that may work a ticket at tier 1, 2, 3 (supervisors work any).
    private var workers: [[String]] = []

    public init(settings: GeneratorSettings) {
        self.settings = settings
        random = SeededRandom(seed: settings.seed)
        cast = GeneratorCast(settings, &random)
        startMillis = Int64(settings.start.timeIntervalSince1970 * 1000)
        endMillis = Int64(GeneratorSettings.end.timeIntervalSince1970 * 1000)
        supervisors = [settings.supervisor] + cast.agents.filter { $0.role == .supervisor }.map(\.account)
        pending.append((startMillis, settings.supervisor, .createDesk(displayName: nil)))
        for (index, agent) in cast.agents.enumerated() {
            pending.append((startMillis + Int64(index + 1) * 1000, settings.supervisor,
                            .addAgent(account: agent.account, displayName: agent.name, role: agent.role, tier: agent.tier)))
        }
        scripts.reserveCapacity(settings.tickets)
        rebuildWorkers()
    }

    private mutating func rebuildWorkers() {
        workers = (1...Rules.highestTier).map { tier in
            cast.agents.compactMap { member in
                let agent = desk.agents[member.account]
                let memberTier = agent?.tier ?? member.tier
                return member.role == .agent && memberTier >= tier ? member.account : nil
            }
        }
        for tier in 0..<workers.count where workers[tier].isEmpty { workers[tier] = supervisors }
    }

    /// Runs commands until one is accepted, hands its record to `place` (which writes it and
    /// returns the events as a replay would keep them: message bodies as references into the
    /// log), and applies those. Returns false once the desk is complete.
    public mutating func next(_ place: (GeneratedRecord) throws -> [Event]) rethrows -> Bool {
        while let (at, actor, command) = nextCommand() {
            let now = Date(timeIntervalSince1970: Double(at) / 1000)
            guard let events = try? Rules.decide(command, by: actor, at: now, on: desk), !events.isEmpty else { continue }
            let seq = desk.lastSeq + 1
            let kept = try place(GeneratedRecord(seq: seq, at: now, actor: actor, events: events))
            let context = EventContext(seq: seq, at: now, actor: actor)
            for event in kept {
                do { try desk.apply(event, context: context) } catch {
                    preconditionFailure("the rules decided an event that does not apply: \(error)")
                }
            }
            desk.recordApplied(seq: seq)
            eventCount += kept.count
            if case .changeAgent = command { rebuildWorkers() }
            return true
        }
        return false
    }

    /// Runs to the end, keeping every body in the desk as text: for tests and small desks.
    public mutating func run() -> [GeneratedRecord] {
        var records: [GeneratedRecord] = []
        while next({ record in records.append(record); return record.events }) {}
        return records
    }

    private mutating func nextCommand() -> (Int64, String, Command)? {
        while true {
            if !pending.isEmpty { return pending.removeFirst() }
            if nextArrival == nil, ticketsOpened < settings.tickets { nextArrival = arrivalTime(ticketsOpened) }
            let arrival = nextArrival ?? .max
            guard let due = queue.first, due.at < arrival else {
                guard arrival != .max else { return nil }
                nextArrival = nil
                return arrive(at: arrival)
            }
            _ = queue.removeFirst()
            // The period is over: what has not happened yet stays undone, like a real queue.
            guard due.at <= endMillis else { queue.removeAll(); continue }
            if let command = step(due.ticket, at: due.at) { return command }
        }
    }

    /// Tickets arrive spread evenly over the period, with jitter.
    private mutating func arrivalTime(_ index: Int) -> Int64 {
        let span = Double(endMillis - startMillis - 3_600_000)
        return startMillis + 3_600_000 + Int64(span * (Double(index) + random.unit()) / Double(settings.tickets))
    }

    private mutating func arrive(at time: Int64) -> (Int64, String, Command) {
        let index = ticketsOpened
        ticketsOpened += 1
        // Now and then someone is promoted, so the roster has a history too.
        if settings.tickets >= 3, index % (settings.tickets / 3) == settings.tickets / 6 {
            let firstTier = cast.agents.filter { desk.agents[$0.account]?.tier == 1 && $0.role == .agent }
            if firstTier.count > 1 {
                pending.append((time, supervisors[0],
                                .changeAgent(account: firstTier[0].account, displayName: nil, role: nil, tier: 2, active: nil)))
            }
        }
        let customerIndex = cast.drawCustomer(&random)
        let customer = cast.customer(customerIndex)
        let newCustomer = desk.customer(email: customer.email) == nil
        let channel = Channel.allCases[random.weighted([45, 20, 18, 4, 10, 3])]
        let priority = [Priority.low, .normal, .high, .urgent][random.weighted([20, 60, 16, 4])]
        let ticket = desk.nextTicketID
        let shape = TicketShape(index: index)
        scripts.append(shape.script(priority: priority, newCustomer: newCustomer, &random))
        if let first = scripts[ticket - 1].current { queue.schedule(ticket: ticket, at: time + first.after) }
        let body = shape == .bare ? nil : TextMaker.customerMessage(&random, signedBy: customer.name)
        return (time, pick(workers[0]), .openTicket(customerEmail: customer.email, customerName: customer.name,
                                                  subject: shape.subject(&random), channel: channel,
                                                  priority: priority, body: body))
    }

    /// The command for ticket `id`'s due step, and the next step scheduled; nil when it is skipped.
    private mutating func step(_ id: Int, at time: Int64) -> (Int64, String, Command)? {
        guard let ticket = desk.ticket(id), let step = scripts[id - 1].current else { return nil }
        let decision = command(for: step.action, on: ticket, at: time)
        if decision?.advance ?? true { scripts[id - 1].next += 1 }
        if let next = scripts[id - 1].current {
            queue.schedule(ticket: id, at: time + (decision?.advance ?? true ? next.after : 5 * TicketScript.minute))
        } else {
            scripts[id - 1] = TicketScript()  // done: free it
        }
        return decision.map { (time, $0.actor, $0.command) }
    }

    private mutating func pick(_ accounts: [String]) -> String { random.pick(accounts) }

    private mutating func worker(for ticket: Ticket, besides other: String? = nil) -> String? {
        let candidates = workers[ticket.tier - 1].filter { $0 != other }
        return candidates.isEmpty ? nil : pick(candidates)
    }

    /// `advance` is false when a different command has to come first (a reply to a ticket no
    /// one holds: someone takes it, and the reply follows a few minutes later).
    private mutating func command(for action: TicketScript.Action, on ticket: Ticket,
                                  at time: Int64) -> (actor: String, command: Command, advance: Bool)? {
        let id = ticket.id
        let holder = ticket.assignee
        func done(_ actor: String?, _ command: Command) -> (actor: String, command: Command, advance: Bool)? {
            actor.map { ($0, command, true) }
        }
        switch action {
        case .take:
            guard holder == nil else { return nil }
            return done(worker(for: ticket), .take(ticket: id, steal: false))
        case .steal:
            return done(worker(for: ticket, besides: holder), .take(ticket: id, steal: true))
        case .give:
            guard let target = worker(for: ticket, besides: holder) else { return nil }
            return done(pick(supervisors), .give(ticket: id, to: target))
        case .reply:
            guard let holder else {
                return worker(for: ticket).map { ($0, .take(ticket: id, steal: false), false) }
            }
            let customer = desk.customer(ticket.customerID)?.name.split(separator: " ").first.map(String.init) ?? "there"
            let agent = desk.agents[holder]?.displayName ?? holder
            return done(holder, .reply(ticket: id, body: TextMaker.reply(&random, to: customer, from: agent)))
        case .customerMessage:
            let name = desk.customer(ticket.customerID)?.name ?? ""
            return done(holder ?? pick(workers[0]),
                        .addCustomerMessage(ticket: id, body: TextMaker.customerMessage(&random, signedBy: name)))
        case .note:
            return done(holder ?? worker(for: ticket), .note(ticket: id, body: TextMaker.note(&random)))
        case .followUp:
            let due = Date(timeIntervalSince1970: Double(time + Int64(random.int(in: 20...96)) * TicketScript.hour) / 1000)
            let note = random.chance(0.6) ? random.pick(WordLists.followUpNotes) : nil
            return done(holder ?? pick(supervisors), .scheduleFollowUp(ticket: id, due: due, note: note))
        case .clearFollowUp:
            return done(holder ?? pick(supervisors), .clearFollowUp(ticket: id))
        case .escalate:
            return done(holder ?? pick(supervisors),
                        .escalate(ticket: id, reason: random.pick(WordLists.escalationReasons), tier: nil))
        case .raisePriority:
            guard let higher = Priority.allCases.first(where: { $0 > ticket.priority }) else { return nil }
            return done(holder ?? pick(supervisors), .setPriority(ticket: id, priority: higher))
        case .tags:
            var add = [random.pick(WordLists.tags)]
            if random.chance(0.3) { add.append(random.pick(WordLists.tags)) }
            let remove = !ticket.tags.isEmpty && random.chance(0.2) ? [random.pick(ticket.tags)] : []
            return done(holder ?? pick(supervisors), .changeTags(ticket: id, add: add, remove: remove))
        case .hold:
            return done(holder ?? pick(supervisors), .hold(ticket: id))
        case .resolve:
            return done(holder ?? worker(for: ticket), .resolve(ticket: id))
        case .reopen:
            return done(holder ?? pick(supervisors), .reopen(ticket: id))
        case .rate:
            let score = [5, 4, 3, 2, 1][random.weighted([45, 30, 12, 6, 7])]
            let comment = random.chance(0.3) ? random.pick(WordLists.ratingComments) : nil
            return done(pick(supervisors), .rate(ticket: id, score: score, comment: comment))
        case .close:
            return done(holder ?? pick(supervisors), .close(ticket: id))
        case .updateCustomer:
            guard let customer = desk.customer(ticket.customerID) else { return nil }
            let phone = "+44 20 7946 " + String(random.int(in: 1000...9999))
            return done(pick(workers[0]), .saveCustomer(email: customer.email, name: nil, phone: phone,
                                                        organisation: random.pick(WordLists.organisations), notes: nil))
        }
    }
}
