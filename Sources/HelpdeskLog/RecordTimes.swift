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
    /// The times of the records around `moment`, as `DeskLog(location:asOf:)` reads the log: up
    /// to the first record written after it. Reads every record before the moment (a desk's
    /// records are small; checkpoints do not help here, as a record's time is all it needs).
    public static func recordTimes(around moment: Date, location: StoreLocation) throws -> RecordTimes {
        struct PastTheMoment: Error {}
        let store = try StoreOpening.open(location, writable: false).store
        var times = RecordTimes()
        do {
            _ = try LogScanner(file: store).scan(from: 0) { line, offset in
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
