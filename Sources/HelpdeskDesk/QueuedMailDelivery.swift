import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskMail

/// What `DeskService.mailDue(after:)` found to do about the mail a record queued.
public enum MailDue: Sendable {
    /// Nothing to send now: this is what became of it.
    case settled(MailSending)
    /// A delivery to make.
    case due(QueuedMailDelivery)
}

/// The mail one record queued, ready to go out through the `Courier` (under the store's delivery
/// lock, with its sent markers, so it goes out once however many try). It holds only values, so
/// it can be sent from another thread, through a `DeskService` on a handle of its own.
public struct QueuedMailDelivery: Sendable {
    public let location: StoreLocation
    public let identity: Identity
    public let config: MailConfig
    public let ticket: Int
    /// The numbers of the ticket's mails the record queued.
    public let mails: Set<Int>
    /// The customer's address, as the desk had it when the mail was queued.
    public let recipient: String?
    let escalatesDueBreaches: Bool

    /// Sends it through `desk` (whose log must not be used by another thread meanwhile).
    public func send(through desk: DeskService) -> MailSending? {
        do {
            let courier = Courier(desk: desk, config: config, store: MailStore(location: location))
            let outcome = try courier.deliver(all: true, ticket: ticket, numbers: mails)
            if let failure = outcome.failed.first {
                let final = failure.error.hasPrefix(Outbox.undeliverablePrefix) || failure.error.hasPrefix(Outbox.blockedPrefix)
                return final ? .undeliverable(failure.error) : .failed(failure.error)
            }
            if let other = outcome.elsewhere.first {
                return .waiting("another delivery (\(other.claimedBy)) was handing it to sendmail when its connection was lost")
            }
            if !outcome.sent.isEmpty, let ticket = desk.log.desk.ticket(ticket),
               let customer = desk.log.desk.customer(ticket.customerID) {
                let channel = ticket.replyChannel ?? .email
                return channel == .email ? .sent(to: customer.email) : .delivered(on: channel.rawValue)
            }
            return nil
        } catch {
            return .waiting("\(error)")
        }
    }

    /// Sends it through a handle of its own on the log: for a thread other than the one that
    /// owns the caller's `DeskLog` (a `DeskLog` is not shared between threads).
    public func sendOnOwnHandle(clock: @escaping @Sendable () -> Date) -> MailSending? {
        let log: DeskLog
        do {
            log = try DeskLog(location: location, writable: true)
        } catch {
            return .waiting("\(error)")
        }
        let desk = DeskService(log: log, identity: identity, clock: clock)
        desk.escalatesDueBreaches = escalatesDueBreaches
        return send(through: desk)
    }
}
