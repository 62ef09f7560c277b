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

    /// The ticket the event is about, if any.
    public var ticketID: Int? {
        switch self {
        case .deskCreated, .agentAdded, .agentChanged, .customerCreated, .customerUpdated, .mailQuarantined:
            return nil
        case .slaTargetsSet, .businessHoursSet, .businessHoursCleared, .holidayAdded, .holidayRemoved,
             .actingRoleAdded, .actingRoleRemoved, .macroSaved, .macroRemoved, .viewSaved, .viewRemoved:
            return nil
        case .ticketOpened(let id, _, _, _, _), .messageAdded(let id, _, _), .assigned(let id, _, _),
             .unassigned(let id, _), .priorityChanged(let id, _, _), .statusChanged(let id, _, _),
             .escalated(let id, _, _), .followUpScheduled(let id, _, _), .followUpCleared(let id),
             .tagsChanged(let id, _, _), .satisfactionRated(let id, _, _),
             .messageReceived(let id, _, _, _, _, _, _), .attachmentAdded(let id, _, _, _, _, _),
             .mailQueued(let id, _, _), .mailSent(let id, _, _), .mailFailed(let id, _, _):
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
                                           .choice("sort", TicketSort.self).optional, .string("text").optional]) { v in
                let name = v.string(), status: Status? = v.optionalChoice(), allStatuses = v.bool()
                let mine = v.bool(), unassigned = v.bool(), agent = v.optionalString()
                let assignment: SavedView.Assignment = mine ? .mine : unassigned ? .unassigned : agent.map { .agent($0) } ?? .anyone
                return .viewSaved(SavedView(name: name, status: status, allStatuses: allStatuses, assignment: assignment,
                                            tier: v.optionalInt(), priority: v.optionalChoice(), tags: v.strings(),
                                            channel: v.optionalChoice(), sort: v.optionalChoice(), text: v.optionalString()))
            }
        case .viewRemoved:
            EventType(self, "view.removed", [.string("name")]) { v in .viewRemoved(name: v.string()) }
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
                          .strings(view.tags), .choice(view.channel), .choice(view.sort), .maybe(view.text)])
        case .viewRemoved(let name): (.viewRemoved, [.string(name)])
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
        }
    }
}

/// Where and by whom an event was recorded: the record that carries it.
public struct EventContext: Sendable {
    public var seq: Int
    public var at: Date
    public var actor: String

    public init(seq: Int, at: Date, actor: String) {
        self.seq = seq
        self.at = at
        self.actor = actor
    }
}
