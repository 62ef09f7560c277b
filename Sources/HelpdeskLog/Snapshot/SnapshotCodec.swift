import Foundation
import HelpdeskCore

/// The desk as bytes and back: every agent, customer and ticket with its messages and history,
/// so that the rebuilt desk equals the one replaying the same records gives; and the desk's
/// breach schedule, so a process starting from the snapshot need not walk every ticket's clocks.
enum SnapshotCodec {
    static func encode(_ desk: Desk, breaches: BreachSchedule? = nil, ticketsPerPart: Int = 8192) -> [UInt8] {
        // Details not read since the desk was opened from a snapshot are copied from it as they
        // are, under the same string numbers: a refresh does not decode every ticket's history.
        let unread = desk.tickets.lazy.compactMap { $0.deferredDetail?.source as? SnapshotDetails }.first
        var out = BinaryWriter(capacity: 64 + desk.tickets.count * 256, strings: unread?.strings ?? [])
        out.optionalInt(desk.format)
        out.int(desk.lastSeq)
        out.varint(UInt64(desk.roster.count))
        for account in desk.roster {
            let agent = desk.agents[account]!
            out.string(agent.account); out.string(agent.displayName)
            out.choice(agent.role, of: SnapshotCases.roles); out.int(agent.tier); out.bool(agent.active)
        }
        out.varint(UInt64(desk.customers.count))
        for customer in desk.customers {
            out.int(customer.id); out.string(customer.name); out.string(customer.email)
            out.optionalString(customer.phone); out.optionalString(customer.organisation); out.optionalString(customer.notes)
        }
        // The SLA policy, as the events that make it from the standard one.
        let policy = desk.slaPolicy.events
        out.varint(UInt64(policy.count))
        for event in policy { out.event(event) }
        encode(breaches.flatMap { $0.fits(desk) ? $0 : nil }, to: &out)
        let channelEntries = desk.channelIndex.entries
        out.varint(UInt64(channelEntries.count))
        for entry in channelEntries { out.varint(entry.key); out.int(Int(entry.ticket)) }
        // Tickets in parts, each decoded on its own thread at start-up.
        let parts = stride(from: 0, to: desk.tickets.count, by: ticketsPerPart).map {
            desk.tickets[$0..<min($0 + ticketsPerPart, desk.tickets.count)]
        }
        out.varint(UInt64(desk.tickets.count))
        out.varint(UInt64(parts.count))
        for part in parts {
            out.varint(UInt64(part.count))
            out.lengthPrefixed { out in
                for ticket in part { encode(ticket, to: &out, copyingFrom: unread?.snapshot) }
            }
        }
        return out.finished()
    }

    private static func encode(_ breaches: BreachSchedule?, to out: inout BinaryWriter) {
        out.bool(breaches != nil)
        guard let moments = breaches?.moments else { return }
        out.varint(UInt64(moments.count))
        for moment in moments {
            switch moment {
            case .infinity: out.byte(0)
            case -.infinity: out.byte(1)
            default: out.byte(2); out.date(Date(timeIntervalSinceReferenceDate: moment))
            }
        }
    }

    private static func decodeBreaches(_ input: inout BinaryReader, policy: SLAPolicy) throws -> BreachSchedule? {
        guard try input.bool() else { return nil }
        let count = try input.length()
        var moments: [Double] = []
        moments.reserveCapacity(count)
        for _ in 0..<count {
            switch try input.byte() {
            case 0: moments.append(.infinity)
            case 1: moments.append(-.infinity)
            case 2: moments.append(try input.date().timeIntervalSinceReferenceDate)
            default: throw BinaryReader.Malformed()
            }
        }
        return BreachSchedule(restoring: moments, policy: policy)
    }

    private static func encode(_ ticket: Ticket, to out: inout BinaryWriter, copyingFrom snapshot: AnyObject?) {
        out.int(ticket.id); out.string(ticket.subject); out.int(ticket.customerID)
        out.choice(ticket.channel, of: SnapshotCases.channels); out.choice(ticket.priority, of: SnapshotCases.priorities)
        out.choice(ticket.status, of: SnapshotCases.statuses); out.optionalString(ticket.assignee); out.int(ticket.tier)
        out.strings(ticket.tags)
        out.date(ticket.createdAt); out.date(ticket.updatedAt); out.optionalDate(ticket.firstResponseAt)
        out.optionalDate(ticket.lastCustomerMessageAt); out.optionalDate(ticket.lastReplyAt)
        out.bool(ticket.followUp != nil)
        if let followUp = ticket.followUp { out.date(followUp.due); out.optionalString(followUp.note) }
        out.bool(ticket.rating != nil)
        if let rating = ticket.rating { out.int(rating.score); out.optionalString(rating.comment); out.date(rating.at) }
        // Messages and history in a part of their own, read when the ticket's are asked for.
        out.varint(UInt64(ticket.historyCount))
        if let deferred = ticket.deferredDetail, let details = deferred.source as? SnapshotDetails,
           details.snapshot === snapshot {
            return out.copiedPart(details.bytes(deferred.index))
        }
        out.skippablePart { out in
            out.varint(UInt64(ticket.messages.count))
            for message in ticket.messages {
                out.choice(message.kind, of: SnapshotCases.kinds); out.string(message.author); out.date(message.at)
                out.body(message.body)
            }
            out.varint(UInt64(ticket.history.count))
            for entry in ticket.history {
                out.int(entry.seq); out.date(entry.at); out.string(entry.actor); out.event(entry.event)
            }
        }
    }

    static func decodeDetail(_ input: inout BinaryReader) throws -> (messages: [Message], history: [HistoryEntry]) {
        let messageCount = try input.length()
        var messages: [Message] = []
        messages.reserveCapacity(messageCount)
        for _ in 0..<messageCount {
            messages.append(Message.restored(kind: try input.choice(SnapshotCases.kinds), author: try input.string(),
                                    at: try input.date(), body: try input.body()))
        }
        let historyCount = try input.length()
        var history: [HistoryEntry] = []
        history.reserveCapacity(historyCount)
        for _ in 0..<historyCount {
            history.append(HistoryEntry.restored(seq: try input.int(), at: try input.date(), actor: try input.string(),
                                        event: try input.event()))
        }
        return (messages, history)
    }

    /// The desk in `bytes`, whose tickets' messages and history are decoded when first asked
    /// for: `owner` keeps the bytes alive as long as a ticket refers to them.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, owner: AnyObject) throws -> (desk: Desk, breaches: BreachSchedule?) {
        var input = try BinaryReader(bytes)
        let format = try input.optionalInt()
        let lastSeq = try input.int()
        var roster: [Agent] = []
        for _ in 0..<(try input.length()) {
            roster.append(Agent.restored(account: try input.string(), displayName: try input.string(),
                                role: try input.choice(SnapshotCases.roles), tier: try input.int(), active: try input.bool()))
        }
        let customerCount = try input.length()
        var customers: [Customer] = []
        customers.reserveCapacity(customerCount)
        for _ in 0..<customerCount {
            customers.append(Customer.restored(id: try input.int(), name: try input.string(), email: try input.string(),
                                      phone: try input.optionalString(), organisation: try input.optionalString(),
                                      notes: try input.optionalString()))
        }
        var policyEvents: [Event] = []
        for _ in 0..<(try input.length()) { policyEvents.append(try input.event()) }
        let policy: SLAPolicy
        do {
            policy = try SLAPolicy(replaying: policyEvents)
        } catch {
            throw BinaryReader.Malformed()
        }
        let breaches = try decodeBreaches(&input, policy: policy)
        var channelEntries: [(key: UInt64, ticket: Int32)] = []
        for _ in 0..<(try input.length()) {
            let key = try input.varint(), ticket = try input.int()
            guard let ticket = Int32(exactly: ticket) else { throw BinaryReader.Malformed() }
            channelEntries.append((key, ticket))
        }
        let ticketCount = try input.length()
        var parts: [(first: Int, count: Int, reader: BinaryReader)] = []
        for _ in 0..<(try input.length()) {
            let count = try input.length()
            parts.append((parts.last.map { $0.first + $0.count } ?? 0, count, try input.lengthPrefixed()))
        }
        guard input.atEnd, (parts.last.map { $0.first + $0.count } ?? 0) == ticketCount else {
            throw BinaryReader.Malformed()
        }
        let tickets = try decodeTickets(ticketCount, parts, owner: owner)
        var desk = Desk(restoringFormat: format, roster: roster, customers: customers, tickets: tickets, lastSeq: lastSeq,
                        channelIndex: ChannelIndex(restoring: channelEntries))
        desk.restoreSLAPolicy(policy)
        guard (breaches?.moments.count ?? 0) <= ticketCount else { throw BinaryReader.Malformed() }
        return (desk, breaches)
    }

    /// Each part on its own thread, straight into its place in the array.
    private static func decodeTickets(_ total: Int, _ parts: [(first: Int, count: Int, reader: BinaryReader)],
                                      owner: AnyObject) throws -> [Ticket] {
        try [Ticket](unsafeUninitializedCapacity: total) { buffer, initialized in
            guard let base = buffer.baseAddress, total > 0 else { return }
            var done = [Int](repeating: 0, count: parts.count)
            done.withUnsafeMutableBufferPointer { done in
                let shared = Unchecked((base, done, parts, owner))
                DispatchQueue.concurrentPerform(iterations: parts.count) { k in
                    let (base, done, parts, owner) = shared.value
                    var reader = parts[k].reader
                    let details = SnapshotDetails(reader: reader, owner: owner, capacity: parts[k].count)
                    for j in 0..<parts[k].count {
                        guard let ticket = try? decodeTicket(&reader, details: details) else { return }
                        (base + parts[k].first + j).initialize(to: ticket)
                        done[k] = j + 1
                    }
                    if !reader.atEnd { done[k] = -done[k] - 1 }
                }
            }
            guard zip(done, parts).allSatisfy({ $0 == $1.count }) else {
                for (count, part) in zip(done, parts) {
                    (base + part.first).deinitialize(count: count >= 0 ? count : -count - 1)
                }
                throw BinaryReader.Malformed()
            }
            initialized = total
        }
    }

    private static func decodeTicket(_ input: inout BinaryReader, details: SnapshotDetails) throws -> Ticket {
        let id = try input.int(), subject = try input.string(), customerID = try input.int()
        let channel = try input.choice(SnapshotCases.channels), priority = try input.choice(SnapshotCases.priorities)
        let status = try input.choice(SnapshotCases.statuses), assignee = try input.optionalString(), tier = try input.int()
        let tags = try input.strings()
        let createdAt = try input.date(), updatedAt = try input.date(), firstResponseAt = try input.optionalDate()
        let lastCustomerMessageAt = try input.optionalDate(), lastReplyAt = try input.optionalDate()
        let followUp = try input.bool() ? FollowUp.restored(due: try input.date(), note: try input.optionalString()) : nil
        let rating = try input.bool()
            ? Rating.restored(score: try input.int(), comment: try input.optionalString(), at: try input.date()) : nil
        let historyCount = try input.length()
        let detail = DeferredTicketDetail(source: details, index: details.add(try input.skipPart(), historyCount: historyCount),
                                          historyCount: historyCount)
        return Ticket.restored(id: id, subject: subject, customerID: customerID, channel: channel, priority: priority,
                      status: status, assignee: assignee, tier: tier, tags: tags, createdAt: createdAt,
                      updatedAt: updatedAt, firstResponseAt: firstResponseAt,
                      lastCustomerMessageAt: lastCustomerMessageAt, lastReplyAt: lastReplyAt, followUp: followUp,
                      rating: rating, detail: TicketDetail(deferred: detail))
    }
}
