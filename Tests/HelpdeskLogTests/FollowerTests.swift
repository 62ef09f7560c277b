import Foundation
import HelpdeskCore
import XCTest
@testable import HelpdeskLog

/// A follower sleeps on inotify until another process appends, then catches up.
final class FollowerTests: XCTestCase {
    func testFollowerWakesWhenAnotherProcessAppends() throws {
        let directory = try makeTemporaryDirectory()
        let path = directory.file("desk.log")
        _ = try LogFixture.create(path)
        let reader = try DeskLog(path: path, writable: false)
        let follower = try LogFollower(path: path)
        follower.drain()
        XCTAssertEqual(try reader.catchUp(), 0)

        let child = try Child(BuiltProducts.helpdesk,
                              ["new", "--log", path, "--customer", "x@example.com", "--subject", "s"],
                              errorPath: directory.file("helpdesk.err"))
        XCTAssertTrue(follower.wait(timeout: 5000), "no change seen within 5 s")
        XCTAssertEqual(try reader.catchUp(), 1, "the change woke the follower once the record was whole")
        XCTAssertEqual(reader.desk.tickets.map(\.subject), ["s"])
        XCTAssertEqual(reader.desk.customer(email: "x@example.com")?.id, reader.desk.tickets.first?.customerID)
        XCTAssertEqual(child.waitForExit(deadline: Date().addingTimeInterval(30)), 0, child.errorText)
        XCTAssertEqual(child.outputText, "1\n")
        XCTAssertEqual(try reader.catchUp(), 0)
    }

    func testFollowerKeepsUpWithAStreamOfAppends() throws {
        let directory = try makeTemporaryDirectory()
        let path = directory.file("desk.log")
        _ = try LogFixture.create(path)
        var seqs: [Int] = []
        let reader = try DeskLog(path: path, writable: false) { seqs.append($0.seq) }
        let follower = try LogFollower(path: path)
        follower.drain()

        let count = 30
        let child = try Child(BuiltProducts.stressWriter, [path, "F", String(count)],
                              errorPath: directory.file("writer.err"))
        let deadline = Date().addingTimeInterval(30)
        while reader.desk.tickets.count < count, Date() < deadline {
            let remaining = Int32(max(1, min(5000, deadline.timeIntervalSinceNow * 1000)))
            if follower.wait(timeout: remaining) { try reader.catchUp() }
        }
        XCTAssertEqual(reader.desk.tickets.map(\.subject), (1...count).map { "F-\($0)" })
        XCTAssertEqual(seqs, Array(1...count + 1))
        XCTAssertEqual(child.waitForExit(deadline: Date().addingTimeInterval(30)), 0, child.errorText)
        XCTAssertEqual(child.acks().count, count)
    }

    func testFollowerWithoutWritersTimesOut() throws {
        let directory = try makeTemporaryDirectory()
        let path = directory.file("desk.log")
        _ = try LogFixture.create(path)
        let follower = try LogFollower(path: path)
        follower.drain()
        let started = Date()
        XCTAssertFalse(follower.wait(timeout: 200))
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertGreaterThanOrEqual(elapsed, 0.19)
        XCTAssertLessThan(elapsed, 5)
    }

    func testWaitDrainsWhatItSaw() throws {
        let directory = try makeTemporaryDirectory()
        let path = directory.file("desk.log")
        let log = try LogFixture.create(path)
        let follower = try LogFollower(path: path)
        follower.drain()
        XCTAssertFalse(follower.wait(timeout: 0))
        try LogFixture.openTickets(log, ["one"])
        XCTAssertTrue(follower.wait(timeout: 0))
        XCTAssertFalse(follower.wait(timeout: 0), "notifications already read wake no one again")
    }

    func testFollowingAMissingFileFails() throws {
        let directory = try makeTemporaryDirectory()
        XCTAssertThrowsError(try LogFollower(path: directory.file("missing.log"))) { error in
            guard case .io(_, "inotify_add_watch", _)? = error as? LogError else { return XCTFail("\(error)") }
        }
    }
}
