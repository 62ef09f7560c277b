import HelpdeskCore

extension Refusal {
    /// The refusal as the command line says it: what to type to do it anyway.
    var inCommandLineWords: String {
        switch subject {
        case .assignedToOther(let ticket, let holder)?: "ticket \(ticket) is assigned to \(holder); use --steal to take it anyway"
        case nil: message
        }
    }
}
