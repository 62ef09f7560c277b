import Foundation
import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// Writes a generated desk as a log: every record through the real codec, in one buffered
/// stream (the log is new and no one else can have it yet, so there is nothing to lock), made
/// durable once at the end, with a snapshot beside it so the desk opens at once.
public enum GeneratedLog {
    public struct Summary: Sendable {
        public var desk: Desk
        public var records: Int
        public var events: Int
        public var bytes: Int64
    }

    /// Creates `path` (which must not exist). `progress` is told the tickets opened so far.
    public static func write(_ settings: GeneratorSettings, to path: String,
                             progress: ((Int) -> Void)? = nil) throws -> Summary {
        let file = try LogFile.create(path)
        var generator = DeskGenerator(settings: settings)
        var output = BufferedWriter(file: file)
        var records = 0
        var lastReported = -1
        var checkpointMoments = checkpointMoments(settings)[...]
        var lastAt = settings.start
        do {
            while try generator.next({ generated in
                lastAt = generated.at
                let record = Record(seq: generated.seq, at: generated.at, actor: generated.actor, events: generated.events)
                let line = RecordCodec.encode(record)
                let offset = output.offset
                try output.write(line)
                return referencingBodies(generated.events, offset: offset, length: line.count)
            }) {
                records += 1
                if let moment = checkpointMoments.first, lastAt >= moment {
                    checkpointMoments.removeFirst()
                    try output.flush()
                    try keepCheckpoint(generator.desk, at: lastAt, scheduleFrom: lastAt, offset: output.offset, log: file, path: path)
                }
                if let progress, generator.ticketsOpened != lastReported, records % 1024 == 0 {
                    lastReported = generator.ticketsOpened
                    progress(lastReported)
                }
            }
            try output.flush()
            try file.sync()
            try keepCheckpoint(generator.desk, at: lastAt, scheduleFrom: GeneratorSettings.end, offset: output.offset, log: file, path: path)
        } catch {
            _ = unlink(path)
            _ = unlink(SnapshotFile.path(forLog: path))
            throw error
        }
        progress?(generator.ticketsOpened)
        return Summary(desk: generator.desk, records: records, events: generator.eventCount, bytes: output.offset)
    }

    /// When a desk that had lived would still keep a checkpoint: its hourly, daily and weekly
    /// ones as `Checkpoints.kept` would thin them, its records and snapshots taken to grow evenly
    /// with time (so only those kept are written). Each an hour early, as the first record at or
    /// after its moment is a little later: the day-old one stays a day old.
    static func checkpointMoments(_ settings: GeneratorSettings) -> [Date] {
        let end = GeneratorSettings.end, span = end.timeIntervalSince(settings.start)
        var moments: [Date] = []
        var age: TimeInterval = 0
        while age < span {
            moments.append(end.addingTimeInterval(-age))
            age += age < 86_400 ? 3600 : age < 30 * 86_400 ? 86_400 : 7 * 86_400
        }
        let lived = moments.map { moment in
            let share = Int64((moment.timeIntervalSince(settings.start) / span * 1_000_000).rounded())
            return Checkpoints.Entry(name: "", seq: Int(share), at: moment, size: share)
        }
        return Checkpoints.kept(lived).dropFirst().map { $0.at.addingTimeInterval(-3600) }.reversed()
    }

    /// Writes the snapshot of the desk so far, keeps it as a checkpoint as a living desk's
    /// process would have; the final snapshot is written over it at the end.
    private static func keepCheckpoint(_ desk: Desk, at moment: Date, scheduleFrom now: Date, offset: Int64,
                                       log: LogFile, path: String) throws {
        let snapshotPath = SnapshotFile.path(forLog: path)
        try SnapshotFile.write(desk, breaches: BreachSchedule(desk: desk, now: now), offset: offset, log: log, to: snapshotPath)
        Checkpoints.keep(snapshotPath: snapshotPath, seq: desk.lastSeq, at: moment)
    }

    /// The events as a replay keeps them: message bodies stay in the log.
    static func referencingBodies(_ events: [Event], offset: Int64, length: Int) -> [Event] {
        events.enumerated().map { index, event in
            guard case .messageAdded(let ticket, let kind, .text) = event else { return event }
            return .messageAdded(ticket: ticket, kind: kind, body: .logged(offset: offset, length: length, event: index))
        }
    }
}

/// Collects bytes and writes them in large chunks.
struct BufferedWriter {
    let file: LogFile
    private var buffer: [UInt8] = []
    private let capacity = 8 << 20
    /// Bytes written so far, buffered ones included.
    private(set) var offset: Int64 = 0

    init(file: LogFile) {
        self.file = file
        buffer.reserveCapacity(capacity)
    }

    mutating func write(_ bytes: [UInt8]) throws {
        offset += Int64(bytes.count)
        if bytes.count >= capacity {  // (a snapshot's payload) written as it is, not copied into the buffer first
            try flush()
            try bytes.withUnsafeBytes(writeAll)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    mutating func flush() throws {
        try buffer.withUnsafeBytes(writeAll)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ raw: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < raw.count {
            let n = Glibc.write(file.fd, raw.baseAddress! + done, raw.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw file.failure("write")
            }
            done += n
        }
    }
}
