import Foundation

/// A message from outside as the rules see it: parsed mail, or one line of JSON intake.
/// Bodies and attachments are already stored; only their text and references come here.
public struct InboundMessage: Equatable, Sendable {
    public var channel: Channel
    /// Its id on the channel: the Message-ID (without <>) or a bridge's external id.
    public var externalID: String
    public var fromAddress: String
    public var fromName: String?
    public var phone: String?
    public var subject: String
    public var body: String
    /// Ids this message answers, most likely first: In-Reply-To, then References from the last.
    public var references: [String]
    public var automatic: AutomaticMail?
    /// Content address of the raw message kept beside the log.
    public var raw: String?
    public var attachments: [AttachmentRef]
    /// The ticket it is for, when the sender says so (JSON intake's `ticket`).
    public var ticket: Int?
    /// For a bounce: why the mail it carries (named in `references`) was not delivered.
    public var bounceReason: String?
    /// The addresses it was sent to (mail's To and Cc), for routing rules.
    public var recipients: [String] = []

    public init(channel: Channel, externalID: String, fromAddress: String, fromName: String? = nil,
                phone: String? = nil, subject: String, body: String, references: [String] = [],
                automatic: AutomaticMail? = nil, raw: String? = nil, attachments: [AttachmentRef] = [],
                ticket: Int? = nil, bounceReason: String? = nil) {
        self.channel = channel
        self.externalID = externalID
        self.fromAddress = fromAddress
        self.fromName = fromName
        self.phone = phone
        self.subject = subject
        self.body = body
        self.references = references
        self.automatic = automatic
        self.raw = raw
        self.attachments = attachments
        self.ticket = ticket
        self.bounceReason = bounceReason
    }
}

/// An attachment already kept beside the log.
public struct AttachmentRef: Equatable, Sendable {
    public var name: String
    public var type: String
    public var size: Int
    public var sha256: String

    public init(name: String, type: String, size: Int, sha256: String) {
        self.name = name
        self.type = type
        self.size = size
        self.sha256 = sha256
    }
}

/// What the desk's configuration says about intake.
public struct IntakeSettings: Equatable, Sendable {
    /// What comes before the id in a subject tag: "#" gives `[#42]`, "Acme #" gives `[Acme #42]`.
    public var subjectTag: String
    /// Queue an acknowledgement mail when mail opens a new ticket.
    public var acknowledge: Bool

    public init(subjectTag: String = "#", acknowledge: Bool = false) {
        self.subjectTag = subjectTag
        self.acknowledge = acknowledge
    }
}

/// Which ticket a message belongs to, and why.
public enum Threading: Equatable, Sendable {
    /// The same message was taken before (a duplicate delivery, a retried webhook).
    case duplicate(ticket: Int)
    /// The sender named the ticket (JSON intake's `ticket`).
    case named(ticket: Int)
    /// In-Reply-To / References name a message the desk sent or received.
    case reference(ticket: Int)
    /// The subject carries the ticket's tag.
    case subjectTag(ticket: Int)
    case newTicket
}

/// What taking a message did.
public enum IntakeResult: Equatable, Sendable {
    case duplicate(ticket: Int)
    case added(ticket: Int, threading: Threading)
    case opened(ticket: Int)
    /// Not for any ticket: kept in the quarantine with this reason.
    case setAside(reason: String)
}

/// The rules for messages from outside: threading, loop protection, and what a customer's
/// message does to its ticket. Pure: the desk and the time are passed in.
public enum Intake {
    /// The actor of records written by mail intake and delivery (not a roster agent).
    public static let mailActor = "mail"
    /// Why a message from a blocked sender was set aside (the quarantine's reason, JSON intake's error).
    public static let blockedReason = "blocked"
    /// The actor of records written by JSON intake.
    public static let intakeActor = "intake"

    /// The address, trimmed, when it is one the desk accepts for a customer.
    public static func validEmail(_ address: String) throws(Refusal) -> String {
        try CustomerRules.validEmail(address)
    }

    // MARK: - Threading

    public static func thread(_ message: InboundMessage, on desk: Desk, subjectTag prefix: String) -> Threading {
        if let ticket = desk.ticket(holding: message.externalID, on: message.channel, raw: message.raw) {
            return .duplicate(ticket: ticket)
        }
        // A ticket merged into another passes its mail on (along the chain of merges).
        if let named = message.ticket { return .named(ticket: desk.mergeDestination(of: named)) }
        for reference in message.references {
            if let ticket = desk.ticket(holding: reference, on: .email) { return .reference(ticket: desk.mergeDestination(of: ticket)) }
            if let ticket = Outbox.ticket(ofOwnMessageID: reference, on: desk) {
                return .reference(ticket: desk.mergeDestination(of: ticket))
            }
        }
        if let id = subjectTag(in: message.subject, prefix: prefix), desk.ticket(id) != nil {
            return .subjectTag(ticket: desk.mergeDestination(of: id))
        }
        return .newTicket
    }

    /// The ticket id in a subject tag such as `[#42]` or `[Acme #42]` (the prefix matched without
    /// regard to case or surrounding spaces).
    public static func subjectTag(in subject: String, prefix: String) -> Int? {
        let prefix = prefix.trimmingWhitespace().lowercased()
        let text = subject.lowercased()
        var searchFrom = text.startIndex
        while let open = text[searchFrom...].firstIndex(of: "[") {
            searchFrom = text.index(after: open)
            guard let close = text[searchFrom...].firstIndex(of: "]") else { break }
            var inside = Substring(text[searchFrom..<close]).trimmingCharacters(in: .whitespaces)[...]
            guard inside.hasPrefix(prefix) else { continue }
            inside = inside.dropFirst(prefix.count)
            let digits = inside.trimmingCharacters(in: .whitespaces)
            if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.count < 10, let id = Int(digits) {
                return id
            }
        }
        return nil
    }

    /// `[#42]` with the configured prefix.
    public static func tag(_ id: Int, prefix: String) -> String {
        "[\(prefix.trimmingCharacters(in: .whitespaces))\(id)]"
    }

    /// The subject of a reply: `Re: <subject> [#ID]`, without doubling either part.
    public static func replySubject(_ subject: String, ticket id: Int, prefix: String) -> String {
        var text = subject.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { text = "your message" }
        if !text.lowercased().hasPrefix("re:") { text = "Re: " + text }
        if subjectTag(in: text, prefix: prefix) != id { text += " " + tag(id, prefix: prefix) }
        return text
    }

    // MARK: - Loop protection

    /// Whether a message was sent by a robot, from its headers (names in any case). `deskAddresses`
    /// are the desk's own addresses: mail from them is our own mail come back.
    public static func classify(headers: [(name: String, value: String)], from: String, contentType: String,
                                deskAddresses: [String]) -> AutomaticMail? {
        func values(_ name: String) -> [String] {
            headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }
                .map { $0.value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
        }
        let sender = from.trimmingCharacters(in: .whitespaces).lowercased()
        if deskAddresses.contains(where: { $0.lowercased() == sender }) { return .loop }
        let local = sender.split(separator: "@").first.map(String.init) ?? sender
        let returnPath = values("Return-Path")
        if ["mailer-daemon", "postmaster"].contains(local) || returnPath.contains(where: { $0 == "<>" || $0.isEmpty })
            || contentType.lowercased().hasPrefix("multipart/report") || !values("X-Failed-Recipients").isEmpty {
            return .bounce
        }
        if values("Auto-Submitted").contains(where: { !$0.hasPrefix("no") })
            || !values("X-Autoreply").isEmpty || !values("X-Autorespond").isEmpty
            || !values("X-Autoresponder").isEmpty || values("Precedence").contains("auto_reply") {
            return .autoReply
        }
        if values("Precedence").contains(where: { ["bulk", "junk", "list"].contains($0) })
            || !values("List-Id").isEmpty || !values("List-Unsubscribe").isEmpty {
            return .bulk
        }
        return nil
    }

    /// The ticket that first held this message's id when the message is not the one that came
    /// with it (mail with another's Message-ID and other bytes): it is kept, with a note.
    public static func reusedID(_ message: InboundMessage, on desk: Desk) -> Int? {
        guard let raw = message.raw, let first = desk.ticket(holding: message.externalID, on: message.channel),
              desk.ticket(holding: message.externalID, on: message.channel, raw: raw) == nil else { return nil }
        return first
    }

    private static func reusedIDNote(_ message: InboundMessage, firstOn ticket: Int) -> MessageBody {
        .text("The message above came with the id <\(message.externalID)>, which an earlier message with other "
              + "content already had (on ticket \(ticket)). It is kept as a message of its own; only a resend of "
              + "the very same bytes is dropped as a duplicate.")
    }

    // MARK: - Deciding

    /// The events that take `message` in, or a refusal (a bad sender address, a ticket that does
    /// not exist). Run under the log's lock against the fresh desk.
    public static func decide(_ message: InboundMessage, on desk: Desk, at now: Date,
                              settings: IntakeSettings) throws(Refusal) -> (result: IntakeResult, events: [Event]) {
        let threading = thread(message, on: desk, subjectTag: settings.subjectTag)
        if case .duplicate(let ticket) = threading { return (.duplicate(ticket: ticket), []) }
        if desk.block(covering: message.fromAddress) != nil { return (.setAside(reason: blockedReason), []) }
        if case .named(let id) = threading, desk.ticket(id) == nil { throw Refusal(.notFound, .noSuchTicket(id)) }
        let email = try CustomerRules.validEmail(message.fromAddress)
        let body = message.body.trimmingWhitespaceAndNewlines().isEmpty
            ? (message.attachments.isEmpty ? "(no text)" : "(no text; see the attachments)") : message.body
        let rules = TicketRules(desk: desk, agent: Agent(account: mailActor, displayName: mailActor, role: .agent,
                                                          tier: 1, active: true), now: now)
        let reused = reusedID(message, on: desk)
        let existing: Int? = switch threading {
        case .named(let id), .reference(let id), .subjectTag(let id): id
        case .duplicate, .newTicket: nil
        }

        // An answer to a survey is recorded as such, on a closed ticket too, and reopens nothing.
        if let id = existing, let ticket = desk.ticket(id), message.automatic == nil,
           let survey = Surveys.answered(by: message, on: ticket), let kind = survey.survey,
           let answer = Surveys.answer(message.body, kind: kind) {
            let index = ticket.messages.count + 1
            return (.added(ticket: id, threading: threading),
                    Surveys.take(message, answering: survey, on: ticket, from: email, score: answer.score,
                                 comment: answer.comment, attachments: attachments(message, ticket: id, index: index)))
        }
        // An open (or solved, pending, on-hold) ticket takes the message; a closed one stays closed,
        // but still hears that a mail it sent bounced.
        let bounced = existing.flatMap { desk.ticket($0) }.flatMap { bouncedMail(message, on: $0) }
        if let id = existing, let ticket = desk.ticket(id), ticket.status != .closed || bounced != nil {
            let index = ticket.messages.count + 1
            var events: [Event]
            if let automatic = message.automatic {
                events = [.messageAdded(ticket: id, kind: .note, body: .text(automaticNote(automatic, body)))]
            } else {
                events = try rules.customerMessage(id, body)
            }
            let received = Event.messageReceived(ticket: id, message: index, channel: message.channel,
                                                 externalID: message.externalID, from: email, raw: message.raw,
                                                 automatic: message.automatic)
            // The message first, then where it came from, then what it did to the ticket.
            events.insert(contentsOf: [received] + attachments(message, ticket: id, index: index), at: 1)
            if let reused { events.append(.messageAdded(ticket: id, kind: .note, body: reusedIDNote(message, firstOn: reused))) }
            if let bounced {
                events.append(.mailFailed(ticket: id, mail: bounced.number, error: bounceError(message.bounceReason)))
            }
            return (.added(ticket: id, threading: threading), events)
        }
        if let automatic = message.automatic {
            return (.setAside(reason: "\(automatic.rawValue) mail for no open ticket"), [])
        }
        var rulesForNew = rules
        let subject = message.subject.trimmingWhitespaceAndNewlines().isEmpty ? "(no subject)" : message.subject
        var events = try rulesForNew.open(email: email, name: message.fromName, subject: subject,
                                          channel: message.channel, priority: .normal, body: body)
        let id = desk.nextTicketID
        if let phone = message.phone?.trimmingWhitespaceAndNewlines(), !phone.isEmpty,
           let index = events.firstIndex(where: { if case .customerCreated = $0 { true } else { false } }),
           case .customerCreated(let cid, let cemail, let name, nil, let organisation, let notes) = events[index] {
            events[index] = .customerCreated(id: cid, email: cemail, name: name, phone: phone,
                                             organisation: organisation, notes: notes)
        }
        events.append(.messageReceived(ticket: id, message: 1, channel: message.channel, externalID: message.externalID,
                                       from: email, raw: message.raw, automatic: nil))
        events += attachments(message, ticket: id, index: 1)
        if let reused { events.append(.messageAdded(ticket: id, kind: .note, body: reusedIDNote(message, firstOn: reused))) }
        if settings.acknowledge, message.channel == .email {
            events.append(.mailQueued(ticket: id, mail: 1, message: nil))
        }
        return (.opened(ticket: id), events)
    }

    /// The mail of `ticket` that a bounce carries back: one the desk sent (by the Message-ID quoted
    /// in the report), not already marked as bounced.
    static func bouncedMail(_ message: InboundMessage, on ticket: Ticket) -> OutboundMail? {
        guard message.automatic == .bounce else { return nil }
        let sent = ticket.outbound.filter { $0.state == .sent }
        for reference in message.references {
            if let mail = sent.first(where: { $0.messageID == reference }) { return mail }
        }
        return nil
    }

    /// What `mail.failed` says of a bounced mail: `bounced: <reason>`.
    public static func bounceError(_ reason: String?) -> String {
        let text = reason?.trimmingWhitespaceAndNewlines() ?? ""
        return "\(Outbox.bouncePrefix)\(text.isEmpty ? "the mail system returned it" : text)"
    }

    private static func attachments(_ message: InboundMessage, ticket: Int, index: Int) -> [Event] {
        message.attachments.map {
            .attachmentAdded(ticket: ticket, message: index, name: $0.name, type: $0.type, size: $0.size,
                             sha256: $0.sha256)
        }
    }

    private static func automaticNote(_ kind: AutomaticMail, _ body: String) -> String {
        let what = switch kind {
        case .autoReply: "An automatic reply"
        case .bulk: "Bulk or list mail"
        case .bounce: "A delivery failure report"
        case .loop: "Mail from the desk's own address"
        }
        return "\(what) came in (recorded only; it changes nothing):\n\n\(body)"
    }

    /// What goes out with a reply about to be added as message `index`, when the customer wrote
    /// by mail or on a channel a bridge delivers to (see `Ticket.replyChannel`).
    static func queueReply(_ ticket: Ticket, message index: Int) -> [Event] {
        guard ticket.replyChannel != nil else { return [] }
        return [.mailQueued(ticket: ticket.id, mail: ticket.outbound.count + 1, message: index)]
    }
}
