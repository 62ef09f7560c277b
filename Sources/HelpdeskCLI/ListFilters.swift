import ArgumentParser
import HelpdeskCore

extension TicketSort: ExpressibleByArgument {}

/// The filters and order of `helpdesk list` (and of a saved view): parsed here, applied by
/// Core's `TicketQuery`.
struct ListFilters: ParsableArguments {
    @Option(help: "Only this status, or all.") var status: StatusChoice?
    @Flag(help: "Only tickets assigned to you.") var mine = false
    @Option(help: "Only tickets assigned to this agent.") var assignee: String?
    @Flag(help: "Only unassigned tickets.") var unassigned = false
    @Option(help: "Only tickets at this tier.") var tier: Int?
    @Option(help: "Only tickets of this priority.") var priority: Priority?
    @Option(help: "Only tickets with this tag (repeat it: every one must match).") var tag: [String] = []
    @Option(help: "Only tickets that came in on this channel.") var channel: Channel?
    @Option(help: "Only tickets of this group (none: those in no group).") var group: String?
    @Option(help: "The order: urgency (as the console's queue), newest, oldest, updated (last update first) or id.")
    var sort: TicketSort?
    @Option(help: ArgumentHelp("Only tickets whose text matches this search (words, \"a phrase\", -word, word*; as `helpdesk search`).",
                               valueName: "query"))
    var text: String?

    func validate() throws {
        guard [mine, assignee != nil, unassigned].filter({ $0 }).count <= 1 else {
            throw ValidationError("give at most one of --mine, --assignee and --unassigned")
        }
    }

    /// Whether any filter or order was given.
    var isEmpty: Bool {
        status == nil && !mine && assignee == nil && !unassigned && tier == nil && priority == nil && tag.isEmpty
            && channel == nil && sort == nil && group == nil && text == nil
    }

    /// The same filters saved under `name` (`--mine` kept as such).
    func savedView(name: String) -> SavedView {
        let assignment: SavedView.Assignment = mine ? .mine : unassigned ? .unassigned : assignee.map { .agent($0) } ?? .anyone
        var only: Status?
        if case .one(let status)? = status { only = status }
        return SavedView(name: name, status: only, allStatuses: status == .all, assignment: assignment, tier: tier,
                         priority: priority, tags: tag, channel: channel, sort: sort, group: group, text: text)
    }

    /// The query, `me` being the account `--mine` means.
    func query(me: () throws -> String) rethrows -> TicketQuery {
        var query = TicketQuery(tier: tier, priority: priority, tags: tag, channel: channel, sort: sort ?? .id)
        query.group = group
        switch status {
        case .all?: query.statuses = .all
        case .one(let only)?: query.statuses = .only(only)
        case nil: query.statuses = .notClosed
        }
        if mine { query.assignment = .assigned(to: try me()) }
        if let assignee { query.assignment = .assigned(to: assignee) }
        if unassigned { query.assignment = .unassigned }
        return query
    }
}
