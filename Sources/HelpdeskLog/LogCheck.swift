import Foundation
import HelpdeskCore

/// `fsck`: reads the whole log under the lock, says what is wrong, and on request repairs it by
/// keeping a copy of the damaged file and cutting the log back to its last good record.
public enum LogCheck {
    public enum Problem: Equatable, Sendable {
        /// An interrupted write left bytes that are not a record at the end.
        case tornTail(offset: Int64, reason: String)
        /// A record in the middle fails its check, or says something impossible.
        case damaged(offset: Int64, reason: String)
        /// An intact record written by a newer helpdesk (a format or event type this one does not
        /// know): not damage, and never cut off. `message` says what to do.
        case newer(offset: Int64, message: String)
    }

    public struct Report: Equatable, Sendable {
        public var size: Int64
        public var records: Int
        public var lastSeq: Int
        /// Offset just past the last good record: what a repair keeps.
        public var validEnd: Int64
        public var problem: Problem?
        /// Where the damaged original was copied, when repaired.
        public var copy: String?
    }

    /// `progress` is told the bytes checked so far and the log's size.
    public static func run(path: String, repair: Bool, now: Date,
                           progress: ((_ done: Int64, _ total: Int64) -> Void)? = nil) throws -> Report {
        try run(.file(path: path), repair: repair, now: now, progress: progress)
    }

    /// `run` for the desk at `location`. A database's rows are whole records or none, so there
    /// is no torn tail to cut, and damage there is left for its administrator (a restore from
    /// backup): `repair` is refused for one.
    public static func run(_ location: StoreLocation, repair: Bool, now: Date,
                           progress: ((_ done: Int64, _ total: Int64) -> Void)? = nil) throws -> Report {
        guard case .file(let path) = location else {
            if repair {
                throw LogError.database(store: location.description,
                                        reason: "fsck --repair cuts a log file; a database desk is repaired from its backups")
            }
            let store = try StoreOpening.open(location, writable: false).store
            return try check(store, progress: progress)
        }
        let file = try LogFile.open(path, writable: repair)
        try file.lock(timeout: 30)
        defer { file.unlock() }
        var report = try check(file, progress: progress)
        if repair, report.problem?.isRepairable == true {
            let copy = path + ".damaged-" + Timestamp.format(now).replacingOccurrences(of: ":", with: "")
            try keepCopy(of: file, at: copy)
            try file.truncate(to: report.validEnd)
            report.copy = copy
        }
        return report
    }

    static func check(_ file: any LogStore, progress: ((Int64, Int64) -> Void)? = nil) throws -> Report {
        var desk = Desk()
        var records = 0
        var lastGoodEnd: Int64 = 0
        var scanProgress = try ScanProgress(progress, file: file, from: 0)
        do {
            let end = try LogScanner(file: file).scan(from: 0) { line, offset in
                scanProgress.reached(offset)
                let record: Record
                do {
                    record = try RecordCodec.decode(line, bodies: .referenced(offset: offset))
                    try desk.apply(record, at: offset, of: file.path)
                } catch let error as LogError {
                    throw error
                } catch {
                    throw LogError.unreadable(path: file.path, offset: offset, error)
                }
                records += 1
                lastGoodEnd = offset + Int64(line.count) + 1
            }
            let problem = end.tailReason.map { Problem.tornTail(offset: end.validEnd, reason: $0) }
            return Report(size: end.size, records: records, lastSeq: desk.lastSeq, validEnd: end.validEnd,
                          problem: problem, copy: nil)
        } catch LogError.damaged(_, let offset, let reason) {
            return Report(size: try file.size(), records: records, lastSeq: desk.lastSeq,
                          validEnd: min(lastGoodEnd, offset), problem: .damaged(offset: offset, reason: reason), copy: nil)
        } catch let error as LogError {
            guard case .newer(_, let offset, _, _) = error else { throw error }
            return Report(size: try file.size(), records: records, lastSeq: desk.lastSeq,
                          validEnd: try file.size(), problem: .newer(offset: offset, message: error.description), copy: nil)
        }
    }

    /// Copies the whole file, durably, before anything is cut from it.
    static func keepCopy(of file: LogFile, at copy: String) throws {
        let out = try LogFile.create(copy)
        let size = try file.size()
        var offset: Int64 = 0
        while offset < size {
            let chunk = try file.read(count: Int(min(size - offset, 1 << 20)), at: offset)
            if chunk.isEmpty { break }
            try out.append(chunk, expectedEnd: offset)
            offset += Int64(chunk.count)
        }
        try out.sync()
        try LogFile.syncDirectory(of: copy)
    }
}

extension LogCheck.Problem {
    /// A repair cuts off a torn tail or damage; a newer helpdesk's records are intact and stay.
    var isRepairable: Bool {
        switch self {
        case .tornTail, .damaged: true
        case .newer: false
        }
    }
}
