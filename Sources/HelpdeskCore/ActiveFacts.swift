import Foundation

/// What the desk's summary needs of an active ticket, without its text: a saved desk keeps these
/// for its active tickets beside them, so `status` does not decode every active ticket.
public struct ActiveFacts: Equatable, Sendable {
    public var id: Int
    public var status: Status
    public var priority: Priority
    public var tier: Int
    public var assignee: String?
    public var createdAt: Date
    public var lastCustomerMessageAt: Date?
    public var lastReplyAt: Date?
    public var followUpDue: Date?

    public init(id: Int, status: Status, priority: Priority, tier: Int, assignee: String?, createdAt: Date,
                lastCustomerMessageAt: Date?, lastReplyAt: Date?, followUpDue: Date?) {
        self.id = id
        self.status = status
        self.priority = priority
        self.tier = tier
        self.assignee = assignee
        self.createdAt = createdAt
        self.lastCustomerMessageAt = lastCustomerMessageAt
        self.lastReplyAt = lastReplyAt
        self.followUpDue = followUpDue
    }

    public init(_ ticket: Ticket) {
        self.init(id: ticket.id, status: ticket.status, priority: ticket.priority, tier: ticket.tier,
                  assignee: ticket.assignee, createdAt: ticket.createdAt, lastCustomerMessageAt: ticket.lastCustomerMessageAt,
                  lastReplyAt: ticket.lastReplyAt, followUpDue: ticket.followUp?.due)
    }

    public func isFollowUpDue(now: Date) -> Bool {
        guard let followUpDue else { return false }
        return followUpDue <= now
    }

    /// Waiting on the desk rather than on the customer or a third party.
    public func needsWork(now: Date) -> Bool {
        switch status {
        case .new, .open: return true
        case .pending, .onHold: return isFollowUpDue(now: now)
        case .solved, .closed: return false
        }
    }

    /// Since when the customer has been waiting for us, or nil when the ball is in their court.
    /// A ticket waits from its creation (or the customer's last message) until our next reply.
    public func waitingSince(now: Date) -> Date? {
        guard needsWork(now: now) else { return nil }
        let asked = lastCustomerMessageAt ?? createdAt
        if let replied = lastReplyAt, replied >= asked {
            // Answered, but a due follow-up puts it back in the queue.
            return isFollowUpDue(now: now) ? followUpDue : nil
        }
        return asked
    }
}

/// The facts a saved desk kept of the tickets that were active when it was saved, in id order.
public protocol SavedActiveFacts: AnyObject, Sendable {
    var facts: [ActiveFacts] { get }
}
