import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskMail

/// An agent puts a quarantined mail on a ticket after all: a mail that can be read is taken as
/// ingest would, except that automatic mail is treated as a person's; one that cannot be read
/// opens a ticket for the sender the agent names, with the raw message attached.
public struct ReleaseFromQuarantine {
    /// The desk, acted on by the agent releasing.
    public let desk: DeskService
    public let config: MailConfig
    public let store: MailStore

    public init(desk: DeskService, config: MailConfig, store: MailStore) {
        self.desk = desk
        self.config = config
        self.store = store
    }

    public enum Failure: Error, CustomStringConvertible {
        /// The mail cannot be read, and no sender was named.
        case unreadableWithoutSender
        /// The store beside the log could not be read or written.
        case store(StoreError)

        public var description: String {
            switch self {
            case .unreadableWithoutSender: "this mail cannot be read; say who it is from with --from EMAIL"
            case .store(let error): "\(error)"
            }
        }
    }

    /// Takes `entry` in, from `sender` when given, onto `ticket` when given; marks it released.
    /// Returns what intake did with it.
    public func release(_ entry: QuarantineEntry, from sender: String?, ticket: Int?) throws -> IntakeResult? {
        let bytes = try storing { () throws(StoreError) in try store.get(entry.sha256) }
        var inbound: InboundMessage
        if let parsed = try? MailParser.parse(bytes), let from = sender.map({ Mailbox(address: $0) }) ?? parsed.sender {
            var attachments: [AttachmentRef] = []
            for attachment in parsed.attachments {
                let hash = try storing { () throws(StoreError) in try store.put(attachment.data) }
                attachments.append(AttachmentRef(name: attachment.name, type: attachment.type, size: attachment.data.count,
                                                 sha256: hash))
            }
            inbound = InboundMessage(
                channel: .email, externalID: parsed.messageID ?? "\(entry.sha256)@helpdesk.invalid",
                fromAddress: from.address, fromName: from.name, subject: parsed.subject, body: parsed.text,
                references: parsed.threadReferences, automatic: nil, raw: entry.sha256, attachments: attachments)
            inbound.recipients = parsed.recipientAddresses
        } else {
            guard let sender else { throw Failure.unreadableWithoutSender }
            inbound = InboundMessage(
                channel: .email, externalID: "\(entry.sha256)@helpdesk.invalid", fromAddress: sender,
                subject: entry.subject ?? "(a message that could not be read)",
                body: "(This message could not be read: \(entry.reason). It is attached as it came.)",
                raw: entry.sha256,
                attachments: [AttachmentRef(name: "message.eml", type: "message/rfc822", size: bytes.count, sha256: entry.sha256)])
        }
        inbound.ticket = ticket
        let performed = try desk.perform(.releaseFromQuarantine(inbound, settings: config.intakeSettings))
        try storing { () throws(StoreError) in try store.markReleased(entry.sha256) }
        guard case .intake(let result)? = performed.outcome else { return nil }
        return result
    }

    private func storing<T>(_ body: () throws(StoreError) -> T) throws(Failure) -> T {
        do {
            return try body()
        } catch {
            throw .store(error)
        }
    }
}
