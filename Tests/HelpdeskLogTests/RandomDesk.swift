import Foundation
import HelpdeskCore
@testable import HelpdeskLog

/// A desk in memory made from a seed by real commands through `Rules.decide` and `Desk.apply`
/// (what replaying their records gives), with tickets of every shape: one-character, wide and
/// combining subjects, no message at all, no tags or assignee, hundreds of events, thousands of
/// messages; customers with and without their optional fields; message ids on every channel; and
/// changes to the roster and the SLA policy.
struct RandomDesk {
    /// One record as the log would hold it.
    struct Record {
        var seq: Int
        var at: Date
        var actor: String
        var events: [Event]
    }

    private(set) var desk = Desk()
    private(set) var now = Date(timeIntervalSince1970: 1_790_000_000)
    private var random: SeededRandom
    private var seq = 0
    /// Every record so far, as the log would hold them.
    private(set) var records: [RandomDesk.Record] = []
    /// Every message id given a ticket so far, to look up again.
    private(set) var messageIDs: [(channel: Channel, id: String)] = []
    static let supervisor = "sam"
    let agents = ["alice", "bob", "carol", "dmitri"]

    static let texts = [
        "x", "é", "中", "😀", "e\u{301}", "👩🏽‍💻", "?", "Printer on fire", "Не работает вход", "返金をお願いします",
        "a much longer subject that goes on and on about the invoice, the account and the weather",
        "tab\tand\r\ncrlf", "\u{1}\u{1b}[31mred", String(repeating: "wide 漢字 ", count: 40),
    ]

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
        run(.createDesk(displayName: "Sam"), as: Self.supervisor)
        for (index, account) in agents.enumerated() {
            run(.addAgent(account: account, displayName: index % 2 == 0 ? nil : "Agent \(account) 名",
                          role: index == 3 ? .supervisor : .agent, tier: 1 + index % 3), as: Self.supervisor)
        }
    }

    /// Decides `command` as `actor` and applies what it decided as one record; false when refused.
    @discardableResult
    mutating func run(_ command: Command, as actor: String) -> Bool {
        guard let events = try? Rules.decide(command, by: actor, at: now, on: desk), !events.isEmpty else { return false }
        apply(events, as: actor)
        return true
    }

    mutating func apply(_ events: [Event], as actor: String) {
        seq += 1
        let record = RandomDesk.Record(seq: seq, at: now, actor: actor, events: events)
        records.append(record)
        Self.replay(record, onto: &desk)
    }

    /// Applies `record` as a replay of the log does.
    static func replay(_ record: RandomDesk.Record, onto desk: inout Desk) {
        let context = EventContext(seq: record.seq, at: record.at, actor: record.actor)
        for event in record.events {
            do { try desk.apply(event, context: context) } catch { preconditionFailure("\(event): \(error)") }
        }
        desk.recordApplied(seq: record.seq)
    }

    private mutating func text() -> String { random.pick(Self.texts) }
    private mutating func someone() -> String { random.pick([Self.supervisor] + agents) }
    private mutating func someTicket() -> Int { 1 + random.below(max(1, desk.tickets.count)) }

    /// Opens a ticket (a new customer now and then, with or without a name); returns its id.
    @discardableResult
    mutating func open(subject: String? = nil, body: String?? = nil, as actor: String? = nil) -> Int? {
        let customer = random.below(12)
        let name: String? = random.chance(0.3) ? nil : "Customer \(customer) \(text())"
        let body = body ?? (random.chance(0.15) ? nil : text())
        let opened = run(.openTicket(customerEmail: "c\(customer)@example.com", customerName: name,
                                     subject: subject ?? text(), channel: random.pick(Channel.allCases),
                                     priority: random.pick(Priority.allCases), body: body), as: actor ?? someone())
        return opened ? desk.tickets.count : nil
    }

    /// One random command (or channel event), a few minutes to a few hours after the last.
    mutating func step() {
        now = now.addingTimeInterval(Double(random.int(in: 1...14_400)))
        guard !desk.tickets.isEmpty, random.below(8) != 0 else { open(); return }
        let id = someTicket(), actor = someone()
        switch random.below(23) {
        case 0: run(.addCustomerMessage(ticket: id, body: text()), as: actor)
        case 1: run(.take(ticket: id, steal: random.chance(0.3)), as: actor)
        case 2: run(.give(ticket: id, to: someone()), as: Self.supervisor)
        case 3: run(.release(ticket: id), as: desk.ticket(id)?.assignee ?? actor)
        case 4: run(.reply(ticket: id, body: text()), as: desk.ticket(id)?.assignee ?? actor)
        case 5: run(.note(ticket: id, body: text()), as: actor)
        case 6: run(.scheduleFollowUp(ticket: id, due: now.addingTimeInterval(Double(random.int(in: -3600...86_400))),
                                      note: random.chance(0.5) ? nil : text()), as: actor)
        case 7: run(.clearFollowUp(ticket: id), as: actor)
        case 8: run(.escalate(ticket: id, reason: text(), tier: nil), as: actor)
        case 9: run(.setPriority(ticket: id, priority: random.pick(Priority.allCases)), as: actor)
        case 10: run(.changeTags(ticket: id, add: random.chance(0.7) ? [random.pick(["billing", "vip", "標籤", "x"])] : [],
                                 remove: desk.ticket(id)?.tags.prefix(1).map { $0 } ?? []), as: actor)
        case 11: run(.resolve(ticket: id), as: actor)
        case 12: run(.reopen(ticket: id), as: actor)
        case 13: run(.close(ticket: id), as: actor)
        case 14: run(.hold(ticket: id), as: actor)
        case 15: run(.rate(ticket: id, score: random.int(in: 1...5), comment: random.chance(0.5) ? nil : text()), as: actor)
        case 16:
            run(.saveCustomer(email: "c\(random.below(12))@example.com", name: random.chance(0.5) ? nil : text(),
                              phone: random.chance(0.5) ? nil : "+44 20 7946 \(random.int(in: 1000...9999))",
                              organisation: random.chance(0.5) ? nil : text(), notes: random.chance(0.5) ? nil : text()),
                as: actor)
        case 17: channelEvent(id)
        case 18: policyChange()
        case 19:
            let other = someTicket()
            if desk.ticket(id)?.links.contains(where: { $0.ticket == other }) == true {
                run(.unlink(ticket: other, other: id), as: actor)
            } else {
                run(.link(ticket: id, other: other, kind: random.pick(LinkKind.allCases)), as: actor)
            }
        case 20: run(.merge(source: id, target: someTicket()), as: actor)
        case 21: run(.undo(ticket: random.chance(0.5) ? id : nil), as: desk.ticket(id)?.history.last?.actor ?? actor)
        default: run(.changeAgent(account: random.pick(agents), displayName: nil, role: nil,
                                  tier: random.int(in: 1...3), active: random.chance(0.9)), as: Self.supervisor)
        }
    }

    mutating func steps(_ count: Int) {
        for _ in 0..<count { step() }
    }

    /// A message id for one of the ticket's messages, or a sent mail's.
    private mutating func channelEvent(_ id: Int) {
        guard let ticket = desk.ticket(id), !ticket.messages.isEmpty else { return }
        let external = "id-\(seq)-\(text())"
        if random.chance(0.5) {
            apply([.messageReceived(ticket: id, message: ticket.messages.count, channel: ticket.channel, externalID: external,
                                    from: "c@example.com", raw: nil, automatic: nil)], as: "intake")
            messageIDs.append((ticket.channel, external))
        } else {
            apply([.mailQueued(ticket: id, mail: seq, message: nil), .mailSent(ticket: id, mail: seq, messageID: external)],
                  as: "mail")
            messageIDs.append((.email, external))
        }
    }

    private mutating func policyChange() {
        let command: SLAPolicyCommand = switch random.below(4) {
        case 0: .setTargets(priority: random.pick(Priority.allCases), firstResponse: Double(random.int(in: 1...48) * 1800),
                            nextResponse: nil, resolution: Double(random.int(in: 1...10) * 86_400))
        case 1: .setHours("mon-fri 09:00-17:00", timeZone: "Europe/Berlin")
        case 2: .addHoliday("2026-\(random.int(in: 10...12))-\(random.int(in: 10...28))")
        default: .clearHours
        }
        guard let events = try? SLARules.decide(command, by: Self.supervisor, on: desk), !events.isEmpty else { return }
        apply(events, as: Self.supervisor)
    }

    /// A ticket worked for `rounds` rounds: the customer writes, someone notes, the holder
    /// replies (about four events a round).
    @discardableResult
    mutating func longTicket(rounds: Int, subject: String = "x") -> Int {
        let id = open(subject: subject, body: .some("hi"), as: Self.supervisor)!
        let active = agents.filter { desk.agents[$0]?.active == true }
        let holder = active.isEmpty ? Self.supervisor : random.pick(active)
        run(.take(ticket: id, steal: false), as: holder)
        for round in 0..<rounds {
            now = now.addingTimeInterval(60)
            run(.addCustomerMessage(ticket: id, body: "round \(round)"), as: holder)
            if round % 3 == 0 { run(.note(ticket: id, body: "n\(round)"), as: holder) }
            run(.reply(ticket: id, body: "r\(round)"), as: desk.ticket(id)?.assignee ?? holder)
        }
        return id
    }
}

/// Everything a command can ask a desk, gathered so that two desks can be compared answer by
/// answer: a snapshot-loaded desk must give exactly the replayed one's.
struct DeskAnswers: Equatable {
    var tickets: [Ticket] = []
    var headers: [String] = []
    var messages: [[Message]] = []
    var histories: [[HistoryEntry]] = []
    var historyCounts: [Int] = []
    var listings: [[Int]] = []
    var customers: [Customer] = []
    var customersByEmail: [Int?] = []
    var customerTickets: [[Int]] = []
    var summary: DeskSummary?
    var activeFacts: [ActiveFacts] = []
    var statusIndex: StatusIndex?
    var report: DeskReport?
    var board: BoardFigures?
    var clocks: [TicketSLA] = []
    var explained: [TicketSLA] = []
    var breachesDue: [[Int]] = []
    var messageIDs: [Int?] = []
    var policy: SLAPolicy?
    var roster: [Agent] = []

    init(_ desk: Desk, now: Date, messageIDs known: [(channel: Channel, id: String)]) {
        tickets = Array(desk.tickets)
        // Each field on its own, so a header decoded wrongly names the field.
        headers = tickets.map { ticket in
            "\(ticket.id)|\(ticket.subject)|\(ticket.customerID)|\(ticket.channel)|\(ticket.priority)|\(ticket.status)|"
                + "\(ticket.assignee ?? "-")|\(ticket.tier)|\(ticket.tags)|\(ticket.createdAt)|\(ticket.updatedAt)|"
                + "\(String(describing: ticket.firstResponseAt))|\(String(describing: ticket.lastCustomerMessageAt))|"
                + "\(String(describing: ticket.lastReplyAt))|\(String(describing: ticket.followUp))|\(String(describing: ticket.rating))"
        }
        messages = tickets.map(\.messages)
        histories = tickets.map(\.history)
        historyCounts = tickets.map(\.historyCount)
        let statuses: [TicketQuery.Statuses] = [.notClosed, .all] + Status.allCases.map { .only($0) }
        let assignments: [TicketQuery.Assignment] = [.anyone, .unassigned, .assigned(to: "nobody")]
            + desk.roster.map { .assigned(to: $0) }
        for statuses in statuses {
            for assignment in assignments {
                for tier in [nil, 1, 2, 3] {
                    listings.append(desk.tickets(matching: TicketQuery(statuses: statuses, assignment: assignment, tier: tier))
                        .map(\.id))
                }
            }
        }
        let others = Priority.allCases.map { TicketQuery(statuses: .all, priority: $0) } + Channel.allCases.map { TicketQuery(channel: $0) }
            + ["billing", "vip", "x"].map { TicketQuery(statuses: .all, tags: [$0]) }
        listings += others.map { desk.tickets(matching: $0).map(\.id) }
        customers = Array(desk.customers)
        customersByEmail = (0..<14).map { desk.customer(email: " C\($0)@Example.com ")?.id }
        customerTickets = customers.map { customer in desk.tickets.filter { $0.customerID == customer.id }.map(\.id) }
        summary = desk.summary(now: now)
        activeFacts = desk.activeFacts
        statusIndex = desk.statusIndex
        report = DeskReport.make(desk: desk, since: now.addingTimeInterval(-30 * 86_400), now: now)
        board = BoardFigures.make(desk: desk, now: now, timeZone: TimeZone(identifier: "UTC")!)
        clocks = tickets.map { SLACalculator(policy: desk.slaPolicy).evaluate($0, now: now) }
        explained = tickets.map { desk.sla(of: $0, now: now, explain: true) }
        breachesDue = stride(from: 0.0, through: 96, by: 8).map {
            SLAEscalation.dueTickets(on: desk, now: now.addingTimeInterval($0 * 3600))
        }
        messageIDs = known.map { desk.channelIndex.candidate($0.channel, $0.id) }
            + [desk.channelIndex.candidate(.email, "nobody@nowhere")]
        policy = desk.slaPolicy
        roster = desk.roster.compactMap { desk.agents[$0] }
    }
}
