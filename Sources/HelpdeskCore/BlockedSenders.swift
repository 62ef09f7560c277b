import Foundation

/// An address or a whole domain the desk takes nothing from and sends nothing to
/// (`sender.blocked`): `spam@example.com`, or `@example.com` for the domain and its subdomains.
public struct BlockedSender: Equatable, Sendable {
    /// Lower case: `name@domain` or `@domain`.
    public var pattern: String
    public var reason: String?
    /// Who blocked it and when (from the record).
    public var by: String
    public var at: Date

    public init(pattern: String, reason: String? = nil, by: String, at: Date) {
        self.pattern = pattern
        self.reason = reason
        self.by = by
        self.at = at
    }

    public var isDomain: Bool { pattern.hasPrefix("@") }

    /// Whether mail from (or to) `address` falls under this block.
    public func covers(_ address: String) -> Bool {
        let address = address.trimmingWhitespace().lowercased()
        guard isDomain else { return address == pattern }
        guard let at = address.lastIndex(of: "@") else { return false }
        let domain = address[address.index(after: at)...]
        let blocked = pattern.dropFirst()
        return domain == blocked || domain.hasSuffix("." + blocked)
    }

    /// `EMAIL` or `@DOMAIN` as the desk keeps it (trimmed, lower case), or a refusal naming what is wrong.
    public static func pattern(_ raw: String) throws(Refusal) -> String {
        let text = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasPrefix("@") {
            let domain = text.dropFirst()
            let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
            let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
            guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy(allowed.contains) }) else {
                throw Refusal(.invalid, "bad domain \(raw.debugDescription): say @example.com")
            }
            return text
        }
        do {
            return try CustomerRules.validEmail(text)
        } catch {
            throw Refusal(.invalid, "bad sender \(raw.debugDescription): say an address (spam@example.com) or a domain (@example.com)")
        }
    }
}

extension Desk {
    /// The block covering `address`, if any (an address's own block before its domain's).
    public func block(covering address: String) -> BlockedSender? {
        let key = address.trimmingWhitespace().lowercased()
        if let exact = blockedSenders[key] { return exact }
        return blockedSenders.values.filter { $0.isDomain && $0.covers(key) }.min { $0.pattern < $1.pattern }
    }

    /// The blocks, by pattern.
    public var blockList: [BlockedSender] {
        blockedSenders.values.sorted { $0.pattern < $1.pattern }
    }
}

enum BlockRules {
    static func block(_ raw: String, reason: String?, by agent: Agent, _ desk: Desk) throws(Refusal) -> [Event] {
        guard agent.isSupervisor else {
            throw Refusal(.notAllowed, "only supervisors may block senders; \(agent.account) is an agent")
        }
        let pattern = try BlockedSender.pattern(raw)
        if desk.blockedSenders[pattern] != nil { throw Refusal(.conflict, "\(pattern) is blocked already") }
        let reason = reason?.trimmingWhitespaceAndNewlines()
        let block = BlockedSender(pattern: pattern, by: agent.account, at: .distantPast)
        // Mail still waiting to go to a blocked address never goes: it fails for good now.
        let stopped: [Event] = desk.tickets.flatMap { ticket -> [Event] in
            guard let customer = desk.customer(ticket.customerID), block.covers(customer.email),
                  ticket.history.contains(where: \.queuesMail)
            else { return [] }
            return ticket.outbound.filter { $0.state != .sent && !$0.isFinal }.map {
                .mailFailed(ticket: ticket.id, mail: $0.number, error: Outbox.blockedError(pattern))
            }
        }
        return [.senderBlocked(pattern: pattern, reason: reason?.isEmpty == false ? reason : nil)] + stopped
    }

    static func unblock(_ raw: String, by agent: Agent, _ desk: Desk) throws(Refusal) -> [Event] {
        guard agent.isSupervisor else {
            throw Refusal(.notAllowed, "only supervisors may unblock senders; \(agent.account) is an agent")
        }
        let pattern = try BlockedSender.pattern(raw)
        guard desk.blockedSenders[pattern] != nil else {
            let covering = desk.block(covering: pattern).map { "; it falls under \($0.pattern)" } ?? ""
            throw Refusal(.notFound, "\(pattern) is not blocked\(covering)")
        }
        return [.senderUnblocked(pattern: pattern)]
    }

    /// A reply by mail to a blocked customer is refused: nothing is sent to a blocked address.
    static func refuseMailTo(_ ticket: Ticket, on desk: Desk) throws(Refusal) {
        guard ticket.replyChannel != nil, let customer = desk.customer(ticket.customerID),
              let block = desk.block(covering: customer.email) else { return }
        throw Refusal(.notAllowed, "\(customer.email) is blocked (\(block.pattern)): nothing is sent to a blocked address; "
                      + "unblock it first, or add a note")
    }
}
