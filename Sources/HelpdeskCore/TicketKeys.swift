/// What a listing filters on first of each ticket a saved desk kept: its status, priority, tier,
/// channel and assignee, a few bytes a ticket, so that `list` reads only the tickets that can
/// match instead of every ticket of the desk.
public protocol SavedTicketKeys: AnyObject, Sendable {
    /// The ids, in order, of the saved tickets whose keys as saved do not rule out `query`
    /// (its tags and group are left to the ticket itself). May name more, never fewer.
    func ids(matching query: TicketQuery) -> [Int]
}
