import Foundation

/// What someone asks of the desk's groups, routing rules and availability (`Command.team`).
public enum TeamCommand: Equatable, Sendable {
    case addGroup(name: String, displayName: String?)
    case removeGroup(name: String)
    case addMember(group: String, agent: String)
    case removeMember(group: String, agent: String)
    case setAssignMode(group: String, mode: AssignMode, capacity: Int?)
    /// Puts a ticket in a group, or in none.
    case setGroup(ticket: Int, group: String?)

    case addRule(RoutingRule)
    case removeRule(name: String)
    case moveRule(name: String, before: String)

    /// The agent takes tickets from automatic assignment: until their consoles close, or with
    /// `until` whatever their consoles do, until then.
    case available(until: Date?)
    case away
    /// The agent's last console closed: away, unless they said `available --for` from the shell.
    case consolesClosed
    /// These agents' last consoles ended without a word (killed; their processes are gone), as
    /// another console found: away as if closed, recorded by the desk.
    case consolesLost(agents: [String])

    /// The waiting tickets handed out that are due, by the desk (see `AutoAssignment`).
    case handOutWaiting
}
