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
        do {
            while try generator.next({ generated in
                let record = Record(seq: generated.seq, at: generated.at, actor: generated.actor, events: generated.events)
                let line = RecordCodec.encode(record)
                let offset = output.offset
                try output.write(line)
                return referencingBodies(generated.events, offset: offset, length: line.count)
            }) {
                records += 1
                if let progress, generator.ticketsOpened != lastReported, records % 1024 == 0 {
                    lastReported = generator.ticketsOpened
                    progress(lastReported)
                }
            }
            try output.flush()
            try file.sync()
            try SnapshotFile.write(generator.desk, breaches: BreachSchedule(desk: generator.desk, now: GeneratorSettings.end),
                                   offset: output.offset, log: file, to: SnapshotFile.path(forLog: path))
        } catch {
            _ = unlink(path)
            throw error
        }
        progress?(generator.ticketsOpened)
        return Summary(desk: generator.desk, records: records, events: generator.eventCount, bytes: output.offset)
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
