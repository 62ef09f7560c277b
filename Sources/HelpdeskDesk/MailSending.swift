import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskMail

/// Where a desk's mail configuration is (see `MailConfig.load`, which checks who owns it).
public struct MailSetup: Equatable, Sendable {
    public var configPath: String
    /// Whether a missing file is an error (it was named), rather than mail not set up.
    public var required: Bool
    /// The desk's store (nil: the log file the configuration is loaded for).
    public var location: StoreLocation?
    /// The log file whose mail files these are; for a database desk, where this host keeps them
    /// (nil: the desk's log).
    public var logPath: String?

    public init(configPath: String, required: Bool, location: StoreLocation? = nil, logPath: String? = nil) {
        self.configPath = configPath
        self.required = required
        self.location = location
        self.logPath = logPath
    }

    /// The configuration beside the log (for a database desk, beside where its log file would be).
    public static func beside(logPath: String, location: StoreLocation? = nil) -> MailSetup {
        MailSetup(configPath: MailConfig.defaultPath(forLog: logPath), required: false, location: location, logPath: logPath)
    }

    public func load(logPath: String) throws(MailConfig.Invalid) -> MailConfig {
        let logPath = self.logPath ?? logPath
        return try MailConfig.load(path: configPath, logPath: logPath, location: location ?? .file(path: logPath),
                                   required: required)
    }
}

/// What became of the mail a change queued, tried at once after it was recorded.
public enum MailSending: Equatable, Sendable {
    /// It went out, to this address.
    case sent(to: String)
    /// A reply on another channel went to its delivery command (`chat`, …).
    case delivered(on: String)
    /// It will never go: its channel has no delivery command, or its address is blocked (said in full).
    case undeliverable(String)
    /// Mail is not set up (no address in the configuration): it waits for `helpdesk deliver`.
    case notSetUp(configPath: String)
    /// sendmail failed; the failure is recorded and `helpdesk deliver` tries again.
    case failed(String)
    /// It could not be tried (a bad configuration, the delivery lock held): it waits in the outbox.
    case waiting(String)

    /// Whether it left the desk.
    public var wasSent: Bool {
        switch self {
        case .sent, .delivered: true
        case .notSetUp, .failed, .waiting, .undeliverable: false
        }
    }
}

extension DeskService {
    /// Tries to send the mail `record` queued, now. A failure is recorded and left for
    /// `helpdesk deliver`; it never fails the change, which is already in the log (the outbox).
    func sendQueuedMail(of record: Record?) -> MailSending? {
        switch mailDue(after: record) {
        case nil: return nil
        case .settled(let sending)?: return sending
        case .due(let delivery)?: return delivery.send(through: self)
        }
    }

    /// What to do about the mail `record` queued: nothing (it queued none, or mail is not
    /// wanted), what is already settled (mail not set up, a bad configuration), or a delivery to
    /// make, which a caller that must not block (the console) can make on a thread of its own.
    /// The configuration is loaded, and its owner checked, here.
    public func mailDue(after record: Record?) -> MailDue? {
        let queued: [(ticket: Int, mail: Int)] = record?.events.compactMap { event in
            if case .mailQueued(let ticket, let mail, _) = event { return (ticket, mail) }
            return nil
        } ?? []
        guard let setup = mail, let first = queued.first else { return nil }
        let config: MailConfig
        do {
            config = try setup.load(logPath: log.path)
        } catch {
            return .settled(.waiting(error.message))
        }
        let byMail = (log.desk.ticket(first.ticket)?.replyChannel ?? .email) == .email
        guard config.address != nil || !byMail else { return .settled(.notSetUp(configPath: setup.configPath)) }
        let recipient = log.desk.ticket(first.ticket).flatMap { log.desk.customer($0.customerID)?.email }
        return .due(QueuedMailDelivery(location: log.location, identity: identity, config: config, ticket: first.ticket,
                                       mails: Set(queued.map(\.mail)), recipient: recipient,
                                       escalatesDueBreaches: escalatesDueBreaches))
    }
}
