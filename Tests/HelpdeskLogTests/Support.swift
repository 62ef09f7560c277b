import Foundation
import HelpdeskCore
@_exported import HelpdeskTestSupport  // for every file of these tests
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import HelpdeskLog

// MARK: - Logs and files

enum LogFixture {
    static let supervisor = "root"

    /// Creates a log with `root` as supervisor.
    static func create(_ path: String) throws -> DeskLog {
        try DeskLog.create(path: path, actor: supervisor, displayName: "Root", now: Date())
    }

    /// Appends `command` as `actor`, failing the test on a refusal.
    @discardableResult
    static func perform(_ log: DeskLog, _ command: Command, as actor: String = supervisor,
                        via: String? = nil) throws -> DeskLog.Appended {
        try log.append(actor: actor, via: via, now: Date()) { desk, now throws(Refusal) in
            try Rules.decide(command, by: actor, at: now, on: desk)
        }
    }

    /// Opens one ticket per subject, each with a customer message.
    static func openTickets(_ log: DeskLog, _ subjects: [String]) throws {
        for subject in subjects {
            try perform(log, .openTicket(customerEmail: "jane@example.com", customerName: "Jane", subject: subject,
                                         channel: .email, priority: .normal, body: "About \(subject)."))
        }
    }
}

enum Bytes {
    static func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func append(_ bytes: [UInt8], to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
    }

    static func size(_ path: String) throws -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw NSError(domain: "stat", code: Int(errno)) }
        return Int64(info.st_size)
    }

    static func truncate(_ path: String, to size: Int64) throws {
        guard Glibc.truncate(path, off_t(size)) == 0 else { throw NSError(domain: "truncate", code: Int(errno)) }
    }

    /// The byte offset of every newline-terminated line, and where each ends (past its newline).
    static func lines(_ bytes: [UInt8]) -> [(offset: Int64, end: Int64)] {
        var result: [(Int64, Int64)] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 10 {
            result.append((Int64(start), Int64(index + 1)))
            start = index + 1
        }
        return result
    }
}

/// CRC-32 written independently of the module (bit by bit), to check the log's format.
enum ReferenceCRC32 {
    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

/// Facts about a log file read straight from its bytes, without the module's scanner.
struct LogFileFacts {
    /// `seq` of every complete line, in file order.
    var seqs: [Int]
    /// Every line's checksum matched (computed with the reference CRC).
    var allChecksumsMatch: Bool
    /// Bytes after the last newline.
    var trailingBytes: Int

    init(path: String) throws {
        let bytes = try Bytes.read(path)
        var seqs: [Int] = []
        var ok = true
        let marker = Array(#","crc":""#.utf8)
        for line in Bytes.lines(bytes) {
            let text = Array(bytes[Int(line.offset)..<Int(line.end) - 1])
            guard let object = try? JSONSerialization.jsonObject(with: Data(text)) as? [String: Any],
                  let seq = object["seq"] as? Int, let crc = object["crc"] as? String else {
                ok = false
                continue
            }
            seqs.append(seq)
            let markerAt = text.count - 18
            if markerAt < 0 || Array(text[markerAt..<markerAt + marker.count]) != marker
                || String(format: "%08x", ReferenceCRC32.checksum(text[..<markerAt])) != crc {
                ok = false
            }
        }
        self.seqs = seqs
        allChecksumsMatch = ok
        trailingBytes = bytes.count - Int(Bytes.lines(bytes).last?.end ?? 0)
    }
}

// MARK: - Acknowledgements

/// One `ack SUBJECT TICKET SEQ` line of log-stress-writer.
struct Ack: Hashable {
    var subject: String
    var ticket: Int
    var seq: Int

    init?(line: String) {
        let parts = line.split(separator: " ")
        guard parts.count == 4, parts[0] == "ack", let ticket = Int(parts[2]), let seq = Int(parts[3]) else {
            return nil
        }
        subject = String(parts[1])
        self.ticket = ticket
        self.seq = seq
    }
}

extension Child {
    /// The acks among the complete lines; a line that is not one fails the test.
    func acks(file: StaticString = #filePath, line: UInt = #line) -> [Ack] {
        lines.compactMap { text in
            let ack = Ack(line: text)
            if ack == nil { XCTFail("unexpected output line from pid \(pid): \(text.debugDescription)", file: file, line: line) }
            return ack
        }
    }
}

// MARK: - Checking a log after stress

enum StressCheck {
    /// Checks everything a stress test promises about `path`, given every ack the writers made.
    /// Returns the desk as replayed.
    @discardableResult
    static func verify(_ path: String, acks: [Ack], file: StaticString = #filePath, line: UInt = #line) throws -> Desk {
        let log = try DeskLog(path: path, writable: false)
        let desk = log.desk

        var ticketsBySubject: [String: [Ticket]] = [:]
        for ticket in desk.tickets { ticketsBySubject[ticket.subject, default: []].append(ticket) }
        let duplicates = ticketsBySubject.filter { $0.value.count > 1 }.keys.sorted()
        XCTAssertEqual(duplicates, [], "subjects that appear in more than one ticket", file: file, line: line)

        var acked = Set<String>()
        for ack in acks {
            XCTAssertTrue(acked.insert(ack.subject).inserted, "\(ack.subject) acknowledged twice", file: file, line: line)
            guard let tickets = ticketsBySubject[ack.subject] else {
                XCTFail("acknowledged \(ack.subject) (ticket \(ack.ticket), seq \(ack.seq)) is not in the log",
                        file: file, line: line)
                continue
            }
            XCTAssertEqual(tickets.count, 1, file: file, line: line)
            XCTAssertEqual(tickets.first?.id, ack.ticket, "ticket id of \(ack.subject)", file: file, line: line)
            XCTAssertEqual(tickets.first?.history.first?.seq, ack.seq, "seq of \(ack.subject)", file: file, line: line)
        }

        // Ticket ids run 1...n, and records carry seq 1...n without gaps (the replay checks this
        // too; here it is read from the file's bytes independently).
        XCTAssertEqual(desk.tickets.map(\.id), Array(0..<desk.tickets.count).map { $0 + 1 }, file: file, line: line)
        let facts = try LogFileFacts(path: path)
        XCTAssertEqual(facts.seqs, Array(0..<facts.seqs.count).map { $0 + 1 }, "seq gap-free from 1", file: file, line: line)
        XCTAssertEqual(desk.lastSeq, facts.seqs.count, file: file, line: line)
        return desk
    }
}

// MARK: - Snapshot bytes

/// Bytes at a fixed address for as long as a decoded desk refers to them (what the mapping of a
/// snapshot file is in production).
final class HeldBytes {
    let bytes: UnsafeMutableBufferPointer<UInt8>

    init(_ array: [UInt8]) {
        bytes = .allocate(capacity: max(1, array.count))
        _ = bytes.initialize(from: array)
        count = array.count
    }

    private let count: Int

    deinit { bytes.deallocate() }

    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: UnsafeBufferPointer(bytes)[..<count]) }
}

extension SnapshotCodec {
    /// The desk in `held`, every record decoded and checked now unless `lazily`.
    static func decode(_ held: HeldBytes, lazily: Bool = false) throws -> (desk: Desk, breaches: BreachSchedule?) {
        try decode(held.buffer, owner: held, holdEveryTicket: !lazily)
    }
}
