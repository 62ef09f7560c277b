import HelpdeskCore

extension Refusal {
    /// The refusal as the command line says it: what to type to do it anyway, or who can fix it.
    var inCommandLineWords: String {
        switch subject {
        case .assignedToOther(let ticket, let holder)?: "ticket \(ticket) is assigned to \(holder); use --steal to take it anyway"
        case .notOnRoster(let account)?: "\(message); a supervisor can add it with: helpdesk agent add \(account)"
        case .inactiveAgent(let account)?: "\(message); a supervisor can reactivate it with: helpdesk agent set \(account) --active"
        case .noSuchTicket?, .badEmail?, nil: message
        }
    }
}
