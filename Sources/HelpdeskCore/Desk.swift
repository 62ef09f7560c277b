import Foundation

/// An event that does not fit the state it is applied to: the log says something impossible
/// (e.g. a message for a ticket that was never opened). Rules never produce one; only a log
/// written by something else can.
public struct InconsistentEvent: Error, Equatable, CustomStringConvertible {
    public var seq: Int
    public var reason: String
    public var description: String { "record \(seq): \(reason)" }
}

/// The whole desk: the result of applying every event of the log in order.
public struct Desk: Equatable, Sendable {
    /// The log format the desk was created with; nil until the first record is applied.
    public private(set) var format: Int?
    public private(set) var agents: [String: Agent] = [:]
    /// Accounts in the order they joined the roster.
    public private(set) var roster: [String] = []
    /// Customer `id` is its index + 1.
    public private(set) var customers = LayeredTable<Customer>()
    /// By address (see `emailKey`): every customer of a replayed desk; of a saved one, those
    /// added or readdressed since it was saved (the saved index answers for the others).
    private var customerIDByEmail: [String: Int] = [:]
    private var savedEmails: (any SavedEmailIndex)?
    /// Ticket `id` is its index + 1.
    public private(set) var tickets = LayeredTable<Ticket>()
    /// How many tickets are in each status, and which are active.
    public private(set) var statusIndex = StatusIndex()
    private var savedActiveFacts: (any SavedActiveFacts)?
    /// What a listing filters on of each ticket, as the saved desk kept it (see `tickets(matching:)`).
    private(set) var savedTicketKeys: (any SavedTicketKeys)?
    /// The sequence number of the last record applied; 0 for an empty log.
    public private(set) var lastSeq = 0
    /// Message ids seen on each channel (Message-IDs received and sent, external ids), by ticket:
    /// duplicate deliveries and threading. Kept up as events are applied (`rebuildChannelIndex`
    /// works it out afresh from the tickets' history).
    public private(set) var channelIndex = ChannelIndex()
    /// The SLA policy: targets per priority, business hours, holidays (the standard one until a
    /// supervisor changes it). A snapshot keeps it as `slaPolicy.events`; see `restoreSLAPolicy`.
    public private(set) var slaPolicy = SLAPolicy.standard
    /// The database roles whose connections may act as any agent (see `Event.actingRoleAdded`).
    public private(set) var actingRoles: Set<String> = []
    /// The desk's macros, by name (see `Macro`).
    public private(set) var macros: [String: Macro] = [:]
    /// The desk's saved views, by name (see `SavedView`).
    public private(set) var views: [String: SavedView] = [:]
    /// Senders the desk takes nothing from and sends nothing to, by pattern (see `BlockedSender`).
    public private(set) var blockedSenders: [String: BlockedSender] = [:]
    /// Survey settings, opt-outs and what is waiting to be asked (see `Surveys`).
    public private(set) var surveys = SurveyState()
    /// The ticket each account changed last (what `undo` without a ticket undoes).
    public var lastTicketChanged: [String: Int] { lastTicketChangedByAccount.dictionary }
    private var lastTicketChangedByAccount = LastTicketChanged()
    /// Groups, routing rules and who is available (see `Team`).
    public internal(set) var team = Team()
    /// Where the tickets this desk opens record their history (shared by its copies).
    private let historyColumn = HistoryColumn()

    public init() {}

    /// A desk as it was saved (a snapshot of the state some records built): the roster in the
    /// order agents joined, customers and tickets in id order, with the indexes kept beside
    /// them. Without `savedEmails`, the customers are indexed by address here.
    public init(restoringFormat format: Int?, roster: [Agent], customers: LayeredTable<Customer>,
                savedEmails: (any SavedEmailIndex)?, tickets: LayeredTable<Ticket>, statusIndex: StatusIndex,
                savedActiveFacts: (any SavedActiveFacts)?, savedTicketKeys: (any SavedTicketKeys)? = nil,
                lastSeq: Int, channelIndex: ChannelIndex) {
        self.format = format
        self.roster = roster.map(\.account)
        agents = Dictionary(roster.map { ($0.account, $0) }, uniquingKeysWith: { _, last in last })
        self.customers = customers
        self.savedEmails = savedEmails
        if savedEmails == nil {
            customerIDByEmail = Dictionary(customers.map { (Desk.emailKey($0.email), $0.id) }, uniquingKeysWith: { _, last in last })
        }
        self.tickets = tickets
        self.statusIndex = statusIndex
        self.savedActiveFacts = savedActiveFacts
        self.savedTicketKeys = savedTicketKeys
        self.lastSeq = lastSeq
        self.channelIndex = channelIndex
    }

    public static func == (a: Desk, b: Desk) -> Bool {
        a.format == b.format && a.agents == b.agents && a.roster == b.roster && a.customers == b.customers
            && a.tickets == b.tickets && a.statusIndex == b.statusIndex && a.lastSeq == b.lastSeq
            && a.channelIndex == b.channelIndex && a.slaPolicy == b.slaPolicy && a.actingRoles == b.actingRoles
            && a.macros == b.macros && a.views == b.views && a.lastTicketChangedByAccount == b.lastTicketChangedByAccount
            && a.blockedSenders == b.blockedSenders && a.surveys == b.surveys && a.team == b.team
            && a.customers.allSatisfy { b.customer(email: $0.email)?.id == $0.id }
    }

    public func ticket(_ id: Int) -> Ticket? {
        tickets.indices.contains(id - 1) ? tickets[id - 1] : nil
    }

    /// Where the tickets lie in memory, while the desk holds them all in one array (a replayed
    /// desk): ticket `id` at `base + (id - 1) * stride`. A replay asks the processor to fetch the
    /// tickets of the records a few ahead (`PipelinedScan`), since a ticket anywhere in a large
    /// desk is rarely in the cache. Only a hint: never read or written through.
    public var ticketsMemory: (base: UnsafeRawPointer, count: Int, stride: Int)? {
        tickets.memoryHint().map { ($0.base, $0.count, MemoryLayout<Ticket>.stride) }
    }

    public func customer(_ id: Int) -> Customer? {
        customers.indices.contains(id - 1) ? customers[id - 1] : nil
    }

    /// Emails are unique regardless of case.
    public func customer(email: String) -> Customer? {
        customerID(emailKey: Desk.emailKey(email)).flatMap(customer)
    }

    private func customerID(emailKey key: String) -> Int? {
        if let id = customerIDByEmail[key] { return id }
        // The saved index still names a customer by an address they have changed since: each
        // candidate is confirmed against the customer as they are now.
        return savedEmails?.candidates(forEmailKey: key).first { customer($0).map { Desk.emailKey($0.email) } == key }
    }

    /// What the summary needs of each active ticket, in id order: as the saved desk kept it for
    /// the tickets unchanged since, read from the ticket for the others.
    public var activeFacts: [ActiveFacts] {
        let saved = savedActiveFacts?.facts ?? []
        var next = saved.startIndex
        return statusIndex.activeIDs.map { id in
            if tickets.isSavedUnchanged(id - 1) {
                while next < saved.endIndex, saved[next].id < id { next += 1 }
                if next < saved.endIndex, saved[next].id == id { return saved[next] }
            }
            return ActiveFacts(tickets[id - 1])
        }
    }

    /// The active tickets (neither solved nor closed), in id order.
    public var activeTickets: some Sequence<Ticket> {
        statusIndex.activeIDs.lazy.map { tickets[$0 - 1] }
    }

    public var nextTicketID: Int { tickets.count + 1 }
    public var nextCustomerID: Int { customers.count + 1 }

    /// What makes two addresses the same customer's: case and surrounding blanks do not count.
    public static func emailKey(_ email: String) -> String {
        // Most addresses are their own key: lowercase ASCII with no space around them (no need
        // for Unicode's case tables, a twentieth of a replay's applying when asked each time).
        let isKey = email.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && !(0x41...0x5A).contains($0) }
        } ?? false
        return isKey ? email : email.trimmingWhitespace().lowercased()
    }

    /// Puts back the SLA policy a snapshot saved (`SLAPolicy(replaying: desk.slaPolicy.events)`).
    public mutating func restoreSLAPolicy(_ policy: SLAPolicy) {
        slaPolicy = policy
    }

    /// Puts back the acting roles a snapshot saved.
    public mutating func restoreActingRoles(_ roles: Set<String>) {
        actingRoles = roles
    }

    /// Puts back the macros a snapshot saved.
    public mutating func restoreMacros(_ saved: [Macro]) {
        macros = Dictionary(saved.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Puts back the blocks a snapshot saved.
    public mutating func restoreBlockedSenders(_ saved: [BlockedSender]) {
        blockedSenders = Dictionary(saved.map { ($0.pattern, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Puts back the survey state a snapshot saved.
    public mutating func restoreSurveys(_ saved: SurveyState) {
        surveys = saved
    }

    /// Puts back what a snapshot saved of the ticket each account changed last.
    public mutating func restoreLastTicketChanged(_ saved: [String: Int]) {
        lastTicketChangedByAccount = LastTicketChanged(saved)
    }

    /// Puts back the views a snapshot saved.
    public mutating func restoreViews(_ saved: [SavedView]) {
        views = Dictionary(saved.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Works `channelIndex` out afresh from every ticket's history, in the order of the log
    /// (the index keeps the first ticket to hold an id).
    public mutating func rebuildChannelIndex() {
        var index = ChannelIndex()
        let entries = tickets.flatMap(\.history).enumerated().sorted { ($0.element.seq, $0.offset) < ($1.element.seq, $1.offset) }
        for (_, entry) in entries { index.index(entry.event) }
        channelIndex = index
    }

    /// Marks a record as applied. Records carry several events; the sequence moves once.
    public mutating func recordApplied(seq: Int) {
        lastSeq = seq
    }

    /// The one function that changes the desk: applies `event`, recorded as `context` says.
    public mutating func apply(_ event: Event, context: EventContext) throws(InconsistentEvent) {
        // Only these two events set a ticket's status.
        switch event {
        case .ticketOpened(let id, _, _, _, _):
            try applyToState(event, context: context)
            statusIndex.move(id, from: nil, to: .new)
        case .statusChanged(let id, _, let to):
            let before = tickets.indices.contains(id - 1) ? tickets.read(id - 1, { $0.status }) : nil
            try applyToState(event, context: context)
            if before != to { statusIndex.move(id, from: before, to: to) }
            surveys.observe(event, ticket: surveys.looksAtTicket(event) ? tickets[id - 1] : nil, at: context.at)
        case .satisfactionRated(let id, _, _), .surveyQueued(let id, _, _), .surveyAnswered(let id, _, _, _):
            try applyToState(event, context: context)
            surveys.observe(event, ticket: surveys.looksAtTicket(event) ? tickets[id - 1] : nil, at: context.at)
        case .surveyConfigured, .customerSurveys:
            try applyToState(event, context: context)
            surveys.observe(event, ticket: nil, at: context.at)
        case .deskCreated, .agentAdded, .agentChanged, .customerCreated, .customerUpdated, .messageAdded, .assigned,
             .unassigned, .priorityChanged, .escalated, .followUpScheduled, .followUpCleared, .tagsChanged,
             .messageReceived, .attachmentAdded, .mailQueued, .mailSent, .mailFailed,
             .mailQuarantined, .slaTargetsSet, .businessHoursSet, .businessHoursCleared, .holidayAdded, .holidayRemoved,
             .actingRoleAdded, .actingRoleRemoved, .macroSaved, .macroRemoved, .viewSaved, .viewRemoved,
             .senderBlocked, .senderUnblocked,
             .ticketMerged, .ticketLinked, .ticketUnlinked, .changeUndone,
             .groupAdded, .groupRemoved, .groupMemberAdded, .groupMemberRemoved, .groupAssignSet, .ticketGrouped,
             .ruleAdded, .ruleRemoved, .ruleMoved, .ticketRouted, .agentAvailable, .agentAway:
            try applyToState(event, context: context)
        }
    }

    private mutating func applyToState(_ event: Event, context: EventContext) throws(InconsistentEvent) {
        func fail(_ reason: String) -> InconsistentEvent {
            InconsistentEvent(seq: context.seq, reason: reason)
        }
        switch event {
        case .deskCreated(let format):
            guard self.format == nil else { throw fail("the desk was already created") }
            self.format = format

        case .agentAdded(let account, let displayName, let role, let tier):
            guard agents[account] == nil else { throw fail("agent \(account) is already on the roster") }
            agents[account] = Agent(account: account, displayName: displayName, role: role, tier: tier, active: true)
            roster.append(account)

        case .agentChanged(let account, let displayName, let role, let tier, let active):
            guard var agent = agents[account] else { throw fail("no agent \(account)") }
            if let displayName { agent.displayName = displayName }
            if let role { agent.role = role }
            if let tier { agent.tier = tier }
            if let active { agent.active = active }
            agents[account] = agent

        case .customerCreated(let id, let email, let name, let phone, let organisation, let notes):
            guard id == nextCustomerID else { throw fail("customer \(id) out of order") }
            let key = Desk.emailKey(email)
            guard customerID(emailKey: key) == nil else { throw fail("customer \(email) exists") }
            customers.append(Customer(id: id, name: name, email: email, phone: phone,
                                      organisation: organisation, notes: notes))
            customerIDByEmail[key] = id

        case .customerUpdated(let id, let email, let name, let phone, let organisation, let notes):
            guard var customer = customer(id) else { throw fail("no customer \(id)") }
            if let email {
                let key = Desk.emailKey(email)
                if let owner = customerID(emailKey: key), owner != id { throw fail("customer \(email) exists") }
                customerIDByEmail[Desk.emailKey(customer.email)] = nil
                customerIDByEmail[key] = id
                customer.email = email
            }
            if let name { customer.name = name }
            if let phone { customer.phone = phone }
            if let organisation { customer.organisation = organisation }
            if let notes { customer.notes = notes }
            customers[id - 1] = customer

        case .ticketOpened(let id, let subject, let customerID, let channel, let priority):
            guard id == nextTicketID else { throw fail("ticket \(id) out of order") }
            guard customers.indices.contains(customerID - 1) else { throw fail("no customer \(customerID)") }
            tickets.append(Ticket(
                id: id, subject: subject, customerID: customerID, channel: channel, priority: priority,
                status: .new, assignee: nil, tier: 1, tags: [], createdAt: context.at, updatedAt: context.at,
                firstResponseAt: nil, lastCustomerMessageAt: nil, lastReplyAt: nil, followUp: nil,
                rating: nil, detail: TicketDetail.newTicket(recordingIn: historyColumn)))
            recordHistory(event, of: id, context: context)

        case .actingRoleAdded(let role):
            actingRoles.insert(role)
        case .actingRoleRemoved(let role):
            actingRoles.remove(role)
        case .macroSaved(let macro):
            macros[macro.name] = macro
        case .macroRemoved(let name):
            guard macros.removeValue(forKey: name) != nil else { throw fail("no macro \(name)") }
        case .viewSaved(let view):
            views[view.name] = view
        case .viewRemoved(let name):
            guard views.removeValue(forKey: name) != nil else { throw fail("no view \(name)") }
        case .senderBlocked(let pattern, let reason):
            blockedSenders[pattern] = BlockedSender(pattern: pattern, reason: reason, by: context.actor, at: context.at)
        case .senderUnblocked(let pattern):
            guard blockedSenders.removeValue(forKey: pattern) != nil else { throw fail("\(pattern) is not blocked") }
        case .surveyConfigured:
            break  // kept by `surveys`
        case .customerSurveys(let id, _):
            guard customer(id) != nil else { throw fail("no customer \(id)") }
        case .groupAdded, .groupRemoved, .groupMemberAdded, .groupMemberRemoved, .groupAssignSet, .ruleAdded,
             .ruleRemoved, .ruleMoved, .agentAvailable, .agentAway:
            if let reason = team.apply(event) { throw fail(reason) }
        case .slaTargetsSet, .businessHoursSet, .businessHoursCleared, .holidayAdded, .holidayRemoved:
            do {
                _ = try slaPolicy.apply(event)
            } catch {
                throw fail(error.message)
            }

        case .mailQuarantined:
            break  // the quarantine is kept beside the log; the event is its audit trail

        case .messageReceived(let id, let message, _, _, let from, _, _):
            guard tickets.indices.contains(id - 1) else { throw fail("no ticket \(id)") }
            guard tickets[id - 1].messages.indices.contains(message - 1) else {
                throw fail("ticket \(id) has no message \(message)")
            }
            // Mail from someone other than the ticket's customer is marked with its sender.
            if Desk.emailKey(tickets[id - 1].messages[message - 1].author) != Desk.emailKey(from) {
                tickets[id - 1].messages[message - 1].author = from
            }
            channelIndex.index(event)
            recordHistory(event, of: id, context: context)

        case .ticketMerged(let id, let into):
            try TicketPair.check(id, into, in: tickets.count, fail)
            guard tickets[id - 1].mergedInto == nil else { throw fail("ticket \(id) is already merged") }
            tickets[id - 1].mergedInto = into
            tickets[into - 1].mergedFrom.append(id)
            recordHistory(event, of: id, context: context)
            recordHistory(event, of: into, context: context)

        case .ticketLinked(let id, let other, let kind):
            try TicketPair.check(id, other, in: tickets.count, fail)
            tickets[id - 1].links.removeAll { $0.ticket == other }
            tickets[id - 1].links.append(TicketLink(ticket: other, kind: kind))
            tickets[other - 1].links.removeAll { $0.ticket == id }
            tickets[other - 1].links.append(TicketLink(ticket: id, kind: kind.inverse))
            recordHistory(event, of: id, context: context)
            recordHistory(event, of: other, context: context)

        case .ticketUnlinked(let id, let other):
            try TicketPair.check(id, other, in: tickets.count, fail)
            tickets[id - 1].links.removeAll { $0.ticket == other }
            tickets[other - 1].links.removeAll { $0.ticket == id }
            recordHistory(event, of: id, context: context)
            recordHistory(event, of: other, context: context)

        case .changeUndone(let id, _, _, let message):
            guard tickets.indices.contains(id - 1) else { throw fail("no ticket \(id)") }
            if let message {
                guard tickets[id - 1].messages.indices.contains(message - 1) else {
                    throw fail("ticket \(id) has no message \(message)")
                }
                tickets[id - 1].messages[message - 1].withdrawn = true
            }
            recordHistory(event, of: id, context: context)

        case .mailSent(let id, _, _), .mailFailed(let id, _, _):
            guard tickets.indices.contains(id - 1) else { throw fail("no ticket \(id)") }
            // Delivery is not work on the ticket: it leaves `updatedAt` alone.
            channelIndex.index(event)
            tickets[id - 1].appendHistory(HistoryEntry(seq: context.seq, at: context.at, actor: context.actor, via: context.via, event: event))

        case .messageAdded, .assigned, .unassigned, .priorityChanged, .statusChanged, .escalated, .followUpScheduled,
             .followUpCleared, .tagsChanged, .satisfactionRated, .attachmentAdded, .mailQueued, .surveyQueued,
             .surveyAnswered, .ticketGrouped,
             .ticketRouted:
            guard let id = event.ticketID, tickets.indices.contains(id - 1) else {
                throw fail("no ticket \(event.ticketID.map(String.init) ?? "?")")
            }
            // The customer's address (which a customer's message is written by) is looked up
            // first: `tickets` is then mutated in place, with nothing else of `self` in use, so
            // no copy of the table is ever made.
            var customerEmail = ""
            if case .messageAdded(_, .customer, _) = event {
                let customerID = tickets.read(id - 1, { $0.customerID })
                if customers.indices.contains(customerID - 1) { customerEmail = customers.read(customerID - 1, { $0.email }) }
            }
            // A survey's answer is the customer's own, whoever recorded the mail it came in.
            let isAnswer = if case .surveyAnswered = event { true } else { false }
            let recorded = isAnswer ? EventContext(seq: context.seq, at: context.at, actor: Surveys.customerActor) : context
            // Applied and recorded in one access to the ticket.
            Desk.applyToTicket(event, ticket: &tickets[id - 1], customerEmail: customerEmail, context: context,
                               recordedAs: recorded)
            lastTicketChangedByAccount.set(id, for: recorded.actor)
            if case .assigned(let id, let to, _) = event, context.actor == AutoAssignment.actor,
               let group = tickets.read(id - 1, { $0.group }) {
                team.lastTurn[group] = to
            }
        }
    }

    private mutating func recordHistory(_ event: Event, of id: Int, context: EventContext) {
        lastTicketChangedByAccount.set(id, for: context.actor)
        Desk.record(event, on: &tickets[id - 1], context: context)
    }

    private static func record(_ event: Event, on ticket: inout Ticket, context: EventContext) {
        ticket.updatedAt = context.at
        ticket.appendHistory(HistoryEntry(seq: context.seq, at: context.at, actor: context.actor, via: context.via, event: event))
    }

    private static func applyToTicket(_ event: Event, ticket: inout Ticket, customerEmail: String,
                                      context: EventContext, recordedAs recorded: EventContext) {
        applyToTicket(event, ticket: &ticket, customerEmail: customerEmail, context: context)
        record(event, on: &ticket, context: recorded)
    }

    static func applyToTicket(_ event: Event, ticket: inout Ticket, customerEmail: String,
                                      context: EventContext) {
        switch event {
        case .messageAdded(_, let kind, let body):
            let author = kind == .customer ? customerEmail : context.actor
            ticket.messages.append(Message(kind: kind, author: author, at: context.at, body: body))
            switch kind {
            case .customer: ticket.lastCustomerMessageAt = context.at
            case .reply:
                ticket.lastReplyAt = context.at
                if ticket.firstResponseAt == nil { ticket.firstResponseAt = context.at }
            case .note: break
            }
        case .assigned(_, let to, _): ticket.assignee = to
        case .unassigned: ticket.assignee = nil
        case .priorityChanged(_, _, let to): ticket.priority = to
        case .statusChanged(_, _, let to): ticket.status = to
        case .escalated(_, let tier, _): ticket.tier = tier
        case .followUpScheduled(_, let due, let note): ticket.followUp = FollowUp(due: due, note: note)
        case .followUpCleared: ticket.followUp = nil
        case .tagsChanged(_, let added, let removed):
            ticket.tags.removeAll { removed.contains($0) }
            for tag in added where !ticket.tags.contains(tag) { ticket.tags.append(tag) }
        case .satisfactionRated(_, let score, let comment), .surveyAnswered(_, .csat, let score, let comment):
            ticket.rating = Rating(score: score, comment: comment, at: context.at)
        case .surveyQueued, .surveyAnswered(_, .nps, _, _):
            break  // derived from the history (Channels.swift, the report)
        case .ticketGrouped(_, let group, _): ticket.group = group
        case .ticketRouted: break
        case .groupAdded, .groupRemoved, .groupMemberAdded, .groupMemberRemoved, .groupAssignSet, .ruleAdded,
             .ruleRemoved, .ruleMoved, .agentAvailable, .agentAway:
            break
        case .deskCreated, .agentAdded, .agentChanged, .customerCreated, .customerUpdated, .ticketOpened:
            break
        case .slaTargetsSet, .businessHoursSet, .businessHoursCleared, .holidayAdded, .holidayRemoved,
             .actingRoleAdded, .actingRoleRemoved, .macroSaved, .macroRemoved, .viewSaved, .viewRemoved,
             .senderBlocked, .senderUnblocked, .surveyConfigured, .customerSurveys:
            break
        case .ticketMerged, .ticketLinked, .ticketUnlinked, .changeUndone:
            break  // about two tickets, or about a message: applied by the desk
        case .messageReceived, .attachmentAdded, .mailQueued, .mailSent, .mailFailed, .mailQuarantined:
            break  // derived from the history (Channels.swift)
        }
    }
}

/// Two distinct tickets that both exist, as an event about a pair needs.
enum TicketPair {
    static func check(_ a: Int, _ b: Int, in count: Int,
                      _ fail: (String) -> InconsistentEvent) throws(InconsistentEvent) {
        for id in [a, b] where id < 1 || id > count { throw fail("no ticket \(id)") }
        guard a != b else { throw fail("ticket \(a) cannot be paired with itself") }
    }
}
