import Foundation

/// The only way the desk's state changes. Each case is one fact in the log; `Desk.apply`
/// turns a sequence of them into state. Who and when come from the record that carries it.
public enum Event: Equatable, Sendable {
    /// The first record of every log: the format it is written in.
    case deskCreated(format: Int)

    indirect case agentAdded(account: String, displayName: String, role: Role, tier: Int)
    indirect case agentChanged(account: String, displayName: String?, role: Role?, tier: Int?, active: Bool?)

    indirect case customerCreated(id: Int, email: String, name: String, phone: String?, organisation: String?, notes: String?)
    indirect case customerUpdated(id: Int, email: String?, name: String?, phone: String?, organisation: String?, notes: String?)

    case ticketOpened(ticket: Int, subject: String, customer: Int, channel: Channel, priority: Priority)
    case messageAdded(ticket: Int, kind: MessageKind, body: MessageBody)
    /// `from` is the previous assignee when the ticket was given away or stolen.
    case assigned(ticket: Int, to: String, from: String?)
    case unassigned(ticket: Int, from: String)
    case priorityChanged(ticket: Int, from: Priority, to: Priority)
    case statusChanged(ticket: Int, from: Status, to: Status)
    case escalated(ticket: Int, tier: Int, reason: String)
    case followUpScheduled(ticket: Int, due: Date, note: String?)
    case followUpCleared(ticket: Int)
    case tagsChanged(ticket: Int, added: [String], removed: [String])
    case satisfactionRated(ticket: Int, score: Int, comment: String?)

    // Channels: mail in and out, JSON intake (see Intake.swift, Outbox.swift).
    /// Message `message` (1-based) of the ticket came in on `channel`: its id there (a Message-ID,
    /// a bridge's external id), its sender, the raw message kept beside the log (content address),
    /// and what kind of automatic mail it was, if it was (recorded, but it changes nothing else).
    indirect case messageReceived(ticket: Int, message: Int, channel: Channel, externalID: String, from: String,
                                  raw: String?, automatic: AutomaticMail?)
    /// A file that came with message `message`, kept beside the log under its SHA-256.
    indirect case attachmentAdded(ticket: Int, message: Int, name: String, type: String, size: Int, sha256: String)
    /// Outgoing mail number `mail` of the ticket waits to go out: the reply `message`, or the
    /// acknowledgement of a new ticket when nil. The log is the outbox.
    case mailQueued(ticket: Int, mail: Int, message: Int?)
    indirect case mailSent(ticket: Int, mail: Int, messageID: String)
    indirect case mailFailed(ticket: Int, mail: Int, error: String)
    /// Mail set aside in the quarantine beside the log (unreadable, or automatic mail for no ticket).
    indirect case mailQuarantined(raw: String, reason: String)

    // The SLA policy (see SLA/SLAPolicy.swift): supervisors change it; every clock follows it.
    /// The targets of one priority, in whole seconds of business time.
    case slaTargetsSet(priority: Priority, firstResponse: Int, nextResponse: Int, resolution: Int)
    /// Business hours as written ("mon-fri 09:00-17:00") in an IANA time zone.
    indirect case businessHoursSet(hours: String, timeZone: String)
    /// Back to clocks that run around the clock.
    case businessHoursCleared
    /// A day ("YYYY-MM-DD", in the business hours' time zone) without business time.
    indirect case holidayAdded(date: String)
    indirect case holidayRemoved(date: String)

    /// A database role (of a desk kept in PostgreSQL) whose connections may act as any agent
    /// (`--as`), as root may on the desk's host: a gateway's, say. Supervisors name them.
    indirect case actingRoleAdded(role: String)
    indirect case actingRoleRemoved(role: String)

    /// A macro saved (new, or replacing the one of that name) by a supervisor; see `Macro`.
    indirect case macroSaved(Macro)
    indirect case macroRemoved(name: String)

    /// A listing saved by a supervisor for the whole desk (new, or replacing the one of that name).
    indirect case viewSaved(SavedView)
    indirect case viewRemoved(name: String)

    /// An address (`name@domain`) or a domain (`@domain`) the desk takes nothing from and sends nothing to.
    indirect case senderBlocked(pattern: String, reason: String?)
    indirect case senderUnblocked(pattern: String)

    /// A survey turned on (seconds: CSAT's delay after a solve, NPS's period) or off (nil).
    case surveyConfigured(kind: SurveyKind, every: Int?)
    /// A customer asks not to be surveyed (`allowed` false), or agrees again.
    case customerSurveys(customer: Int, allowed: Bool)
    /// A survey mail queued for the outbox (numbered with the ticket's other mail).
    case surveyQueued(ticket: Int, mail: Int, kind: SurveyKind)
    /// The customer's answer to a survey (CSAT: the ticket's rating; the latest counts).
    indirect case surveyAnswered(ticket: Int, kind: SurveyKind, score: Int, comment: String?)
    /// Ticket `ticket` merged into `into`: its conversation shows in `into`'s, and mail for it
    /// (its thread, its subject tag) lands there. Recorded on both tickets.
    case ticketMerged(ticket: Int, into: Int)
    /// `other` is `ticket`'s `kind` (and `ticket` is `other`'s inverse kind). Recorded on both.
    case ticketLinked(ticket: Int, other: Int, kind: LinkKind)
    case ticketUnlinked(ticket: Int, other: Int)
    /// The change record `seq` made to `ticket` (`what`, in words) is undone: the events after
    /// this one in its record compensate it; `message` is a message it withdraws (a note).
    indirect case changeUndone(ticket: Int, seq: Int, what: String, message: Int?)

    /// Every ticket the event changes: `ticketID`'s, and the other of a merge or a link.
    public var ticketIDs: [Int] {
        switch self {
        case .ticketMerged(let id, let into): [id, into]
        case .ticketLinked(let id, let other, _), .ticketUnlinked(let id, let other): [id, other]
        default: ticketID.map { [$0] } ?? []
        }
    }
    // Groups, routing rules and automatic assignment (see Team/).
    indirect case groupAdded(name: String, displayName: String)
    indirect case groupRemoved(name: String)
    indirect case groupMemberAdded(group: String, agent: String)
    indirect case groupMemberRemoved(group: String, agent: String)
    indirect case groupAssignSet(group: String, mode: AssignMode, capacity: Int?)
    /// The ticket moved to a group (nil: none) from another (nil: none).
    indirect case ticketGrouped(ticket: Int, group: String?, from: String?)
    /// A routing rule added at the end of the list (see `RoutingRule`).
    indirect case ruleAdded(RoutingRule)
    indirect case ruleRemoved(name: String)
    indirect case ruleMoved(name: String, before: String)
    /// What the events after it in the record were decided by: a routing rule, or a group's
    /// automatic assignment.
    indirect case ticketRouted(ticket: Int, rule: String?, mode: AssignMode?)
    /// The agent takes tickets from automatic assignment (`until`: said for a while from the shell).
    indirect case agentAvailable(agent: String, until: Date?)
    indirect case agentAway(agent: String)

    /// The ticket the event is about, if any.
    public var ticketID: Int? {
        switch self {
        case .deskCreated, .agentAdded, .agentChanged, .customerCreated, .customerUpdated, .mailQuarantined:
            return nil
        case .slaTargetsSet, .businessHoursSet, .businessHoursCleared, .holidayAdded, .holidayRemoved,
             .actingRoleAdded, .actingRoleRemoved, .macroSaved, .macroRemoved, .viewSaved, .viewRemoved,
             .senderBlocked, .senderUnblocked, .surveyConfigured, .customerSurveys:
            return nil
        case .groupAdded, .groupRemoved, .groupMemberAdded, .groupMemberRemoved, .groupAssignSet, .ruleAdded,
             .ruleRemoved, .ruleMoved, .agentAvailable, .agentAway:
            return nil
        case .surveyQueued(let id, _, _), .surveyAnswered(let id, _, _, _), .ticketGrouped(let id, _, _),
             .ticketRouted(let id, _, _):
            return id
        case .ticketOpened(let id, _, _, _, _), .messageAdded(let id, _, _), .assigned(let id, _, _),
             .unassigned(let id, _), .priorityChanged(let id, _, _), .statusChanged(let id, _, _),
             .escalated(let id, _, _), .followUpScheduled(let id, _, _), .followUpCleared(let id),
             .tagsChanged(let id, _, _), .satisfactionRated(let id, _, _),
             .messageReceived(let id, _, _, _, _, _, _), .attachmentAdded(let id, _, _, _, _, _),
             .mailQueued(let id, _, _), .mailSent(let id, _, _), .mailFailed(let id, _, _),
             .ticketMerged(let id, _), .ticketLinked(let id, _, _), .ticketUnlinked(let id, _),
             .changeUndone(let id, _, _, _):
            return id
        }
    }
}

/// Every event type, in the order a snapshot numbers them.
public enum EventKind: Int, CaseIterable, Sendable {
    case deskCreated, agentAdded, agentChanged, customerCreated, customerUpdated
    case ticketOpened, messageAdded, assigned, unassigned, priorityChanged, statusChanged, escalated
    case followUpScheduled, followUpCleared, tagsChanged, satisfactionRated
    case messageReceived, attachmentAdded, mailQueued, mailSent, mailFailed, mailQuarantined
    case slaTargetsSet, businessHoursSet, businessHoursCleared, holidayAdded, holidayRemoved
    case actingRoleAdded, actingRoleRemoved
    case macroSaved, macroRemoved
    case viewSaved, viewRemoved
    case senderBlocked, senderUnblocked
    case surveyConfigured, customerSurveys, surveyQueued, surveyAnswered
    case ticketMerged, ticketLinked, ticketUnlinked, changeUndone
    case groupAdded, groupRemoved, groupMemberAdded, groupMemberRemoved, groupAssignSet, ticketGrouped
    case ruleAdded, ruleRemoved, ruleMoved, ticketRouted, agentAvailable, agentAway

    /// Each event type's declaration: its name in the log, its fields (JSON name, kind, whether
    /// it may be absent) in the order the log writes them, and the event made of their values.
    /// The log's spelling is its format: renaming or retyping a field, or a new required one,
    /// needs a new format; a new optional field does not (older readers ignore it).
    var declaration: EventType {
        switch self {
        case .deskCreated:
            EventType(self, "desk.created", [.int("format")]) { v in .deskCreated(format: v.int()) }
        case .agentAdded:
            EventType(self, "agent.added", [.string("agent"), .string("name"), .choice("role", Role.self), .int("tier")]) { v in
                .agentAdded(account: v.string(), displayName: v.string(), role: v.choice(), tier: v.int())
            }
        case .agentChanged:
            EventType(self, "agent.changed", [.string("agent"), .string("name").optional, .choice("role", Role.self).optional,
                                              .int("tier").optional, .bool("active").optional]) { v in
                .agentChanged(account: v.string(), displayName: v.optionalString(), role: v.optionalChoice(),
                              tier: v.optionalInt(), active: v.optionalBool())
            }
        case .customerCreated:
            EventType(self, "customer.created", [.int("customer"), .string("email"), .string("name"), .string("phone").optional,
                                                 .string("organisation").optional, .string("notes").optional]) { v in
                .customerCreated(id: v.int(), email: v.string(), name: v.string(), phone: v.optionalString(),
                                 organisation: v.optionalString(), notes: v.optionalString())
            }
        case .customerUpdated:
            EventType(self, "customer.updated", [.int("customer"), .string("email").optional, .string("name").optional,
                                                 .string("phone").optional, .string("organisation").optional,
                                                 .string("notes").optional]) { v in
                .customerUpdated(id: v.int(), email: v.optionalString(), name: v.optionalString(), phone: v.optionalString(),
                                 organisation: v.optionalString(), notes: v.optionalString())
            }
        case .ticketOpened:
            EventType(self, "ticket.opened", [.int("ticket"), .string("subject"), .int("customer"),
                                              .choice("channel", Channel.self), .choice("priority", Priority.self)]) { v in
                .ticketOpened(ticket: v.int(), subject: v.string(), customer: v.int(), channel: v.choice(), priority: v.choice())
            }
        case .messageAdded:
            EventType(self, "message.added", [.int("ticket"), .choice("kind", MessageKind.self), .body("body")]) { v in
                .messageAdded(ticket: v.int(), kind: v.choice(), body: v.body())
            }
        case .assigned:
            EventType(self, "ticket.assigned", [.int("ticket"), .string("to"), .string("from").optional]) { v in
                .assigned(ticket: v.int(), to: v.string(), from: v.optionalString())
            }
        case .unassigned:
            EventType(self, "ticket.unassigned", [.int("ticket"), .string("from")]) { v in
                .unassigned(ticket: v.int(), from: v.string())
            }
        case .priorityChanged:
            EventType(self, "priority.changed", [.int("ticket"), .choice("from", Priority.self), .choice("to", Priority.self)]) { v in
                .priorityChanged(ticket: v.int(), from: v.choice(), to: v.choice())
            }
        case .statusChanged:
            EventType(self, "status.changed", [.int("ticket"), .choice("from", Status.self), .choice("to", Status.self)]) { v in
                .statusChanged(ticket: v.int(), from: v.choice(), to: v.choice())
            }
        case .escalated:
            EventType(self, "ticket.escalated", [.int("ticket"), .int("tier"), .string("reason")]) { v in
                .escalated(ticket: v.int(), tier: v.int(), reason: v.string())
            }
        case .followUpScheduled:
            EventType(self, "follow_up.scheduled", [.int("ticket"), .date("due"), .string("note").optional]) { v in
                .followUpScheduled(ticket: v.int(), due: v.date(), note: v.optionalString())
            }
        case .followUpCleared:
            EventType(self, "follow_up.cleared", [.int("ticket")]) { v in .followUpCleared(ticket: v.int()) }
        case .tagsChanged:
            EventType(self, "tags.changed", [.int("ticket"), .strings("added"), .strings("removed")]) { v in
                .tagsChanged(ticket: v.int(), added: v.strings(), removed: v.strings())
            }
        case .satisfactionRated:
            EventType(self, "satisfaction.rated", [.int("ticket"), .int("score"), .string("comment").optional]) { v in
                .satisfactionRated(ticket: v.int(), score: v.int(), comment: v.optionalString())
            }
        case .messageReceived:
            EventType(self, "message.received", [.int("ticket"), .int("message"), .choice("channel", Channel.self),
                                                 .string("external_id"), .string("from"), .string("raw").optional,
                                                 .choice("automatic", AutomaticMail.self).optional]) { v in
                .messageReceived(ticket: v.int(), message: v.int(), channel: v.choice(), externalID: v.string(),
                                 from: v.string(), raw: v.optionalString(), automatic: v.optionalChoice())
            }
        case .attachmentAdded:
            EventType(self, "attachment.added", [.int("ticket"), .int("message"), .string("name"), .string("mime_type"),
                                                 .int("size"), .string("sha256")]) { v in
                .attachmentAdded(ticket: v.int(), message: v.int(), name: v.string(), type: v.string(), size: v.int(),
                                 sha256: v.string())
            }
        case .mailQueued:
            EventType(self, "mail.queued", [.int("ticket"), .int("mail"), .int("message").optional]) { v in
                .mailQueued(ticket: v.int(), mail: v.int(), message: v.optionalInt())
            }
        case .mailSent:
            EventType(self, "mail.sent", [.int("ticket"), .int("mail"), .string("message_id")]) { v in
                .mailSent(ticket: v.int(), mail: v.int(), messageID: v.string())
            }
        case .mailFailed:
            EventType(self, "mail.failed", [.int("ticket"), .int("mail"), .string("error")]) { v in
                .mailFailed(ticket: v.int(), mail: v.int(), error: v.string())
            }
        case .mailQuarantined:
            EventType(self, "mail.quarantined", [.string("raw"), .string("reason")]) { v in
                .mailQuarantined(raw: v.string(), reason: v.string())
            }
        case .slaTargetsSet:
            EventType(self, "sla_targets.set", [.choice("priority", Priority.self), .int("first_response"),
                                                .int("next_response"), .int("resolution")]) { v in
                .slaTargetsSet(priority: v.choice(), firstResponse: v.int(), nextResponse: v.int(), resolution: v.int())
            }
        case .businessHoursSet:
            EventType(self, "business_hours.set", [.string("hours"), .string("time_zone")]) { v in
                .businessHoursSet(hours: v.string(), timeZone: v.string())
            }
        case .businessHoursCleared:
            EventType(self, "business_hours.cleared", []) { _ in .businessHoursCleared }
        case .holidayAdded:
            EventType(self, "holiday.added", [.string("date")]) { v in .holidayAdded(date: v.string()) }
        case .holidayRemoved:
            EventType(self, "holiday.removed", [.string("date")]) { v in .holidayRemoved(date: v.string()) }
        case .actingRoleAdded:
            EventType(self, "acting_role.added", [.string("role")]) { v in .actingRoleAdded(role: v.string()) }
        case .actingRoleRemoved:
            EventType(self, "acting_role.removed", [.string("role")]) { v in .actingRoleRemoved(role: v.string()) }
        case .macroSaved:
            EventType(self, "macro.saved", [.string("name"), .string("reply").optional, .string("note").optional,
                                            .choice("status", Status.self).optional, .choice("priority", Priority.self).optional,
                                            .strings("tags_added"), .strings("tags_removed"), .int("follow_up").optional,
                                            .string("assign").optional, .string("escalate").optional]) { v in
                let name = v.string(), reply = v.optionalString(), note = v.optionalString()
                let text = reply.map { Macro.Text(kind: .reply, template: $0) } ?? note.map { Macro.Text(kind: .note, template: $0) }
                return .macroSaved(Macro(name: name, text: text, status: v.optionalChoice(), priority: v.optionalChoice(),
                                         addTags: v.strings(), removeTags: v.strings(), followUp: v.optionalInt(),
                                         assignment: v.optionalString().map(Macro.Assignment.init(word:)),
                                         escalation: v.optionalString()))
            }
        case .macroRemoved:
            EventType(self, "macro.removed", [.string("name")]) { v in .macroRemoved(name: v.string()) }
        case .viewSaved:
            EventType(self, "view.saved", [.string("name"), .choice("status", Status.self).optional, .bool("all_statuses"),
                                           .bool("mine"), .bool("unassigned"), .string("assignee").optional,
                                           .int("tier").optional, .choice("priority", Priority.self).optional,
                                           .strings("tags"), .choice("channel", Channel.self).optional,
                                           .choice("sort", TicketSort.self).optional, .string("group").optional,
                                           .string("text").optional]) { v in
                let name = v.string(), status: Status? = v.optionalChoice(), allStatuses = v.bool()
                let mine = v.bool(), unassigned = v.bool(), agent = v.optionalString()
                let assignment: SavedView.Assignment = mine ? .mine : unassigned ? .unassigned : agent.map { .agent($0) } ?? .anyone
                return .viewSaved(SavedView(name: name, status: status, allStatuses: allStatuses, assignment: assignment,
                                            tier: v.optionalInt(), priority: v.optionalChoice(), tags: v.strings(),
                                            channel: v.optionalChoice(), sort: v.optionalChoice(), group: v.optionalString(),
                                            text: v.optionalString()))
            }
        case .viewRemoved:
            EventType(self, "view.removed", [.string("name")]) { v in .viewRemoved(name: v.string()) }
        case .senderBlocked:
            EventType(self, "sender.blocked", [.string("pattern"), .string("reason").optional]) { v in
                .senderBlocked(pattern: v.string(), reason: v.optionalString())
            }
        case .senderUnblocked:
            EventType(self, "sender.unblocked", [.string("pattern")]) { v in .senderUnblocked(pattern: v.string()) }
        case .surveyConfigured:
            EventType(self, "survey.configured", [.choice("kind", SurveyKind.self), .int("every").optional]) { v in
                .surveyConfigured(kind: v.choice(), every: v.optionalInt())
            }
        case .customerSurveys:
            EventType(self, "customer.surveys", [.int("customer"), .bool("allowed")]) { v in
                .customerSurveys(customer: v.int(), allowed: v.bool())
            }
        case .surveyQueued:
            EventType(self, "survey.queued", [.int("ticket"), .int("mail"), .choice("kind", SurveyKind.self)]) { v in
                .surveyQueued(ticket: v.int(), mail: v.int(), kind: v.choice())
            }
        case .surveyAnswered:
            EventType(self, "survey.answered", [.int("ticket"), .choice("kind", SurveyKind.self), .int("score"),
                                                .string("comment").optional]) { v in
                .surveyAnswered(ticket: v.int(), kind: v.choice(), score: v.int(), comment: v.optionalString())
            }
        case .ticketMerged:
            EventType(self, "ticket.merged", [.int("ticket"), .int("into")]) { v in .ticketMerged(ticket: v.int(), into: v.int()) }
        case .ticketLinked:
            EventType(self, "ticket.linked", [.int("ticket"), .int("other"), .choice("kind", LinkKind.self)]) { v in
                .ticketLinked(ticket: v.int(), other: v.int(), kind: v.choice())
            }
        case .ticketUnlinked:
            EventType(self, "ticket.unlinked", [.int("ticket"), .int("other")]) { v in
                .ticketUnlinked(ticket: v.int(), other: v.int())
            }
        case .changeUndone:
            EventType(self, "change.undone", [.int("ticket"), .int("seq"), .string("what"), .int("message").optional]) { v in
                .changeUndone(ticket: v.int(), seq: v.int(), what: v.string(), message: v.optionalInt())
            }
        case .groupAdded:
            EventType(self, "group.added", [.string("group"), .string("name")]) { v in
                .groupAdded(name: v.string(), displayName: v.string())
            }
        case .groupRemoved:
            EventType(self, "group.removed", [.string("group")]) { v in .groupRemoved(name: v.string()) }
        case .groupMemberAdded:
            EventType(self, "group.member_added", [.string("group"), .string("agent")]) { v in
                .groupMemberAdded(group: v.string(), agent: v.string())
            }
        case .groupMemberRemoved:
            EventType(self, "group.member_removed", [.string("group"), .string("agent")]) { v in
                .groupMemberRemoved(group: v.string(), agent: v.string())
            }
        case .groupAssignSet:
            EventType(self, "group.assign_set", [.string("group"), .choice("mode", AssignMode.self), .int("capacity").optional]) { v in
                .groupAssignSet(group: v.string(), mode: v.choice(), capacity: v.optionalInt())
            }
        case .ticketGrouped:
            EventType(self, "ticket.grouped", [.int("ticket"), .string("group").optional, .string("from").optional]) { v in
                .ticketGrouped(ticket: v.int(), group: v.optionalString(), from: v.optionalString())
            }
        case .ruleAdded:
            EventType(self, "rule.added", [.string("name"), .strings("if"), .strings("then")]) { v in
                .ruleAdded(RoutingRule(name: v.string(), conditions: v.strings(), actions: v.strings()))
            }
        case .ruleRemoved:
            EventType(self, "rule.removed", [.string("name")]) { v in .ruleRemoved(name: v.string()) }
        case .ruleMoved:
            EventType(self, "rule.moved", [.string("name"), .string("before")]) { v in
                .ruleMoved(name: v.string(), before: v.string())
            }
        case .ticketRouted:
            EventType(self, "ticket.routed", [.int("ticket"), .string("rule").optional,
                                              .choice("mode", AssignMode.self).optional]) { v in
                .ticketRouted(ticket: v.int(), rule: v.optionalString(), mode: v.optionalChoice())
            }
        case .agentAvailable:
            EventType(self, "agent.available", [.string("agent"), .date("until").optional]) { v in
                .agentAvailable(agent: v.string(), until: v.optionalDate())
            }
        case .agentAway:
            EventType(self, "agent.away", [.string("agent")]) { v in .agentAway(agent: v.string()) }
        }
    }
}

extension Event {
    /// The event's type and its fields' values, in the order its declaration lists them.
    public var fields: (type: EventType, values: [EventFieldValue]) {
        let (kind, values): (EventKind, [EventFieldValue]) = switch self {
        case .deskCreated(let format): (.deskCreated, [.int(format)])
        case .agentAdded(let account, let displayName, let role, let tier):
            (.agentAdded, [.string(account), .string(displayName), .choice(role), .int(tier)])
        case .agentChanged(let account, let displayName, let role, let tier, let active):
            (.agentChanged, [.string(account), .maybe(displayName), .choice(role), .maybe(tier), .maybe(active)])
        case .customerCreated(let id, let email, let name, let phone, let organisation, let notes):
            (.customerCreated, [.int(id), .string(email), .string(name), .maybe(phone), .maybe(organisation), .maybe(notes)])
        case .customerUpdated(let id, let email, let name, let phone, let organisation, let notes):
            (.customerUpdated, [.int(id), .maybe(email), .maybe(name), .maybe(phone), .maybe(organisation), .maybe(notes)])
        case .ticketOpened(let id, let subject, let customer, let channel, let priority):
            (.ticketOpened, [.int(id), .string(subject), .int(customer), .choice(channel), .choice(priority)])
        case .messageAdded(let id, let kind, let body): (.messageAdded, [.int(id), .choice(kind), .body(body)])
        case .assigned(let id, let to, let from): (.assigned, [.int(id), .string(to), .maybe(from)])
        case .unassigned(let id, let from): (.unassigned, [.int(id), .string(from)])
        case .priorityChanged(let id, let from, let to): (.priorityChanged, [.int(id), .choice(from), .choice(to)])
        case .statusChanged(let id, let from, let to): (.statusChanged, [.int(id), .choice(from), .choice(to)])
        case .escalated(let id, let tier, let reason): (.escalated, [.int(id), .int(tier), .string(reason)])
        case .followUpScheduled(let id, let due, let note): (.followUpScheduled, [.int(id), .date(due), .maybe(note)])
        case .followUpCleared(let id): (.followUpCleared, [.int(id)])
        case .tagsChanged(let id, let added, let removed): (.tagsChanged, [.int(id), .strings(added), .strings(removed)])
        case .satisfactionRated(let id, let score, let comment): (.satisfactionRated, [.int(id), .int(score), .maybe(comment)])
        case .messageReceived(let id, let message, let channel, let externalID, let from, let raw, let automatic):
            (.messageReceived, [.int(id), .int(message), .choice(channel), .string(externalID), .string(from), .maybe(raw),
                                .choice(automatic)])
        case .attachmentAdded(let id, let message, let name, let type, let size, let sha256):
            (.attachmentAdded, [.int(id), .int(message), .string(name), .string(type), .int(size), .string(sha256)])
        case .mailQueued(let id, let mail, let message): (.mailQueued, [.int(id), .int(mail), .maybe(message)])
        case .mailSent(let id, let mail, let messageID): (.mailSent, [.int(id), .int(mail), .string(messageID)])
        case .mailFailed(let id, let mail, let error): (.mailFailed, [.int(id), .int(mail), .string(error)])
        case .mailQuarantined(let raw, let reason): (.mailQuarantined, [.string(raw), .string(reason)])
        case .slaTargetsSet(let priority, let first, let next, let resolution):
            (.slaTargetsSet, [.choice(priority), .int(first), .int(next), .int(resolution)])
        case .businessHoursSet(let hours, let zone): (.businessHoursSet, [.string(hours), .string(zone)])
        case .businessHoursCleared: (.businessHoursCleared, [])
        case .holidayAdded(let day): (.holidayAdded, [.string(day)])
        case .holidayRemoved(let day): (.holidayRemoved, [.string(day)])
        case .actingRoleAdded(let role): (.actingRoleAdded, [.string(role)])
        case .actingRoleRemoved(let role): (.actingRoleRemoved, [.string(role)])
        case .macroSaved(let macro):
            (.macroSaved, [.string(macro.name), .maybe(macro.text?.kind == .reply ? macro.text?.template : nil),
                           .maybe(macro.text?.kind == .note ? macro.text?.template : nil), .choice(macro.status),
                           .choice(macro.priority), .strings(macro.addTags), .strings(macro.removeTags),
                           .maybe(macro.followUp), .maybe(macro.assignment?.word), .maybe(macro.escalation)])
        case .macroRemoved(let name): (.macroRemoved, [.string(name)])
        case .viewSaved(let view):
            (.viewSaved, [.string(view.name), .choice(view.status), .bool(view.allStatuses), .bool(view.assignment == .mine),
                          .bool(view.assignment == .unassigned), .maybe(view.agent), .maybe(view.tier), .choice(view.priority),
                          .strings(view.tags), .choice(view.channel), .choice(view.sort), .maybe(view.group), .maybe(view.text)])
        case .viewRemoved(let name): (.viewRemoved, [.string(name)])
        case .senderBlocked(let pattern, let reason): (.senderBlocked, [.string(pattern), .maybe(reason)])
        case .senderUnblocked(let pattern): (.senderUnblocked, [.string(pattern)])
        case .surveyConfigured(let kind, let every): (.surveyConfigured, [.choice(kind), .maybe(every)])
        case .customerSurveys(let customer, let allowed): (.customerSurveys, [.int(customer), .bool(allowed)])
        case .surveyQueued(let id, let mail, let kind): (.surveyQueued, [.int(id), .int(mail), .choice(kind)])
        case .surveyAnswered(let id, let kind, let score, let comment):
            (.surveyAnswered, [.int(id), .choice(kind), .int(score), .maybe(comment)])
        case .ticketMerged(let id, let into): (.ticketMerged, [.int(id), .int(into)])
        case .ticketLinked(let id, let other, let kind): (.ticketLinked, [.int(id), .int(other), .choice(kind)])
        case .ticketUnlinked(let id, let other): (.ticketUnlinked, [.int(id), .int(other)])
        case .changeUndone(let id, let seq, let what, let message):
            (.changeUndone, [.int(id), .int(seq), .string(what), .maybe(message)])
        case .groupAdded(let name, let displayName): (.groupAdded, [.string(name), .string(displayName)])
        case .groupRemoved(let name): (.groupRemoved, [.string(name)])
        case .groupMemberAdded(let group, let agent): (.groupMemberAdded, [.string(group), .string(agent)])
        case .groupMemberRemoved(let group, let agent): (.groupMemberRemoved, [.string(group), .string(agent)])
        case .groupAssignSet(let group, let mode, let capacity):
            (.groupAssignSet, [.string(group), .choice(mode), .maybe(capacity)])
        case .ticketGrouped(let id, let group, let from): (.ticketGrouped, [.int(id), .maybe(group), .maybe(from)])
        case .ruleAdded(let rule): (.ruleAdded, [.string(rule.name), .strings(rule.conditions), .strings(rule.actions)])
        case .ruleRemoved(let name): (.ruleRemoved, [.string(name)])
        case .ruleMoved(let name, let before): (.ruleMoved, [.string(name), .string(before)])
        case .ticketRouted(let id, let rule, let mode): (.ticketRouted, [.int(id), .maybe(rule), .choice(mode)])
        case .agentAvailable(let agent, let until): (.agentAvailable, [.string(agent), .maybe(until)])
        case .agentAway(let agent): (.agentAway, [.string(agent)])
        }
        return (EventType.all[kind.rawValue], values)
    }

    /// One line for people, as history lists show it: "took it from bob", "escalated to tier 2: …".
    public var summary: String {
        switch self {
        case .deskCreated(let format): return "created the desk (log format \(format))"
        case .agentAdded(let account, let name, let role, let tier):
            return "added \(role.rawValue) \(account) (\(name)) at tier \(tier)"
        case .agentChanged(let account, let name, let role, let tier, let active):
            var changes: [String] = []
            if let name { changes.append("name \(name)") }
            if let role { changes.append("role \(role.rawValue)") }
            if let tier { changes.append("tier \(tier)") }
            if let active { changes.append(active ? "active" : "inactive") }
            return "changed agent \(account): " + changes.joined(separator: ", ")
        case .customerCreated(_, let email, let name, _, _, _): return "created customer \(name) <\(email)>"
        case .customerUpdated(let id, _, _, _, _, _): return "updated customer \(id)"
        case .ticketOpened(_, let subject, _, let channel, let priority):
            return "opened it by \(channel.rawValue), \(priority.rawValue) priority: \(subject)"
        case .messageAdded(_, let kind, _):
            switch kind {
            case .customer: return "added a customer message"
            case .reply: return "replied"
            case .note: return "added an internal note"
            }
        case .assigned(_, let to, let from):
            return "assigned it to \(to)" + (from.map { " (taken from \($0))" } ?? "")
        case .unassigned(_, let from): return "unassigned it from \(from)"
        case .priorityChanged(_, let from, let to): return "changed priority \(from.rawValue) → \(to.rawValue)"
        case .statusChanged(_, let from, let to): return "changed status \(from.rawValue) → \(to.rawValue)"
        case .escalated(_, let tier, let reason): return "escalated to tier \(tier): \(reason)"
        case .followUpScheduled(_, let due, let note):
            return "scheduled a follow-up for \(Timestamp.format(due))" + (note.map { ": \($0)" } ?? "")
        case .followUpCleared: return "cleared the follow-up"
        case .tagsChanged(_, let added, let removed):
            return "changed tags " + (added.map { "+\($0)" } + removed.map { "-\($0)" }).joined(separator: " ")
        case .satisfactionRated(_, let score, let comment):
            return "rated \(score)/5" + (comment.map { ": \($0)" } ?? "")
        case .messageReceived(_, let message, let channel, let id, let from, _, let automatic):
            let what = automatic.map { "\($0.rawValue) mail" } ?? "message \(message)"
            return "received \(what) by \(channel.rawValue) from \(from) (\(id))"
        case .attachmentAdded(_, let message, let name, let type, let size, _):
            return "received attachment \(name) (\(type), \(size) bytes) with message \(message)"
        case .mailQueued(_, let mail, let message):
            return "queued mail \(mail): " + (message.map { "reply \($0)" } ?? "acknowledgement")
        case .mailSent(_, let mail, let messageID): return "sent mail \(mail) as <\(messageID)>"
        case .mailFailed(_, let mail, let error): return "could not send mail \(mail): \(error)"
        case .mailQuarantined(let raw, let reason): return "quarantined mail \(raw.prefix(12)): \(reason)"
        case .slaTargetsSet(let priority, let first, let next, let resolution):
            return "set the \(priority.rawValue) SLA targets: first response \(DurationText.format(TimeInterval(first))), "
                + "next response \(DurationText.format(TimeInterval(next))), resolution \(DurationText.format(TimeInterval(resolution)))"
        case .businessHoursSet(let hours, let zone): return "set the business hours to \(hours) (\(zone))"
        case .businessHoursCleared: return "cleared the business hours (clocks run around the clock)"
        case .holidayAdded(let day): return "added the holiday \(day)"
        case .holidayRemoved(let day): return "removed the holiday \(day)"
        case .actingRoleAdded(let role): return "let the database role \(role) act as any agent"
        case .actingRoleRemoved(let role): return "no longer lets the database role \(role) act as any agent"
        case .macroSaved(let macro):
            return "saved the macro \(macro.name)" + (macro.actionWords.isEmpty ? "" : ": " + macro.actionWords.joined(separator: ", "))
        case .macroRemoved(let name): return "removed the macro \(name)"
        case .viewSaved(let view):
            return "saved the view \(view.name)" + (view.arguments.isEmpty ? "" : ": " + view.arguments.joined(separator: " "))
        case .viewRemoved(let name): return "removed the view \(name)"
        case .senderBlocked(let pattern, let reason): return "blocked \(pattern)" + (reason.map { ": \($0)" } ?? "")
        case .senderUnblocked(let pattern): return "unblocked \(pattern)"
        case .surveyConfigured(let kind, let every):
            let name = kind == .csat ? "the satisfaction survey" : "the recommendation survey (NPS)"
            guard let every else { return "turned \(name) off" }
            return "turned \(name) on: " + (kind == .csat ? "\(DurationText.format(TimeInterval(every))) after a solve"
                                                            : "at most once every \(DurationText.format(TimeInterval(every)))")
        case .customerSurveys(let customer, let allowed):
            return allowed ? "customer \(customer) may be surveyed again" : "customer \(customer) asked not to be surveyed"
        case .surveyQueued(_, _, let kind): return "queued the \(kind == .csat ? "satisfaction" : "recommendation") survey"
        case .surveyAnswered(_, let kind, let score, let comment):
            return "answered the \(kind == .csat ? "satisfaction" : "recommendation") survey: \(score) of \(kind.scores.upperBound)"
                + (comment.map { ": \($0)" } ?? "")
        case .ticketMerged(let id, let into): return "merged #\(id) into #\(into)"
        case .ticketLinked(let id, let other, let kind): return "linked: " + kind.sentence(other, of: id)
        case .ticketUnlinked(let id, let other): return "unlinked #\(id) and #\(other)"
        case .changeUndone(_, _, let what, let message):
            return "undid: \(what)" + (message.map { " (message \($0) withdrawn)" } ?? "")
        case .groupAdded(let name, let displayName): return "added the group \(name) (\(displayName))"
        case .groupRemoved(let name): return "removed the group \(name)"
        case .groupMemberAdded(let group, let agent): return "added \(agent) to the group \(group)"
        case .groupMemberRemoved(let group, let agent): return "removed \(agent) from the group \(group)"
        case .groupAssignSet(let group, let mode, let capacity):
            return "set the group \(group) to assign \(mode.rawValue)" + (capacity.map { ", at most \($0) open tickets each" } ?? "")
        case .ticketGrouped(_, let group, let from):
            return "moved it to " + (group.map { "the group \($0)" } ?? "no group") + (from.map { " (from \($0))" } ?? "")
        case .ruleAdded(let rule):
            return "added the rule \(rule.name): if \(rule.conditions.joined(separator: " ")) then \(rule.actions.joined(separator: " "))"
        case .ruleRemoved(let name): return "removed the rule \(name)"
        case .ruleMoved(let name, let before): return "moved the rule \(name) before \(before)"
        case .ticketRouted(_, let rule, let mode):
            if let rule { return "routed it by the rule \(rule)" }
            return "handed it out \(mode?.rawValue ?? "automatically")"
        case .agentAvailable(let agent, let until):
            return "\(agent) is available" + (until.map { " until \(Timestamp.format($0))" } ?? "")
        case .agentAway(let agent): return "\(agent) is away"
        }
    }
}

/// Where and by whom an event was recorded: the record that carries it.
public struct EventContext: Sendable {
    public var seq: Int
    public var at: Date
    public var actor: String
    /// The account that acted as `actor`, when another (`--as`).
    public var via: String?

    public init(seq: Int, at: Date, actor: String, via: String? = nil) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.via = via
    }
}
