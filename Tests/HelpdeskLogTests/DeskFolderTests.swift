import Foundation
@testable import HelpdeskLog
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// What the desk does beside the log never goes through a symlink (issue 10); the attacks by
/// other accounts are in HelpdeskTrustTests, these are the primitives on one account.
final class DeskFolderTests: XCTestCase {
    var temporary: TemporaryFolder?
    var directory: String { temporary?.path ?? "" }
    var victim: String { directory + "/victim" }

    override func setUpWithError() throws {
        temporary = try TemporaryFolder("deskfolder")
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: victim))
        chmod(victim, 0o600)
    }

    override func tearDownWithError() throws {
        temporary?.remove()
    }

    func folder() throws -> DeskFolder { try DeskFolder.containing(directory + "/desk.log") }

    func testASymlinkedFolderIsRefusedAndANewOneIsSticky() throws {
        XCTAssertEqual(symlink(victim, directory + "/desk.log.presence"), 0)
        XCTAssertThrowsError(try folder().folder("desk.log.presence", create: true)) { error in
            XCTAssertTrue("\(error)".contains("desk.log.presence") && "\(error)".contains("not a folder"), "\(error)")
        }
        let made = try XCTUnwrap(try folder().folder("desk.log.mail", create: true))
        XCTAssertEqual(try made.status().st_mode & 0o7777, 0o3770)
    }

    func testASharedLockIsNeverASymlinkOrAHardLink() throws {
        XCTAssertEqual(symlink(victim, directory + "/desk.log.snapshot.lock"), 0)
        XCTAssertThrowsError(try folder().openShared("desk.log.snapshot.lock")) { error in
            XCTAssertTrue("\(error)".contains("symlink"), "\(error)")
        }
        XCTAssertEqual(link(victim, directory + "/other.lock"), 0)
        XCTAssertThrowsError(try folder().openShared("other.lock")) { error in
            XCTAssertTrue("\(error)".contains("hard link"), "\(error)")
        }
        var info = stat()
        XCTAssertEqual(stat(victim, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600, "the victim's mode is unchanged")

        let fd = try folder().openShared("deliver.lock")
        close(fd)
        XCTAssertEqual(stat(directory + "/deliver.lock", &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o660, "group-writable whatever the umask")
    }

    func testTemporaryNamesAreFreshAndRemovingSkipsSymlinks() throws {
        let desk = try folder()
        let first = try desk.createTemporary(prefix: "desk.log.snapshot.tmp-")
        let second = try desk.createTemporary(prefix: "desk.log.snapshot.tmp-")
        close(first.fd)
        close(second.fd)
        XCTAssertNotEqual(first.name, second.name)
        XCTAssertTrue(desk.removeOwnFile(first.name))
        XCTAssertEqual(symlink(victim, directory + "/alice.1"), 0)
        XCTAssertFalse(desk.removeOwnFile("alice.1"), "a symlink is not removed through, nor counted as a file")
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious\n")
        XCTAssertNil(desk.read("alice.1"), "nor read through")
    }

    func testTheLogIsNeverOpenedThroughASymlink() throws {
        XCTAssertEqual(symlink(victim, directory + "/desk.log"), 0)
        XCTAssertThrowsError(try DeskLog(path: directory + "/desk.log", writable: true)) { error in
            XCTAssertEqual(error as? LogError, .unsafe(path: directory + "/desk.log", reason: "is a symlink; name the file itself"))
        }
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious\n")
    }
}
