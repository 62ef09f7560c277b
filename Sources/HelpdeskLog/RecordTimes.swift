import Foundation

/// When the records around a moment were written: what stepping a desk opened `asOf` one record
/// back or forward needs (`DeskLog(location:asOf:)` at one of these times).
public struct RecordTimes: Equatable, Sendable {
    /// When the last record at or before the moment was written (nil: none is).
    public var last: Date?
    /// The latest time before `last` that a record was written at (nil: none).
    public var previous: Date?
    /// When the first record after the moment was written (nil: none is yet).
    public var next: Date?
}

extension DeskLog {
    /// The times of the records around the moment this desk was opened at (`asOf`; else its
    /// newest record), as that reads the log: up to the first record written after it. Reads the
    /// records after the snapshot or checkpoint it started from; when those do not hold two
    /// different times (a live desk whose snapshot is current holds none), from each older
    /// checkpoint in turn, and from the log's start only when none is left.
    public func recordTimesAroundMoment() throws -> RecordTimes {
        let moment = self.moment ?? .distantFuture  // a live desk: around its newest record
        var times = try Self.recordTimes(around: moment, in: file, from: snapshotCovers.offset)
        var from = snapshotCovers.offset
        while times.previous == nil, from > 0 {
            from = olderCheckpointOffset(before: from) ?? 0
            times = try Self.recordTimes(around: moment, in: file, from: from)
        }
        return times
    }

    /// Where in the log the newest checkpoint that ends before `offset` and fits the log ends.
    private func olderCheckpointOffset(before offset: Int64) -> Int64? {
        guard let checkpointsOf else { return nil }
        return Checkpoints.paths(snapshotPath: checkpointsOf, before: .distantFuture).lazy
            .compactMap { SnapshotFile.offsetFitting($0, log: self.file) }
            .first { $0 < offset }
    }

    private static func recordTimes(around moment: Date, in store: any LogStore, from offset: Int64) throws -> RecordTimes {
        struct PastTheMoment: Error {}
        var times = RecordTimes()
        do {
            _ = try LogScanner(file: store).scan(from: offset) { line, offset in
                let record: Record
                do {
                    record = try RecordCodec.decode(line, bodies: .referenced(offset: offset))
                } catch {
                    throw LogError.unreadable(path: store.path, offset: offset, error)
                }
                guard record.at <= moment else {
                    times.next = record.at
                    throw PastTheMoment()
                }
                if let last = times.last, record.at > last { times.previous = last }
                if times.last.map({ record.at > $0 }) ?? true { times.last = record.at }
            }
        } catch is PastTheMoment {}
        return times
    }
}
