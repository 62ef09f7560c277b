import Foundation

/// Mail that no person wrote: recorded on its ticket, but it reopens nothing and triggers nothing,
/// so two robots can never answer each other for ever.
public enum AutomaticMail: String, CaseIterable, Sendable {
    /// Out-of-office and other auto-responders (`Auto-Submitted`, `X-Autoreply`).
    case autoReply = "auto-reply"
    /// Newsletters, mailing lists (`Precedence: bulk/junk/list`, `List-Id`).
    case bulk
    /// Delivery failures (mailer-daemon, an empty return path, `multipart/report`).
    case bounce
    /// Mail from the desk's own address: our own mail come back.
    case loop
}

/// Which ticket holds a message with a given id on a channel (a Message-ID, a bridge's external
/// id), for duplicate deliveries and threading. Keys are 64-bit hashes, so the index stays small
/// however many messages there are; a hit is confirmed against the ticket's history.
public struct ChannelIndex: Equatable, Sendable {
    /// Every pair of a replayed desk; of a saved one, those added since it was saved.
    private var tickets: [UInt64: Int32] = [:]
    private var saved: (any SavedChannelIndex)?

    public init() {}

    public var count: Int { tickets.count + (saved?.count ?? 0) }

    /// The index as pairs of (key, ticket), for a snapshot to keep.
    public var entries: [(key: UInt64, ticket: Int32)] {
        (saved?.entries ?? []) + tickets.map { ($0.key, $0.value) }
    }

    /// The index a saved desk kept, read where it lies.
    public init(saved: any SavedChannelIndex) {
        self.saved = saved
    }

    public static func == (a: ChannelIndex, b: ChannelIndex) -> Bool {
        a.count == b.count && a.entries.allSatisfy { b.ticket(forKey: $0.key) == $0.ticket }
    }

    private func ticket(forKey key: UInt64) -> Int32? {
        tickets[key] ?? saved?.ticket(forKey: key)
    }

    /// FNV-1a over "channel NUL id".
    public static func key(_ channel: Channel, _ id: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in channel.rawValue.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash = (hash ^ 0) &* 0x100_0000_01b3
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// The ticket a message id may belong to (confirm with `Ticket.knows`).
    public func candidate(_ channel: Channel, _ id: String) -> Int? {
        ticket(forKey: ChannelIndex.key(channel, id)).map(Int.init)
    }

    mutating func insert(_ channel: Channel, _ id: String, ticket: Int) {
        let key = ChannelIndex.key(channel, id)
        if self.ticket(forKey: key) == nil { tickets[key] = Int32(truncatingIfNeeded: ticket) }
    }

    /// The key under which a message that reused an id is also found: the id and its bytes.
    static func reuseID(_ id: String, raw: String) -> String {
        id + "\u{0}" + raw
    }

    /// Adds what one event of a ticket's history says about message ids. A message whose id is
    /// already known (mail reusing another's Message-ID) is also filed under its id and bytes,
    /// so a resend of it is recognised wherever it went.
    mutating func index(_ event: Event) {
        if case .messageReceived(let ticket, _, let channel, let externalID, _, let raw, _) = event {
            if let raw, self.ticket(forKey: ChannelIndex.key(channel, externalID)) != nil {
                insert(channel, ChannelIndex.reuseID(externalID, raw: raw), ticket: ticket)
            }
            insert(channel, externalID, ticket: ticket)
        } else if case .mailSent(let ticket, _, let messageID) = event {
            insert(.email, messageID, ticket: ticket)
        }
    }
}

/// A file that came with a message: the ticket lists them, `helpdesk attachment ID N` prints one.
public struct Attachment: Equatable, Sendable {
    /// 1-based, in the order they arrived on the ticket.
    public var number: Int
    /// The message (1-based) it came with.
    public var message: Int
    public var name: String
    public var type: String
    public var size: Int
    public var sha256: String
}

/// How a message reached the desk, when it came in on a channel.
public struct ReceivedMessage: Equatable, Sendable {
    public var message: Int
    public var channel: Channel
    public var externalID: String
    public var from: String
    public var raw: String?
    public var automatic: AutomaticMail?
    public var at: Date
}

/// Where an outgoing mail is: the log is the outbox.
public enum DeliveryState: String, Sendable {
    case queued, failed, sent
}

/// One mail the desk sends for a ticket: a reply, or the acknowledgement of a new ticket.
public struct OutboundMail: Equatable, Sendable {
    public var ticket: Int
    /// Numbered per ticket from 1.
    public var number: Int
    /// The reply (1-based message index); nil for the acknowledgement.
    public var message: Int?
    public var queuedAt: Date
    public var state: DeliveryState
    public var attempts: Int
    public var lastError: String?
    public var lastAttemptAt: Date?
    /// The Message-ID it went out with, once sent.
    public var messageID: String?
    public var sentAt: Date?
    /// Why it came back, when it went out and then bounced (`bounced: <reason>`); it stays failed.
    public var bounce: String?
    /// The survey it asks, when it is one (then `message` is nil).
    public var survey: SurveyKind?
}

extension Ticket {
    /// Attachments, numbered in arrival order (derived from the history: no state of its own).
    public var attachments: [Attachment] {
        var result: [Attachment] = []
        for entry in history {
            if case .attachmentAdded(_, let message, let name, let type, let size, let sha256) = entry.event {
                result.append(Attachment(number: result.count + 1, message: message, name: name, type: type,
                                         size: size, sha256: sha256))
            }
        }
        return result
    }

    /// Messages that came in on a channel, in order.
    public var received: [ReceivedMessage] {
        history.compactMap { entry in
            guard case .messageReceived(_, let message, let channel, let id, let from, let raw, let automatic) = entry.event
            else { return nil }
            return ReceivedMessage(message: message, channel: channel, externalID: id, from: from, raw: raw,
                                   automatic: automatic, at: entry.at)
        }
    }

    /// How message `index` (1-based) came in, if it came in on a channel.
    public func received(message index: Int) -> ReceivedMessage? {
        received.last { $0.message == index }
    }

    /// Where replies go: by mail on tickets a person wrote to by mail; else on the chat, social or
    /// web channel the customer last wrote on (a delivery command takes them there); nil for tickets
    /// taken by phone or in person, which send nothing.
    public var replyChannel: Channel? {
        if isMailThread { return .email }
        return received.last { [.chat, .social, .web].contains($0.channel) }?.channel
    }

    /// The conversation's id on a bridge's channel: the id the customer's latest message came with.
    public var externalConversation: String? {
        guard let channel = replyChannel, channel != .email else { return nil }
        return received.last { $0.channel == channel }?.externalID
    }

    /// Replies go out by mail on tickets a person wrote to by mail.
    public var isMailThread: Bool {
        history.contains { entry in
            if case .messageReceived(_, _, .email, _, _, _, nil) = entry.event { return true }
            return false
        }
    }

    /// Every mail queued for the ticket, with where it is now.
    public var outbound: [OutboundMail] {
        var mails: [OutboundMail] = []
        for entry in history {
            if case .mailQueued(_, let number, let message) = entry.event {
                mails.append(OutboundMail(ticket: id, number: number, message: message, queuedAt: entry.at,
                                          state: .queued, attempts: 0))
            } else if case .surveyQueued(_, let number, let kind) = entry.event {
                mails.append(OutboundMail(ticket: id, number: number, message: nil, queuedAt: entry.at, state: .queued,
                                          attempts: 0, survey: kind))
            } else if case .mailSent(_, let number, let messageID) = entry.event {
                guard let index = mails.firstIndex(where: { $0.number == number }) else { continue }
                mails[index].state = .sent
                mails[index].attempts += 1
                mails[index].messageID = messageID
                mails[index].sentAt = entry.at
                mails[index].lastAttemptAt = entry.at
            } else if case .mailFailed(_, let number, let error) = entry.event {
                guard let index = mails.firstIndex(where: { $0.number == number }) else { continue }
                if mails[index].state == .sent {
                    // Only a bounce fails a mail that went out (see Intake.bouncedMail); a late
                    // failure report does not undo a success.
                    guard error.hasPrefix(Outbox.bouncePrefix) else { continue }
                    mails[index].state = .failed
                    mails[index].bounce = error
                    mails[index].lastError = error
                    continue
                }
                mails[index].state = .failed
                mails[index].attempts += 1
                mails[index].lastError = error
                mails[index].lastAttemptAt = entry.at
            }
        }
        return mails
    }

    /// The mail that carries reply `index` (1-based), if it goes out by mail.
    public func outbound(message index: Int) -> OutboundMail? {
        outbound.first { $0.message == index }
    }

    /// True when the ticket holds this very message: `id` on `channel` sent by the desk, or
    /// received with the bytes `raw` (or with none recorded, when only the id can tell).
    public func holds(_ channel: Channel, _ id: String, raw: String) -> Bool {
        history.contains { entry in
            if case .messageReceived(_, _, let c, let externalID, _, let kept, _) = entry.event {
                return c == channel && externalID == id && (kept == nil || kept == raw)
            }
            return Ticket.isSent(entry.event, channel, id)
        }
    }

    /// True when the ticket's history holds message `id` on `channel` (received or sent).
    public func knows(_ channel: Channel, _ id: String) -> Bool {
        history.contains { entry in
            if case .messageReceived(_, _, let c, let externalID, _, _, _) = entry.event {
                return c == channel && externalID == id
            }
            return Ticket.isSent(entry.event, channel, id)
        }
    }

    /// True when `event` sent mail `id` (a Message-ID is only ever on the email channel).
    private static func isSent(_ event: Event, _ channel: Channel, _ id: String) -> Bool {
        guard case .mailSent(_, _, let messageID) = event else { return false }
        return channel == .email && messageID == id
    }
}

extension Desk {
    /// The ticket already holding this very message: the same id and, when the bytes it came
    /// as are known (mail), the same bytes. Mail reusing an earlier message's id with other
    /// content is not it.
    public func ticket(holding id: String, on channel: Channel, raw: String?) -> Int? {
        guard let first = ticket(holding: id, on: channel) else { return nil }
        guard let raw else { return first }
        let reused = channelIndex.candidate(channel, ChannelIndex.reuseID(id, raw: raw))
        for candidate in [first] + (reused.map { [$0] } ?? []) {
            if let ticket = ticket(candidate), ticket.holds(channel, id, raw: raw) { return candidate }
        }
        return nil
    }

    /// The ticket holding message `id` on `channel`, received or sent.
    public func ticket(holding id: String, on channel: Channel) -> Int? {
        guard let candidate = channelIndex.candidate(channel, id), let ticket = ticket(candidate),
              ticket.knows(channel, id) else { return nil }
        return candidate
    }
}
