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
    /// records after the checkpoint it started from, and the whole log before the moment only
    /// when those do not hold two different times.
    public func recordTimesAroundMoment() throws -> RecordTimes {
        let moment = self.moment ?? .distantFuture  // a live desk: around its newest record
        let times = try Self.recordTimes(around: moment, in: file, from: snapshotCovers.offset)
        guard times.previous == nil, snapshotCovers.offset > 0 else { return times }
        return try Self.recordTimes(around: moment, in: file, from: 0)
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
