/// How often a process that appends for a long while (an import of many lines) refreshes the
/// snapshot. Each refresh writes the whole desk (a good part of a second on a 1M-event desk),
/// so refreshing whenever one is due (every few thousand events) took most of such a process's
/// time. Paced, it refreshes when one is due and the time since the last refresh ended is at
/// least `(1 - share) / share` times what that refresh took: at most `share` of its time goes
/// to snapshots, and a command started meanwhile replays only what those seconds appended.
public struct SnapshotPacing: Sendable {
    public let share: Double
    private var last: (ended: ContinuousClock.Instant, took: Duration)?

    public init(share: Double = 0.1) {
        precondition(share > 0 && share <= 1, "a share of the time, in (0, 1]")
        self.share = share
    }

    /// Whether a refresh due at `now` may be written.
    func allows(at now: ContinuousClock.Instant) -> Bool {
        guard let last else { return true }
        return now - last.ended >= last.took * ((1 - share) / share)
    }

    mutating func note(refreshStarted started: ContinuousClock.Instant, ended: ContinuousClock.Instant) {
        last = (ended, ended - started)
    }
}
