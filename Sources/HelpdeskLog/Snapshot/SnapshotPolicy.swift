/// When an appending process refreshes the snapshot: once enough has been appended since the
/// last one that replaying it costs more than a few milliseconds at start-up (like the rewrite
/// thresholds of Redis's append-only file). Writing one costs a few hundred milliseconds per
/// million events, paid by one append in thousands, after the log's lock is released.
public struct SnapshotPolicy: Sendable {
    /// Records appended since the last snapshot.
    public var records: Int
    /// Or events: one record can touch thousands of tickets (the desk escalating every breach
    /// a long quiet spell left due), and replaying it would read each one's history.
    public var events: Int
    /// Or bytes appended since the last snapshot.
    public var bytes: Int64
    public var enabled: Bool

    public init(records: Int = 5_000, events: Int = 5_000, bytes: Int64 = 8 << 20, enabled: Bool = true) {
        self.records = records
        self.events = events
        self.bytes = bytes
        self.enabled = enabled
    }

    func isDue(records newRecords: Int, events newEvents: Int, bytes newBytes: Int64) -> Bool {
        enabled && (newRecords >= records || newEvents >= events || newBytes >= bytes)
    }
}
