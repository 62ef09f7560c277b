import Foundation
import HelpdeskCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import HelpdeskLog

/// Real processes appending at once, and killed with SIGKILL at random moments: every
/// acknowledged record is in the log exactly once, and the log stays sound and gap-free.
final class ConcurrentWriterTests: XCTestCase {
    func testBuiltExecutablesAreFound() {
        for path in [BuiltProducts.stressWriter, BuiltProducts.helpdesk] {
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: path), path)
        }
        print("executables in \(BuiltProducts.directory) (test bundle: \(Bundle.main.bundleURL.path))")
    }

    func testTwoProcessesAppendingConcurrently() throws {
        let directory = try makeTemporaryDirectory()
        let path = directory.file("desk.log")
        _ = try LogFixture.create(path)
        let count = 50
        let writers = try ["A", "B"].map { tag in
            try Child(BuiltProducts.stressWriter, [path, tag, String(count)], errorPath: directory.file("\(tag).err"))
        }
        let deadline = Date().addingTimeInterval(120)
        XCTAssertTrue(Child.pump(writers, until: deadline) { writers.allSatisfy { $0.outputFD < 0 } },
                      "writers did not finish in time")
        for writer in writers {
            XCTAssertEqual(writer.waitForExit(deadline: deadline), 0, writer.errorText)
        }

        let acks = writers.flatMap { $0.acks() }
        XCTAssertEqual(acks.count, 2 * count)
        for (writer, tag) in zip(writers, ["A", "B"]) {
            let mine = writer.acks()
            XCTAssertEqual(mine.map(\.subject), (1...count).map { "\(tag)-\($0)" })
            XCTAssertEqual(mine.map(\.seq), mine.map(\.seq).sorted(), "a writer's records go forward")
        }
        XCTAssertEqual(Set(acks.map(\.seq)), Set(2...2 * count + 1), "every seq acknowledged once")
        XCTAssertEqual(Set(acks.map(\.ticket)), Set(1...2 * count))

        let desk = try StressCheck.verify(path, acks: acks)
        XCTAssertEqual(desk.tickets.count, 2 * count)
        XCTAssertEqual(desk.lastSeq, 2 * count + 1)
        XCTAssertEqual(desk.customers.count, 1, "the first writer created the customer; the other found it")
        XCTAssertNil(try LogCheck.run(path: path, repair: false, now: Date()).problem)
        // Interleaved, not one after the other (a weak check: with 2 cores they do overlap).
        let order = acks.sorted { $0.seq < $1.seq }.map { $0.subject.hasPrefix("A") }
        let switches = zip(order, order.dropFirst()).filter { $0 != $1 }.count
        print("two writers: the log switched writer \(switches) times in \(order.count) records")
    }

    /// An append waits for another holder of the lock, up to `lockTimeout`, and writes nothing then.
    func testAppendWaitsForTheLockAndGivesUp() throws {
        let directory = try makeTemporaryDirectory()
        let path = directory.file("desk.log")
        let log = try LogFixture.create(path)
        let size = try Bytes.size(path)
        let other = open(path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(other, 0)
        defer { close(other) }
        XCTAssertEqual(flock(other, LOCK_EX), 0)
        log.lockTimeout = 0.3
        let started = Date()
        XCTAssertThrowsError(try LogFixture.openTickets(log, ["blocked"])) { error in
            XCTAssertEqual(error as? LogError, .lockTimeout(path: path, seconds: 0.3))
        }
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.29)
        XCTAssertEqual(try Bytes.size(path), size)
        // A writer process waits too, and goes on once the lock is free.
        let writer = try Child(BuiltProducts.stressWriter, [path, "W", "1"], errorPath: directory.file("w.err"))
        XCTAssertFalse(Child.pump([writer], until: Date().addingTimeInterval(0.3)) { !writer.lines.isEmpty },
                       "the writer appended while the lock was held")
        XCTAssertEqual(flock(other, LOCK_UN), 0)
        XCTAssertEqual(writer.waitForExit(deadline: Date().addingTimeInterval(30)), 0, writer.errorText)
        XCTAssertEqual(writer.acks().map(\.subject), ["W-1"])
        try LogFixture.openTickets(log, ["free"])
        XCTAssertEqual(log.desk.tickets.map(\.subject), ["W-1", "free"])
    }

    /// Rounds of two writers killed with SIGKILL at random moments. A fresh log is started every
    /// `roundsPerLog` rounds and checked then, so that the writers' replay (slow in debug builds:
    /// about 0.2 s per 300 KB) does not come to dominate the rounds and move every kill into it;
    /// the budget is capped for the same reason (the first writer appends all through it).
    func testKillNineLoop() throws {
        let environment = ProcessInfo.processInfo.environment
        let rounds = environment["HELPDESK_KILL_ROUNDS"].flatMap { Int($0) } ?? 200
        let seed = environment["HELPDESK_KILL_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        var random = SplitMix64(seed: seed)
        let roundsPerLog = 10
        print("kill -9 loop: \(rounds) rounds, seed \(seed) (set HELPDESK_KILL_SEED to repeat the timings)")

        let directory = try makeTemporaryDirectory()
        let started = Date()
        var logs: [(path: String, acks: [Ack])] = []
        var roundsWithoutAcks = 0, roundsWithBothAcks = 0, tailsCutByWriters = 0, tailsSeenAtChecks = 0
        // How long a writer takes from its start to its first ack, as seen lately: the random
        // budget is drawn around it, so that some kills land before the first ack and most after.
        var firstAckEstimate = 0.1

        for round in 0..<rounds {
            if round % roundsPerLog == 0 {
                let path = directory.file("desk-\(logs.count + 1).log")
                _ = try LogFixture.create(path)
                logs.append((path, []))
            }
            let path = logs[logs.count - 1].path
            let spawned = Date()
            let writers = try ["a", "b"].map { slot in
                try Child(BuiltProducts.stressWriter, [path, "r\(round)\(slot)", "1000000"],
                          errorPath: directory.file("\(slot).err"))
            }
            // Until each has acknowledged something, or the random budget runs out.
            let budget = Double(random.next(in: 5...min(Int(firstAckEstimate * 3000) + 30, 300))) / 1000
            let deadline = spawned.addingTimeInterval(budget)
            if Child.pump(writers, until: deadline, done: { writers.contains { !$0.lines.isEmpty } }) {
                firstAckEstimate = 0.8 * firstAckEstimate + 0.2 * Date().timeIntervalSince(spawned)
            }
            if Child.pump(writers, until: deadline, done: { writers.allSatisfy { !$0.lines.isEmpty } }) {
                roundsWithBothAcks += 1
            }
            usleep(UInt32(random.next(in: 0...20_000)))
            for writer in writers { kill(writer.pid, SIGKILL) }
            for writer in writers {
                writer.kill9()
                writer.drain(deadline: Date().addingTimeInterval(10))
                let code = Child.code(writer.exitStatus ?? 0)
                XCTAssertEqual(code, 128 + SIGKILL, "round \(round): writer ended by itself: \(writer.errorText)")
                if writer.errorText.contains("cut off") { tailsCutByWriters += 1 }
                let errors = writer.errorText.split(separator: "\n").filter { !$0.contains("cut off") }
                XCTAssertEqual(errors, [], "round \(round)")
            }
            let acks = writers.flatMap { $0.acks() }
            if acks.isEmpty { roundsWithoutAcks += 1 }
            logs[logs.count - 1].acks += acks

            if (round + 1) % roundsPerLog == 0 || round == rounds - 1 {
                if try checkKilledLog(path, acks: logs[logs.count - 1].acks, check: logs.count) { tailsSeenAtChecks += 1 }
            }
            if testRun?.failureCount ?? 0 > 20 { return XCTFail("stopping after round \(round): too many failures") }
        }

        // Once more at the end, every log: nothing changed them since.
        var tickets = 0, records = 0
        for log in logs {
            XCTAssertNil(try LogCheck.run(path: log.path, repair: false, now: Date()).problem)
            let desk = try StressCheck.verify(log.path, acks: log.acks)
            tickets += desk.tickets.count
            records += desk.lastSeq
        }
        let acks = logs.reduce(0) { $0 + $1.acks.count }
        let elapsed = Date().timeIntervalSince(started)
        print("kill -9 loop: \(rounds) rounds in \(String(format: "%.1f", elapsed)) s over \(logs.count) logs; "
              + "\(acks) acks, \(tickets) tickets, \(records) records; rounds with no ack: \(roundsWithoutAcks), "
              + "with acks from both writers: \(roundsWithBothAcks); first ack after about "
              + "\(Int(firstAckEstimate * 1000)) ms; torn tails cut by writers: \(tailsCutByWriters), "
              + "left at checks: \(tailsSeenAtChecks)")
        XCTAssertGreaterThan(acks, rounds / 2, "most rounds should acknowledge something")
    }

    /// Checks the log after writers were killed; returns true when there was a torn tail (which
    /// must then be cut off by the next append).
    func checkKilledLog(_ path: String, acks: [Ack], check: Int,
                        file: StaticString = #filePath, line: UInt = #line) throws -> Bool {
        var sawTail = false
        let report = try LogCheck.run(path: path, repair: false, now: Date())
        switch report.problem {
        case nil:
            break
        case .tornTail(let offset, let reason)?:
            sawTail = true
            let writer = try DeskLog(path: path, writable: true)
            var notices: [String] = []
            writer.onNotice = { notices.append($0) }
            try LogFixture.perform(writer, .openTicket(customerEmail: "check@example.com", customerName: nil,
                                                       subject: "check \(check)", channel: .web, priority: .low,
                                                       body: nil))
            XCTAssertEqual(notices.count, 1, "torn tail at \(offset) (\(reason)) not cut: \(notices)", file: file, line: line)
            XCTAssertNil(try LogCheck.run(path: path, repair: false, now: Date()).problem, file: file, line: line)
        case .damaged(let offset, let reason)?:
            XCTFail("the log is damaged at \(offset) after kill -9: \(reason)", file: file, line: line)
            return false
        case .newer(let offset, let message)?:
            XCTFail("a record at \(offset) is not of this helpdesk after kill -9: \(message)", file: file, line: line)
            return false
        }
        let desk = try StressCheck.verify(path, acks: acks, file: file, line: line)
        XCTAssertTrue(try LogFileFacts(path: path).allChecksumsMatch, file: file, line: line)
        // Tickets that were written but never acknowledged (killed between fsync and ack) are fine;
        // tickets from nowhere are not.
        let known = Set(acks.map(\.subject))
        for ticket in desk.tickets where !known.contains(ticket.subject) {
            XCTAssertTrue(ticket.subject.range(of: #"^(r\d+[ab]-\d+|check \d+)$"#, options: .regularExpression) != nil,
                          "unexpected ticket \(ticket.subject)", file: file, line: line)
        }
        return sawTail
    }
}
