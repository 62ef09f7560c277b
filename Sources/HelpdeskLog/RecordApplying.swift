import HelpdeskCore

extension Desk {
    /// Applies one record read from the log at `offset`: its sequence number must follow the last
    /// one, and its events must fit the desk. Anything else is damage at that offset.
    mutating func apply(_ record: Record, at offset: Int64, of path: String) throws(LogError) {
        guard record.seq == lastSeq + 1 else {
            throw LogError.damaged(path: path, offset: offset, reason: "record \(record.seq) follows record \(lastSeq)")
        }
        if lastSeq == 0, case .deskCreated(let format)? = record.events.first, format > Rules.logFormat {
            throw LogError.newer(path: path, offset: offset, format: format, unknown: nil)
        }
        do {
            for event in record.events { try apply(event, context: record.context) }
        } catch {
            throw LogError.damaged(path: path, offset: offset, reason: "\(error)")
        }
        recordApplied(seq: record.seq)
    }
}
