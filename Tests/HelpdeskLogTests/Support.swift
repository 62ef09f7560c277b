import Foundation
import HelpdeskCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import HelpdeskLog

// MARK: - Temporary directories

/// A fresh directory per test, removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init(_ name: String = "helpdesk-log-tests") throws {
        var template = Array((NSTemporaryDirectory() + "\(name)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw NSError(domain: "TemporaryDirectory", code: Int(errno))
        }
        path = String(cString: made)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

extension XCTestCase {
    /// A temporary directory that is removed after the test.
    func makeTemporaryDirectory() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(String(describing: type(of: self)))
        addTeardownBlock { directory.remove() }
        return directory
    }
}

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

// MARK: - Built executables

enum Executables {
    /// The directory holding the package's built executables: the test bundle's directory
    /// (…/.build/debug), else `<package>/.build/debug` worked out from this file's path.
    static let directory: String = {
        let fileManager = FileManager.default
        var url = Bundle(for: ExecutablesAnchor.self).bundleURL
        for _ in 0..<4 {
            if fileManager.isExecutableFile(atPath: url.appendingPathComponent("log-stress-writer").path) {
                return url.path
            }
            url = url.deletingLastPathComponent()
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug").path
    }()

    static var stressWriter: String { directory + "/log-stress-writer" }
    static var helpdesk: String { directory + "/helpdesk" }
}

final class ExecutablesAnchor {}

// MARK: - Child processes

/// A child process whose standard output is read through a pipe with deadlines, and which can
/// be killed with SIGKILL. Standard input is /dev/null; standard error goes to a file.
final class Child {
    let pid: pid_t
    private(set) var outputFD: Int32
    private(set) var output: [UInt8] = []
    let errorPath: String
    private(set) var exitStatus: Int32?

    init(_ executable: String, _ arguments: [String], errorPath: String) throws {
        var fds: [Int32] = [-1, -1]
        // Close-on-exec, so that no other child inherits this one's pipe (pipe2 is not imported).
        guard pipe(&fds) == 0 else { throw NSError(domain: "pipe", code: Int(errno)) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(fds[1])
        guard result == 0 else {
            close(fds[0])
            throw NSError(domain: "posix_spawn \(executable)", code: Int(result))
        }
        self.pid = pid
        outputFD = fds[0]
        self.errorPath = errorPath
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        }
        if outputFD >= 0 { close(outputFD) }
    }

    /// Complete lines of output read so far.
    var lines: [String] {
        var text = String(decoding: output, as: UTF8.self)
        if let lastNewline = text.lastIndex(of: "\n") {
            text = String(text[..<lastNewline])
        } else {
            return []
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    var outputText: String { String(decoding: output, as: UTF8.self) }
    var errorText: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Reads whatever is available without blocking. Returns false at end of file.
    @discardableResult
    func readAvailable() -> Bool {
        guard outputFD >= 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            var entry = pollfd(fd: outputFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, 0)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { return true }
            let n = buffer.withUnsafeMutableBytes { read(outputFD, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                close(outputFD)
                outputFD = -1
                return false
            }
            output.append(contentsOf: buffer[..<n])
        }
    }

    /// Reads output from `children` until `done` holds or `deadline` passes; returns `done()`.
    @discardableResult
    static func pump(_ children: [Child], until deadline: Date, done: () -> Bool) -> Bool {
        while !done() {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return false }
            var entries = children.filter { $0.outputFD >= 0 }.map { pollfd(fd: $0.outputFD, events: Int16(POLLIN), revents: 0) }
            guard !entries.isEmpty else { return done() }
            let n = poll(&entries, nfds_t(entries.count), Int32(min(remaining * 1000, 1000).rounded(.up)))
            if n < 0, errno != EINTR { return done() }
            for child in children { child.readAvailable() }
        }
        return true
    }

    /// Sends SIGKILL (if it has not exited) and reaps the process.
    func kill9() {
        guard exitStatus == nil else { return }
        kill(pid, SIGKILL)
        reap()
    }

    private func reap() {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, 0)
            if result < 0, errno == EINTR { continue }
            break
        }
        exitStatus = status
    }

    /// Waits for the process to exit by itself, reading its output, up to `deadline`.
    /// Returns its exit code (or 128 + signal), or nil when the deadline passed first.
    func waitForExit(deadline: Date) -> Int32? {
        // End of output means the process closed stdout: it has exited, or is about to.
        Child.pump([self], until: deadline) { outputFD < 0 }
        guard outputFD < 0 else { return nil }
        while exitStatus == nil {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                exitStatus = status
                break
            }
            if result < 0, errno != EINTR { return nil }
            guard Date() < deadline else { return nil }
            usleep(1000)  // polling the exit with a deadline, after stdout closed
        }
        return Child.code(exitStatus!)
    }

    /// Drains the rest of the output (after the process died).
    func drain(deadline: Date) {
        Child.pump([self], until: deadline) { outputFD < 0 }
    }

    static func code(_ status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
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
