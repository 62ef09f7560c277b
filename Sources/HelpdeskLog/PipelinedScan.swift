import Foundation
import CRecordScan
import HelpdeskCore

/// A long replay on two cores: a second thread scans, checks and decodes records while the
/// caller applies them, in order. Scanning, checksums and decoding were half of a replay's
/// time and applying the other half. Errors come out exactly where the one-thread scan would
/// raise them: every record before a damaged one is applied first.
enum PipelinedScan {
    enum Item {
        /// `ticket`: the ticket its first event is about, if any, for the fetch ahead.
        case record(Record, offset: Int64, length: Int, ticket: Int?)
        case failed(any Error)
        case ended(LogScanner.End)
    }

    struct Cancelled: Error {}

    /// How far ahead of the record being applied (in records) a record's ticket is fetched.
    static let lookAheadDistance = 8

    /// Scans from `offset`, handing each decoded record (with its offset and length, newline
    /// included) to `apply` on the calling thread. While it applies one, the processor fetches
    /// the ticket of the record `lookAheadDistance` further on, as `lookAhead` (asked once per
    /// batch) says where: a ticket anywhere in a large desk is rarely in the cache, and applying
    /// otherwise waits for it (measured: the applying thread's CPU -12% on the 1M desk).
    static func run(_ file: any LogStore, from offset: Int64, lookAhead: () -> TicketPrefetch,
                    apply: (Record, Int64, Int) throws -> Void) throws -> LogScanner.End {
        let queue = BatchQueue()
        let producer = Unchecked((file, queue))
        Thread.detachNewThread {
            let (file, queue) = producer.value
            var batch: [Item] = []
            batch.reserveCapacity(BatchQueue.batchSize)
            do {
                let end = try LogScanner(file: file).scan(from: offset) { line, lineOffset in
                    let record: Record
                    do {
                        record = try RecordCodec.decode(line, bodies: .referenced(offset: lineOffset))
                    } catch {
                        throw LogError.unreadable(path: file.path, offset: lineOffset, error)
                    }
                    batch.append(.record(record, offset: lineOffset, length: line.count + 1,
                                         ticket: record.events.first?.ticketID))
                    if batch.count == BatchQueue.batchSize {
                        try queue.put(batch)
                        batch = queue.emptiedBatch()
                    }
                }
                batch.append(.ended(end))
            } catch {
                batch.append(.failed(error))
            }
            try? queue.put(batch)
            queue.finish()
        }
        defer {
            queue.cancel()
            queue.waitUntilFinished()
        }
        while true {
            let batch = queue.take()
            let prefetch = lookAhead()
            for (index, item) in batch.enumerated() {
                if index + lookAheadDistance < batch.count,
                   case .record(_, _, _, let ticket?) = batch[index + lookAheadDistance] {
                    prefetch(ticket)
                }
                switch item {
                case .record(let record, let offset, let length, _): try apply(record, offset, length)
                case .failed(let error): throw error
                case .ended(let end): return end
                }
            }
            queue.giveBack(consume batch)
        }
    }
}

/// Asks the processor to fetch a ticket's memory, while the desk holds its tickets in one
/// array (see `Desk.ticketsMemory`): taken once per batch, as the array may move when a ticket
/// is added, and a fetch from where it was is harmless (a hint never faults).
struct TicketPrefetch {
    let memory: (base: UnsafeRawPointer, count: Int, stride: Int)?

    init(_ memory: (base: UnsafeRawPointer, count: Int, stride: Int)?) {
        self.memory = memory
    }

    func callAsFunction(_ id: Int) {
        guard let memory, id >= 1, id <= memory.count else { return }
        helpdesk_prefetch_for_write(memory.base + (id - 1) * memory.stride, memory.stride)
    }
}

/// Batches of decoded records between the two threads, a few in flight at most.
final class BatchQueue: @unchecked Sendable {
    static let batchSize = 256
    private static let inFlight = 16
    private let condition = NSCondition()
    private var batches: [[PipelinedScan.Item]] = []
    /// Batches applied, for the scanning thread to empty and fill again: their records are
    /// freed on the thread that made them, rather than by the applying thread, the busier one
    /// (freeing another thread's memory also contends for its allocator's lock).
    private var applied: [[PipelinedScan.Item]] = []
    private var cancelled = false
    private var finished = false

    func put(_ batch: [PipelinedScan.Item]) throws {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= BatchQueue.inFlight, !cancelled { condition.wait() }
        guard !cancelled else { throw PipelinedScan.Cancelled() }
        batches.append(batch)
        condition.broadcast()
    }

    func take() -> [PipelinedScan.Item] {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty { condition.wait() }
        condition.broadcast()
        return batches.removeFirst()
    }

    func giveBack(_ batch: consuming [PipelinedScan.Item]) {
        condition.lock()
        applied.append(batch)
        condition.unlock()
    }

    /// An empty batch: an applied one emptied here, or a new one.
    func emptiedBatch() -> [PipelinedScan.Item] {
        condition.lock()
        var batch = applied.popLast() ?? []
        condition.unlock()
        batch.removeAll(keepingCapacity: true)
        batch.reserveCapacity(BatchQueue.batchSize)
        return batch
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    func waitUntilFinished() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }
}

/// Hands values to another thread that the two never use at the same time.
struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
