import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskMail

/// Mail in: one raw message, kept beside the log before the log records it, then threaded onto
/// a ticket through the desk's road (by `mail`), or kept in the quarantine.
public struct MailIngest {
    /// The desk, acted on by `mail`.
    public let desk: DeskService
    public let config: MailConfig
    public let store: MailStore

    /// `desk` acts as mail, via the account behind it.
    public init(desk: DeskService, config: MailConfig, store: MailStore) {
        self.desk = desk.acting(asDesk: Intake.mailActor)
        self.config = config
        self.store = store
    }

    /// What became of a message.
    public struct Taken {
        public enum Outcome: Equatable {
            case duplicate(ticket: Int)
            case added(ticket: Int, threading: Threading, automatic: AutomaticMail?)
            /// A new ticket, and what became of its acknowledgement (nil when none went out).
            case opened(ticket: Int, acknowledgement: MailSending?)
            /// Kept in the quarantine under `raw`'s first characters.
            case quarantined(raw: String, reason: String)
        }
        public var outcome: Outcome
        /// The message's id on its channel.
        public var externalID: String?
        /// The ticket that held an earlier message with the same Message-ID and other bytes.
        public var reusedFrom: Int?
    }

    public func take(_ bytes: [UInt8]) throws -> Taken {
        let raw = try store.put(bytes)
        let parsed: ParsedMail
        do {
            parsed = try MailParser.parse(bytes)
        } catch {
            return try quarantine(raw, size: bytes.count, reason: "cannot be read: \(error.reason)", from: nil, subject: nil)
        }
        guard let sender = parsed.sender else {
            return try quarantine(raw, size: bytes.count, reason: "no sender address (From)", from: nil, subject: parsed.subject)
        }
        var attachments: [AttachmentRef] = []
        for attachment in parsed.attachments {
            let hash = try store.put(attachment.data)
            attachments.append(AttachmentRef(name: attachment.name, type: attachment.type, size: attachment.data.count,
                                             sha256: hash))
        }
        let automatic = Intake.classify(headers: parsed.headers, from: sender.address, contentType: parsed.contentType,
                                        deskAddresses: config.ownAddresses)
        // A bounce names what bounced only in the copy it carries (or its report): thread it by
        // that, and say why, so the mail it carries back is marked failed.
        let bounce = automatic == .bounce ? BounceReport.read(parsed) : nil
        let references = parsed.threadReferences
            + (bounce.map { _ in parsed.embeddedMessageIDs } ?? []) + (bounce?.originalIDs ?? [])
        var inbound = InboundMessage(
            channel: .email, externalID: parsed.messageID ?? "\(raw)@helpdesk.invalid", fromAddress: sender.address,
            fromName: sender.name, subject: parsed.subject, body: parsed.text, references: references,
            automatic: automatic, raw: raw, attachments: attachments, bounceReason: bounce?.reason)
        inbound.recipients = parsed.recipientAddresses

        var reusedFrom: Int?
        let performed: DeskService.Performed
        do {
            performed = try desk.perform { desk, _ throws(Refusal) in
                reusedFrom = Intake.reusedID(inbound, on: desk)
                return .takeIn(inbound, settings: config.intakeSettings)
            }
        } catch let refusal as Refusal {
            return try quarantine(raw, size: bytes.count, reason: refusal.message, from: sender.address,
                                  subject: parsed.subject)
        }
        guard case .intake(let result)? = performed.outcome else { preconditionFailure("an intake decides its result") }
        let outcome: Taken.Outcome
        switch result {
        case .duplicate(let ticket): outcome = .duplicate(ticket: ticket)
        case .added(let ticket, let threading): outcome = .added(ticket: ticket, threading: threading, automatic: automatic)
        case .opened(let ticket): outcome = .opened(ticket: ticket, acknowledgement: performed.mail)
        case .setAside(let reason):
            return try quarantine(raw, size: bytes.count, reason: reason, from: sender.address, subject: parsed.subject)
        }
        return Taken(outcome: outcome, externalID: inbound.externalID, reusedFrom: reusedFrom)
    }

    private func quarantine(_ raw: String, size: Int, reason: String, from: String?, subject: String?) throws -> Taken {
        let already = try !store.quarantined(matching: raw).isEmpty
        try store.quarantine(QuarantineEntry(sha256: raw, reason: reason, receivedAt: desk.clock(), size: size, from: from,
                                             subject: subject))
        if !already { try desk.perform(.quarantineMail(raw: raw, reason: reason)) }
        return Taken(outcome: .quarantined(raw: raw, reason: reason))
    }
}
