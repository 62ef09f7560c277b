import Foundation
import HelpdeskCore

/// The desk as bytes and back (see `SnapshotLayout`): every agent, customer and ticket with its
/// messages and history, so that the rebuilt desk equals the one replaying the same records
/// gives; the desk's indexes; and its breach schedule, so a process starting from the snapshot
/// need not walk every ticket's clocks.
enum SnapshotCodec {
    /// `parts`: how many threads encode the tickets (by default, from `ticketsForThreads` tickets,
    /// one per processor, up to 4); the bytes are the same however many.
    static func encode(_ desk: Desk, breaches: BreachSchedule? = nil, parts: Int? = nil) -> [UInt8] {
        let eager = eagerPart(desk)
        let moments = breaches.flatMap { $0.fits(desk) ? $0.moments : nil }
        let channelEntries = desk.channelIndex.entries.sorted { $0.key < $1.key }
        let active = desk.statusIndex.activeWords
        let facts = SavedFacts.encode(desk.activeFacts, roster: desk.roster)
        let layout = SnapshotLayout(eagerLength: eager.count, tickets: desk.tickets.count, customers: desk.customers.count,
                                    channelEntries: channelEntries.count, moments: moments?.count, activeWords: active.count,
                                    facts: facts.map { $0.count / SnapshotLayout.factWords }, keys: true)
        var out = [UInt8](repeating: 0, count: layout.checkedLength)
        out.reserveCapacity(layout.checkedLength + desk.tickets.count * 400)
        out.replaceSubrange(0..<SnapshotLayout.size, with: layout.encoded)
        out.replaceSubrange(layout.eager, with: eager)
        let (ticketOffsets, keys) = appendTickets(desk, parts: parts, to: &out)
        let (customerOffsets, emails) = appendCustomers(desk, to: &out)
        // The fixed-width tables, now that the records' places are known.
        out.withUnsafeMutableBytes { bytes in
            func put(_ value: UInt64, at offset: Int) { bytes.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self) }
            for (k, offset) in ticketOffsets.enumerated() { put(offset, at: layout.ticketOffsetsAt + k * 8) }
            for (k, offset) in customerOffsets.enumerated() { put(offset, at: layout.customerOffsetsAt + k * 8) }
            for (k, entry) in emails.enumerated() {
                put(entry.hash, at: layout.emailIndexAt + k * 16); put(UInt64(entry.id), at: layout.emailIndexAt + k * 16 + 8)
            }
            for (k, entry) in channelEntries.enumerated() {
                put(entry.key, at: layout.channelIndexAt + k * 16)
                put(UInt64(bitPattern: Int64(entry.ticket)), at: layout.channelIndexAt + k * 16 + 8)
            }
            for (k, moment) in (moments ?? []).enumerated() { put(moment.bitPattern, at: layout.momentsAt + k * 8) }
            for (k, word) in active.enumerated() { put(word, at: layout.activeAt + k * 8) }
            for (k, word) in (facts ?? []).enumerated() { put(word, at: layout.factsAt + k * 8) }
            for (k, word) in keys.enumerated() { put(word, at: layout.keysAt + k * 8) }
        }
        return out
    }

    /// What every command reads at open: the roster, the SLA policy (as the events that make it
    /// from the standard one), the acting roles, the macros and saved views (as their `macro.saved`, `view.saved` events), the
    /// blocked senders, the survey state and the status counts.
    private static func eagerPart(_ desk: Desk) -> [UInt8] {
        BinaryWriter.part(capacity: 4096) { out in
            out.optionalInt(desk.format)
            out.int(desk.lastSeq)
            out.varint(UInt64(desk.roster.count))
            for account in desk.roster {
                let agent = desk.agents[account]!
                out.string(agent.account); out.string(agent.displayName)
                out.choice(agent.role, of: SnapshotCases.roles); out.int(agent.tier); out.bool(agent.active)
            }
            let policy = desk.slaPolicy.events
            out.varint(UInt64(policy.count))
            for event in policy { out.event(event) }
            out.varint(UInt64(desk.actingRoles.count))
            for role in desk.actingRoles.sorted() { out.string(role) }
            out.varint(UInt64(desk.macros.count))
            for name in desk.macros.keys.sorted() { out.event(.macroSaved(desk.macros[name]!)) }
            out.varint(UInt64(desk.views.count))
            for name in desk.views.keys.sorted() { out.event(.viewSaved(desk.views[name]!)) }
            out.varint(UInt64(desk.blockedSenders.count))
            for block in desk.blockList {
                out.string(block.pattern); out.optionalString(block.reason); out.string(block.by); out.date(block.at)
            }
            surveyState(desk.surveys, &out)
            out.varint(UInt64(desk.lastTicketChanged.count))
            for account in desk.lastTicketChanged.keys.sorted() { out.string(account); out.int(desk.lastTicketChanged[account]!) }
            TeamCodec.encode(desk.team, to: &out)
            for count in desk.statusIndex.counts { out.int(count) }
        }
    }

    /// Appends every ticket's record; returns where each starts, and each one's `SavedKeys` word.
    /// Records nobody changed since the snapshot the desk was opened from are copied as they are,
    /// and so are their words (the roster only grows, so its places stay). The active tickets'
    /// records come first, together: a command that reads all of them then reads a few pages, not
    /// one each. A long run of tickets is encoded in `parts` consecutive stretches, each on a
    /// thread of its own into a buffer of its own (the first straight into `out`), then put one
    /// after the other: the same bytes as one thread would write.
    private static func appendTickets(_ desk: Desk, parts: Int?, to out: inout [UInt8]) -> (offsets: [UInt64], keys: [UInt64]) {
        let count = desk.tickets.count
        let activeIDs = desk.statusIndex.activeIDs
        var isActive = [Bool](repeating: false, count: count)
        for id in activeIDs { isActive[id - 1] = true }
        let order = activeIDs.map { $0 - 1 } + desk.tickets.indices.filter { !isActive[$0] }
        let parts = max(1, min(order.count, parts ?? (count >= ticketsForThreads ? OwnThreads.parts(limit: 4) : 1)))
        let stretches = (0..<parts).map { k in order.count * k / parts ..< order.count * (k + 1) / parts }
        let encoded = stretches.map { _ in EncodedStretch() }
        swap(&out, &encoded[0].bytes)
        let shared = Unchecked((desk, order, stretches, encoded, SavedKeys.places(desk.roster)))
        OwnThreads.run(parts) { k in
            let (desk, order, stretches, encoded, places) = shared.value
            let saved = desk.tickets.saved as? SavedTickets
            let stretch = encoded[k]
            stretch.offsets.reserveCapacity(stretches[k].count)
            stretch.keys.reserveCapacity(stretches[k].count)
            for index in order[stretches[k]] {
                stretch.offsets.append(UInt64(stretch.bytes.count))
                if desk.tickets.isSavedUnchanged(index), let copy = try? saved?.record(index),
                   let key = saved.flatMap({ SavedKeys.savedWord(index, of: $0.payload) }) {
                    stretch.bytes.append(contentsOf: copy)
                    stretch.keys.append(key)
                } else {
                    let ticket = desk.tickets[index]
                    appendTicket(ticket, to: &stretch.bytes)
                    stretch.keys.append(SavedKeys.word(ticket, places: places))
                }
            }
        }
        swap(&out, &encoded[0].bytes)
        var offsets = [UInt64](repeating: 0, count: count)
        var keys = [UInt64](repeating: 0, count: count)
        for (k, stretch) in encoded.enumerated() {
            // The first stretch's offsets are already in `out`; each other's start where it is put.
            let base = k == 0 ? 0 : UInt64(out.count)
            for (j, index) in order[stretches[k]].enumerated() {
                offsets[index] = base + stretch.offsets[j]
                keys[index] = stretch.keys[j]
            }
            if k > 0 { out.append(contentsOf: stretch.bytes) }
            stretch.bytes = []
        }
        return (offsets, keys)
    }

    /// From how many tickets a snapshot's tickets are encoded on more than one thread.
    static let ticketsForThreads = 512

    /// One stretch of tickets' records, as one thread encodes them.
    private final class EncodedStretch {
        var bytes: [UInt8] = []
        var offsets: [UInt64] = []
        var keys: [UInt64] = []
    }

    /// Appends every customer's record; returns where each starts, and the index by address.
    private static func appendCustomers(_ desk: Desk, to out: inout [UInt8]) -> ([UInt64], [(hash: UInt64, id: Int)]) {
        var offsets: [UInt64] = [], emails: [(hash: UInt64, id: Int)] = []
        offsets.reserveCapacity(desk.customers.count)
        emails.reserveCapacity(desk.customers.count)
        let saved = desk.customers.saved as? SavedCustomers
        for index in desk.customers.indices {
            let customer = desk.customers[index]
            offsets.append(UInt64(out.count))
            emails.append((SavedCustomers.hash(emailKey: Desk.emailKey(customer.email)), customer.id))
            if desk.customers.isSavedUnchanged(index), let copy = try? saved?.record(index) {
                out.append(contentsOf: copy)
            } else {
                appendFrame(BinaryWriter.part { encode(customer, to: &$0) }, to: &out)
            }
        }
        emails.sort { ($0.hash, $0.id) < ($1.hash, $1.id) }
        return (offsets, emails)
    }

    private static func appendFrame(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        let hash = bytes.withContiguousStorageIfAvailable { XXHash64.hash($0) } ?? Array(bytes).withUnsafeBufferPointer { XXHash64.hash($0) }
        withUnsafeBytes(of: hash.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: bytes)
    }

    private static func encode(_ customer: Customer, to out: inout BinaryWriter) {
        out.int(customer.id); out.string(customer.name); out.string(customer.email)
        out.optionalString(customer.phone); out.optionalString(customer.organisation); out.optionalString(customer.notes)
    }

    static func decodeCustomer(_ input: inout BinaryReader) throws -> Customer {
        Customer.restored(id: try input.int(), name: try input.string(), email: try input.string(),
                          phone: try input.optionalString(), organisation: try input.optionalString(),
                          notes: try input.optionalString())
    }

    /// A ticket's header, then its messages and history (copied as they were written when they
    /// were never read), each in a frame of its own.
    private static func appendTicket(_ ticket: Ticket, to out: inout [UInt8]) {
        appendFrame(BinaryWriter.part { out in
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
            out.optionalInt(ticket.mergedInto)
            out.varint(UInt64(ticket.mergedFrom.count))
            for id in ticket.mergedFrom { out.int(id) }
            out.varint(UInt64(ticket.links.count))
            for link in ticket.links { out.int(link.ticket); out.choice(link.kind, of: SnapshotCases.linkKinds) }
            out.varint(UInt64(ticket.historyCount))
            out.optionalString(ticket.group)
        }, to: &out)
        if let deferred = ticket.deferredDetail, let source = deferred.source as? SavedTickets,
           let detail = try? source.detailBytes(deferred.index) {
            return appendFrame(detail, to: &out)
        }
        appendFrame(BinaryWriter.part(capacity: 1024) { out in
            out.varint(UInt64(ticket.messages.count))
            for message in ticket.messages {
                out.choice(message.kind, of: SnapshotCases.kinds); out.string(message.author); out.date(message.at)
                out.body(message.body); out.bool(message.withdrawn)
            }
            let history = ticket.history
            out.varint(UInt64(history.count))
            for entry in history {
                out.int(entry.seq); out.date(entry.at); out.string(entry.actor); out.optionalString(entry.via); out.event(entry.event)
            }
        }, to: &out)
    }

    static func decodeTicketHeader(_ input: inout BinaryReader, detail: (_ historyCount: Int) -> TicketDetail) throws -> Ticket {
        let id = try input.int(), subject = try input.string(), customerID = try input.int()
        let channel = try input.choice(SnapshotCases.channels), priority = try input.choice(SnapshotCases.priorities)
        let status = try input.choice(SnapshotCases.statuses), assignee = try input.optionalString(), tier = try input.int()
        let tags = try input.strings()
        let createdAt = try input.date(), updatedAt = try input.date(), firstResponseAt = try input.optionalDate()
        let lastCustomerMessageAt = try input.optionalDate(), lastReplyAt = try input.optionalDate()
        let followUp = try input.bool() ? FollowUp.restored(due: try input.date(), note: try input.optionalString()) : nil
        let rating = try input.bool()
            ? Rating.restored(score: try input.int(), comment: try input.optionalString(), at: try input.date()) : nil
        let mergedInto = try input.optionalInt()
        var mergedFrom: [Int] = []
        for _ in 0..<(try input.elementCount()) { mergedFrom.append(try input.int()) }
        var links: [TicketLink] = []
        for _ in 0..<(try input.elementCount()) {
            links.append(TicketLink(ticket: try input.int(), kind: try input.choice(SnapshotCases.linkKinds)))
        }
        // The entries are in the ticket's other frame: this one only says how many there are.
        let historyCount = try input.tally()
        let group = try input.optionalString()
        return Ticket.restored(id: id, subject: subject, customerID: customerID, channel: channel, priority: priority,
                               status: status, assignee: assignee, tier: tier, tags: tags, createdAt: createdAt,
                               updatedAt: updatedAt, firstResponseAt: firstResponseAt,
                               lastCustomerMessageAt: lastCustomerMessageAt, lastReplyAt: lastReplyAt, followUp: followUp,
                               rating: rating, mergedInto: mergedInto, mergedFrom: mergedFrom, links: links,
                               detail: detail(historyCount), group: group)
    }

    static func decodeDetail(_ input: inout BinaryReader) throws -> (messages: [Message], history: [HistoryEntry]) {
        let messageCount = try input.elementCount()
        var messages: [Message] = []
        messages.reserveCapacity(messageCount)
        for _ in 0..<messageCount {
            messages.append(Message.restored(kind: try input.choice(SnapshotCases.kinds), author: try input.string(),
                                    at: try input.date(), body: try input.body(), withdrawn: try input.bool()))
        }
        let historyCount = try input.elementCount()
        var history: [HistoryEntry] = []
        history.reserveCapacity(historyCount)
        for _ in 0..<historyCount {
            history.append(HistoryEntry.restored(seq: try input.int(), at: try input.date(), actor: try input.string(),
                                                 via: try input.optionalString(), event: try input.event()))
        }
        return (messages, history)
    }

    /// The desk in `payload`, whose checked part (see `SnapshotLayout`) the caller has checked.
    /// Tickets and customers are read from the bytes when asked for, unless `holdEveryTicket`:
    /// then they are all decoded and checked now, on every core, for a process that will look at
    /// all of them again and again (the console). `owner` keeps the bytes alive as long as the
    /// desk refers to them; `damage` answers for a record found damaged later.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, owner: AnyObject, damage: SnapshotDamage? = nil,
                       holdEveryTicket: Bool = false) throws -> (desk: Desk, breaches: BreachSchedule?) {
        guard let layout = SnapshotLayout(bytes) else { throw BinaryReader.Malformed() }
        let payload = SnapshotPayload(bytes: bytes, layout: layout, owner: owner, damage: damage)
        var input = try BinaryReader(UnsafeBufferPointer(rebasing: bytes[layout.eager]))
        let format = try input.optionalInt()
        let lastSeq = try input.int()
        var roster: [Agent] = []
        for _ in 0..<(try input.elementCount()) {
            roster.append(Agent.restored(account: try input.string(), displayName: try input.string(),
                                role: try input.choice(SnapshotCases.roles), tier: try input.int(), active: try input.bool()))
        }
        var policyEvents: [Event] = []
        for _ in 0..<(try input.elementCount()) { policyEvents.append(try input.event()) }
        let policy: SLAPolicy
        do {
            policy = try SLAPolicy(replaying: policyEvents)
        } catch {
            throw BinaryReader.Malformed()
        }
        var actingRoles = Set<String>()
        for _ in 0..<(try input.elementCount()) { actingRoles.insert(try input.string()) }
        var macros: [Macro] = []
        for _ in 0..<(try input.elementCount()) {
            guard case .macroSaved(let macro) = try input.event() else { throw BinaryReader.Malformed() }
            macros.append(macro)
        }
        var views: [SavedView] = []
        for _ in 0..<(try input.elementCount()) {
            guard case .viewSaved(let view) = try input.event() else { throw BinaryReader.Malformed() }
            views.append(view)
        }
        var blocks: [BlockedSender] = []
        for _ in 0..<(try input.elementCount()) {
            blocks.append(BlockedSender(pattern: try input.string(), reason: try input.optionalString(), by: try input.string(),
                                        at: try input.date()))
        }
        let surveys = try surveyState(&input)
        var lastTicketChanged: [String: Int] = [:]
        for _ in 0..<(try input.elementCount()) { lastTicketChanged[try input.string()] = try input.int() }
        let team = try TeamCodec.decode(&input)
        let counts = try Status.allCases.map { _ in try input.int() }
        let activeWords = (0..<layout.activeWordCount).map { payload.word(at: layout.activeAt + $0 * 8) }
        guard input.atEnd, counts.reduce(0, +) == layout.ticketCount, layout.activeWordCount == (layout.ticketCount + 63) / 64,
              layout.emailCount == layout.customerCount, layout.momentCount <= layout.ticketCount,
              let statusIndex = StatusIndex(restoringCounts: counts, activeWords: activeWords) else {
            throw BinaryReader.Malformed()
        }
        let breaches = layout.momentCount < 0 ? nil : BreachSchedule(
            restoring: (0..<layout.momentCount).map { Double(bitPattern: payload.word(at: layout.momentsAt + $0 * 8)) },
            policy: policy)

        let savedTickets = SavedTickets(payload), savedCustomers = SavedCustomers(payload)
        let tickets: LayeredTable<Ticket>, customers: LayeredTable<Customer>
        if holdEveryTicket {
            tickets = LayeredTable(try decodeAll(layout.ticketCount) { try savedTickets.decode($0, checkingHistory: true) })
            customers = LayeredTable(try decodeAll(layout.customerCount, savedCustomers.decode))
        } else {
            tickets = LayeredTable(saved: savedTickets)
            customers = LayeredTable(saved: savedCustomers)
        }
        var desk = Desk(restoringFormat: format, roster: roster, customers: customers,
                        savedEmails: holdEveryTicket ? nil : savedCustomers, tickets: tickets, statusIndex: statusIndex,
                        savedActiveFacts: layout.factCount < 0 ? nil : SavedFacts(payload, roster: roster.map(\.account)),
                        savedTicketKeys: holdEveryTicket || layout.keysAt == 0 ? nil : SavedKeys(payload, roster: roster.map(\.account)),
                        lastSeq: lastSeq, channelIndex: ChannelIndex(saved: SavedChannels(payload)))
        desk.restoreSLAPolicy(policy)
        desk.restoreActingRoles(actingRoles)
        desk.restoreMacros(macros)
        desk.restoreViews(views)
        desk.restoreBlockedSenders(blocks)
        desk.restoreSurveys(surveys)
        desk.restoreLastTicketChanged(lastTicketChanged)
        desk.restoreTeam(team)
        return (desk, breaches)
    }

    /// Every record, decoded and checked in chunks on every core, straight into its place.
    private static func decodeAll<T>(_ total: Int, _ decode: @escaping (Int) throws -> T) throws -> [T] {
        let chunk = 8192
        let chunks = (total + chunk - 1) / chunk
        return try [T](unsafeUninitializedCapacity: total) { buffer, initialized in
            guard let base = buffer.baseAddress, total > 0 else { return }
            var done = [Int](repeating: 0, count: chunks)
            done.withUnsafeMutableBufferPointer { done in
                let shared = Unchecked((base, done, decode))
                DispatchQueue.concurrentPerform(iterations: chunks) { k in
                    let (base, done, decode) = shared.value
                    for index in (k * chunk)..<min(total, (k + 1) * chunk) {
                        guard let element = try? decode(index) else { return }
                        (base + index).initialize(to: element)
                        done[k] += 1
                    }
                }
            }
            guard done.enumerated().allSatisfy({ $1 == min(total, ($0 + 1) * chunk) - $0 * chunk }) else {
                for (k, count) in done.enumerated() { (base + k * chunk).deinitialize(count: count) }
                throw BinaryReader.Malformed()
            }
            initialized = total
        }
    }
}
