import Foundation

/// Mail out, with the log as the outbox: a reply's record queues its mail; delivery appends
/// `mailSent` or `mailFailed`. Which mail is due, its Message-ID and its threading headers are
/// worked out here from the desk and the time passed in.
public enum Outbox {
    /// The longest wait between two attempts at a failing mail.
    public static let longestWait: TimeInterval = 6 * 3600

    /// After `failures` failed attempts, the next one waits 1 min, 2, 4, … up to 6 h.
    public static func wait(afterFailures failures: Int) -> TimeInterval {
        guard failures > 0 else { return 0 }
        return min(60 * pow(2, Double(min(failures - 1, 20))), longestWait)
    }

    /// How `mail.failed` begins when a mail that went out came back as a bounce.
    public static let bouncePrefix = "bounced: "

    /// How `mail.failed` begins when a mail was stopped because its address is blocked.
    public static let blockedPrefix = "blocked: "

    /// How `mail.failed` begins when a reply has no way to its channel (no delivery command).
    public static let undeliverablePrefix = "not delivered: "

    /// What `mail.failed` says of a reply on `channel` with no delivery command.
    public static func undeliverableError(_ channel: Channel) -> String {
        "\(undeliverablePrefix)no delivery command for the \(channel.rawValue) channel (helpdesk channel set "
            + "\(channel.rawValue) --send …); reach the customer another way"
    }

    /// What `mail.failed` says of a mail stopped by the block `pattern`.
    public static func blockedError(_ pattern: String) -> String {
        "\(blockedPrefix)the address is blocked (\(pattern)); nothing is sent to it"
    }

    /// True when the mail should be tried now: queued, or failed and its wait is over. A bounced
    /// mail, or one stopped by a block, is never sent again.
    public static func isDue(_ mail: OutboundMail, now: Date) -> Bool {
        if mail.isFinal { return false }
        switch mail.state {
        case .sent: return false
        case .queued: return true
        case .failed:
            guard let last = mail.lastAttemptAt else { return true }
            return now.timeIntervalSince(last) >= wait(afterFailures: mail.attempts)
        }
    }

    /// Every mail not yet sent (`all`), or only those due now, oldest first; bounced or blocked
    /// mail, which is never sent again, only when `bounced` (for listing).
    public static func pending(on desk: Desk, now: Date, all: Bool, ticket only: Int? = nil,
                               bounced: Bool = false) -> [OutboundMail] {
        var result: [OutboundMail] = []
        for ticket in only.map({ desk.ticket($0).map { [$0] } ?? [] }) ?? Array(desk.tickets) {
            // Most tickets have no mail: a quick look before working out their outbox.
            guard ticket.history.contains(where: \.queuesMail) else { continue }
            result += ticket.outbound.filter {
                $0.state != .sent && (!$0.isFinal ? all || isDue($0, now: now) : bounced)
            }
        }
        return result.sorted { ($0.queuedAt, $0.ticket, $0.number) < ($1.queuedAt, $1.ticket, $1.number) }
    }

    /// The Message-ID a mail goes out with: the same on every attempt, so a receiver can drop a
    /// second copy if a crash came between sending and recording it. Without <>.
    public static func messageID(for mail: OutboundMail, domain: String) -> String {
        let millis = Int64((mail.queuedAt.timeIntervalSince1970 * 1000).rounded())
        return "helpdesk.\(mail.ticket).\(mail.number).\(String(millis, radix: 36))@\(domain)"
    }

    /// The ticket of a Message-ID the desk made (`helpdesk.T.N.x@…`), whatever its domain.
    public static func ticket(ofOwnMessageID id: String, on desk: Desk) -> Int? {
        let local = id.split(separator: "@", maxSplits: 1).first ?? ""
        let parts = local.split(separator: ".")
        guard parts.count == 4, parts[0] == "helpdesk", let ticketID = Int(parts[1]), let number = Int(parts[2]),
              let ticket = desk.ticket(ticketID),
              let mail = ticket.outbound.first(where: { $0.number == number }) else { return nil }
        let millis = Int64((mail.queuedAt.timeIntervalSince1970 * 1000).rounded())
        return String(millis, radix: 36) == parts[3] ? ticketID : nil
    }

    /// In-Reply-To (the customer's last message) and References (the thread's first message and
    /// its latest ones, at most ten) for a mail on `ticket`.
    public static func threadHeaders(_ ticket: Ticket) -> (inReplyTo: String?, references: [String]) {
        var ids: [String] = []
        var lastInbound: String?
        for entry in ticket.history {
            if case .messageReceived(_, _, .email, let id, _, _, nil) = entry.event {
                ids.append(id)
                lastInbound = id
            } else if case .mailSent(_, _, let id) = entry.event {
                ids.append(id)
            }
        }
        var references = ids
        if references.count > 10 { references = [references[0]] + references.suffix(9) }
        return (lastInbound, references)
    }
}

extension OutboundMail {
    /// What the mail is, in words: `reply 3`, `acknowledgement`, `satisfaction survey`, `NPS survey`.
    public var purpose: String {
        if let message { return "reply \(message)" }
        switch survey {
        case .csat?: return "satisfaction survey"
        case .nps?: return "NPS survey"
        case nil: return "acknowledgement"
        }
    }

    /// Failed for good: it bounced, its address was blocked, or its channel has no way out.
    public var isFinal: Bool {
        guard bounce == nil else { return true }
        guard state == .failed, let error = lastError else { return false }
        return error.hasPrefix(Outbox.blockedPrefix) || error.hasPrefix(Outbox.undeliverablePrefix)
    }
}

extension HistoryEntry {
    /// Whether it queued a mail (a reply's, an acknowledgement, a survey).
    var queuesMail: Bool {
        switch event {
        case .mailQueued, .surveyQueued: true
        default: false
        }
    }
}
