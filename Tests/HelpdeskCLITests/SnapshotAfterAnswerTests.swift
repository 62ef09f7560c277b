import Foundation
import HelpdeskTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A read that replayed the whole log answers first, then leaves the snapshot from a child of its
/// own: the command exits and its output ends while the snapshot is still being written, and a
/// command started meanwhile waits for that writer and opens from its snapshot rather than
/// replaying again. A FIFO the test controls (HELPDESK_TEST_SNAPSHOT_GATE) holds the writer back.
final class SnapshotAfterAnswerTests: CLITestCase {
    /// A desk with neither its snapshot nor the checkpoints that would stand in for it.
    private func deskWithoutSnapshot() throws -> String {
        try cli.ok("generate", "--tickets", "800", "--seed", "4", "--out", cli.logPath)
        try cli.desk.moveFileFixtureIntoStore()
        let snapshot = try cli.desk.snapshotPath()
        try FileManager.default.removeItem(atPath: snapshot)
        try? FileManager.default.removeItem(atPath: snapshot + ".checkpoints")
        return snapshot
    }

    private func start(_ arguments: [String], environment extra: [String: String]) throws -> Child {
        try Child(BuiltProducts.helpdesk, arguments, errorPath: cli.desk.folder.file(".err-\(UUID().uuidString)"),
                  environment: cli.environment(extra.merging(["HELPDESK_TEST_REPORT_OPENING": "1"]) { $1 }),
                  directory: cli.desk.path)
    }

    func testTheAnswerComesFirstAndTheNextCommandOpensFromTheSnapshotWrittenAfterIt() throws {
        let snapshot = try deskWithoutSnapshot()
        let gate = cli.desk.folder.file("gate")
        XCTAssertEqual(mkfifo(gate, 0o600), 0)

        let first = try start(["status", "--json"], environment: ["HELPDESK_TEST_SNAPSHOT_GATE": gate])
        XCTAssertEqual(first.waitForExit(deadline: Date().addingTimeInterval(60)), 0,
                       "the command exits, and its output ends, while the snapshot waits: \(first.errorText)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: snapshot), "not written before the answer")
        let answer = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(first.output)) as? [String: Any])
        let lastSeq = try XCTUnwrap(answer["last_seq"] as? Int)
        // (The escalations that fell due since the desk was generated are recorded first.)
        XCTAssertTrue(first.errorText.contains("opened by replaying"), first.errorText)

        let lock = snapshot + ".lock"
        var writers: [pid_t] = []
        try waitFor("the snapshot's writer, holding its lock") {
            writers = ProcessTable.holding(lock)
            return !writers.isEmpty
        }
        XCTAssertEqual(writers.count, 1)
        let writer = writers[0]
        // Found as soon as it is forked (it holds the lock from the start): its first steps, a
        // session of its own and the command's descriptors closed, come before it waits on the gate.
        try waitFor("the writer to leave the command's descriptors behind") {
            Set(ProcessTable.descriptors(writer).values) == ["/dev/null", lock]
        }
        let stat = try XCTUnwrap(ProcessTable.stat(writer))
        XCTAssertNotEqual(stat.parent, first.pid, "the command's child is left to the system once the command exits")
        XCTAssertEqual(stat.session, writer, "in a session of its own: no terminal's ^C or hang-up reaches it")
        XCTAssertEqual(stat.terminal, 0, "no controlling terminal")
        for fd in ["0", "1", "2"] {
            XCTAssertEqual(ProcessTable.descriptors(writer)[fd], "/dev/null", "fd \(fd): none of the command's output")
        }
        XCTAssertEqual(Set(ProcessTable.descriptors(writer).values), ["/dev/null", lock],
                       "no other descriptor of the command's (a database's socket, a pipe)")

        let second = try start(["status", "--json"], environment: [:])
        try waitFor("the second command waiting for the writer") { ProcessTable.holding(lock).contains(second.pid) }
        try releaseGate(gate)
        XCTAssertEqual(second.waitForExit(deadline: Date().addingTimeInterval(60)), 0, second.errorText)
        XCTAssertTrue(second.errorText.contains("opened from the snapshot to record \(lastSeq), then 0 records"),
                      "opened from the new snapshot, not by replaying: \(second.errorText)")
        let again = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(second.output)) as? [String: Any])
        for key in ["by_status", "by_priority", "by_assignee", "active", "last_seq"] {
            XCTAssertEqual(again[key] as? NSObject, answer[key] as? NSObject, "\(key): the same answer from the snapshot")
        }

        // Ended: gone, or a zombie until the process it was left to (PID 1, or a subreaper) reaps it.
        try waitFor("the writer to end") { ProcessTable.stat(writer).map { $0.state == "Z" } ?? true }
        XCTAssertEqual(ProcessTable.holding(lock), [], "the second command, answered from the snapshot, writes none")
        XCTAssertTrue(FileManager.default.fileExists(atPath: snapshot))
        let folder = (snapshot as NSString).deletingLastPathComponent
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".tmp-") }
        XCTAssertEqual(left, [], "no temporary file left")
    }

    func testWithTheSnapshotDeletedACheckpointStandsInAndNoCommandReplaysTheLog() throws {
        let snapshot = try deskWithoutSnapshot()
        // The first command replays the log, records the escalations due since the desk was
        // generated, and leaves a snapshot, kept as the first checkpoint too.
        let settled = try start(["status", "--json"], environment: [:])
        XCTAssertEqual(settled.waitForExit(deadline: Date().addingTimeInterval(60)), 0, settled.errorText)
        try waitFor("the snapshot after the first command") {
            FileManager.default.fileExists(atPath: snapshot) && ProcessTable.holding(snapshot + ".lock").isEmpty
        }
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: snapshot + ".checkpoints")
        XCTAssertFalse(checkpoints.isEmpty, "checkpoints kept beside the snapshot")
        try FileManager.default.removeItem(atPath: snapshot)

        let first = try start(["status", "--json"], environment: [:])
        XCTAssertEqual(first.waitForExit(deadline: Date().addingTimeInterval(60)), 0, first.errorText)
        XCTAssertTrue(first.errorText.contains("opened from a checkpoint to record"), first.errorText)
        let second = try start(["status", "--json"], environment: [:])
        XCTAssertEqual(second.waitForExit(deadline: Date().addingTimeInterval(60)), 0, second.errorText)
        XCTAssertFalse(second.errorText.contains("opened by replaying"), second.errorText)
        let answer = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(first.output)) as? [String: Any])
        let again = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(second.output)) as? [String: Any])
        for key in ["by_status", "by_priority", "by_assignee", "active", "last_seq"] {
            XCTAssertEqual(again[key] as? NSObject, answer[key] as? NSObject, "\(key): the same answer")
        }
        try waitFor("the snapshot written again after the answer") {
            FileManager.default.fileExists(atPath: snapshot) && ProcessTable.holding(snapshot + ".lock").isEmpty
        }
        let third = try start(["status", "--json"], environment: [:])
        XCTAssertEqual(third.waitForExit(deadline: Date().addingTimeInterval(60)), 0, third.errorText)
        XCTAssertTrue(third.errorText.contains("opened from the snapshot to record"), third.errorText)
    }

    func testAtATerminalTheAnswerIsAllThatIsShownAndTheSnapshotFollows() throws {
        let snapshot = try deskWithoutSnapshot()
        let ran = try cli.desk.runInTerminal(["status", "--json"])
        XCTAssertEqual(ran.status, 0, ran.stdout)
        let answer = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ran.stdout.utf8)) as? [String: Any],
                                   "the terminal shows the answer and nothing else: \(ran.stdout.debugDescription)")
        XCTAssertNotNil(answer["last_seq"])
        // The terminal's hang-up when script(1) ended did not stop the writer.
        try waitFor("the snapshot written after the answer") { FileManager.default.fileExists(atPath: snapshot) }
        try waitFor("the writer to end") { ProcessTable.holding(snapshot + ".lock").isEmpty }
    }

    /// Opens the FIFO for writing (the writer is blocked opening it for reading) and closes it.
    private func releaseGate(_ gate: String) throws {
        let fd = open(gate, O_WRONLY)
        XCTAssertGreaterThanOrEqual(fd, 0, "open \(gate)")
        guard fd >= 0 else { throw TestStop("cannot open the gate") }
        var byte: UInt8 = 1
        _ = write(fd, &byte, 1)
        close(fd)
    }
}

/// What Linux's /proc says of other processes.
enum ProcessTable {
    struct Stat {
        var state: String
        var parent: pid_t
        var session: pid_t
        var terminal: Int
    }

    static func stat(_ pid: pid_t) -> Stat? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // After "pid (comm) ": state ppid pgrp session tty_nr
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 4, let parent = pid_t(fields[1]), let session = pid_t(fields[3]), let terminal = Int(fields[4])
        else { return nil }
        return Stat(state: String(fields[0]), parent: parent, session: session, terminal: terminal)
    }

    /// Descriptor number to what it names.
    static func descriptors(_ pid: pid_t) -> [String: String] {
        let folder = "/proc/\(pid)/fd"
        var found: [String: String] = [:]
        for fd in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + fd) { found[fd] = target }
        }
        return found
    }

    /// The processes with `path` open.
    static func holding(_ path: String) -> [pid_t] {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }
        return pids.filter { descriptors($0).values.contains(path) }
    }
}
