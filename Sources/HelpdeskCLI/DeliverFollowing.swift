import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog
import HelpdeskMail
#if canImport(Glibc)
import Glibc
#endif

/// `deliver --follow` as a service keeps going whatever happens to the log, and says on stderr
/// (the journal) what it did: a log replaced (renamed over) or cut back (`fsck --repair`) is
/// opened again; a full disk is waited out, trying again after 5 s, 10, 20… up to a minute. A
/// database desk's follower reconnects by itself and rings when it is back: a round that failed
/// meanwhile (the server down) is only said, and the next one catches up.
final class DeliveryFollowing {
    let location: StoreLocation
    private let open: () throws -> Courier
    private(set) var courier: Courier
    private var follower: LogFollower
    /// The file the open log is (device, inode): another file at the path means it was replaced
    /// (nil for a database).
    private var file: (device: UInt64, inode: UInt64)?
    private var diskFullWait: Int32 = 0

    static let fullDiskWaits: (first: Int32, most: Int32) = (5, 60)

    init(location: StoreLocation, courier: Courier, open: @escaping () throws -> Courier) throws {
        self.location = location
        self.open = open
        self.courier = courier
        follower = try LogFollower(location: location)
        file = try location.filePath.map(Self.identity(of:))
    }

    /// Runs `deliver` at once (`first`), then each time the log changes, each minute (for
    /// retries whose wait is over), and sooner while the disk is full; never returns.
    func run(_ deliver: (Courier, _ first: Bool) throws -> Void) -> Never {
        var timeout: Int32 = 0
        var first = true
        while true {
            if diskFullWait > 0 {
                // Changes (our own failed write cut back among them) wake nothing: the disk
                // has to have room again first.
                Self.sleep(milliseconds: timeout)
                follower.drain()
            } else {
                follower.wait(timeout: timeout)
            }
            timeout = 60_000
            do {
                if let change = changeOfFile() {
                    Output.warn("\(change); reopening")
                    timeout = reopenOrRetry()
                    continue
                }
                try deliver(courier, first)
                first = false
                if diskFullWait > 0 { Output.warn("the disk has room again; delivering as before") }
                diskFullWait = 0
            } catch LogError.truncated(_, _, _) {
                Output.warn("the log was cut back (fsck --repair?); reopening")
                timeout = reopenOrRetry()
            } catch where Self.isDiskFull(error) {
                diskFullWait = diskFullWait == 0 ? Self.fullDiskWaits.first : min(diskFullWait * 2, Self.fullDiskWaits.most)
                Output.warn("disk full; retrying in \(diskFullWait) s (\(error))")
                timeout = diskFullWait * 1000
            } catch {
                // The next change or minute tries again.
                Output.warn("\(error)")
            }
            fflush(nil)
        }
    }

    /// What became of the file at the path since it was opened, in words; nil: still the same.
    private func changeOfFile() -> String? {
        guard let file, let logPath = location.filePath else { return nil }
        var info = stat()
        guard stat(logPath, &info) == 0 else { return "the log is gone from \(logPath)" }
        if (UInt64(info.st_dev), UInt64(info.st_ino)) != file { return "the log was replaced (another file is at \(logPath))" }
        if Int64(info.st_size) < courier.desk.log.readOffset {
            return "the log was cut back to \(info.st_size) bytes (fsck --repair?)"
        }
        return nil
    }

    private func reopen() throws {
        var courier = try open()
        courier.unmarked = self.courier.unmarked  // what went out before stays sent
        self.courier = courier
        follower = try LogFollower(location: location)
        file = try location.filePath.map(Self.identity(of:))
        Output.warn("reopened \(location) at record #\(courier.desk.log.desk.lastSeq)")
    }

    /// Reopens; when that fails (the log between a removal and its replacement), says so and
    /// returns how soon to try again.
    private func reopenOrRetry() -> Int32 {
        do {
            try reopen()
            return 0  // deliver at once what the reopened log holds
        } catch {
            Output.warn("could not reopen the log (\(error)); retrying in 5 s")
            return 5000
        }
    }

    /// What `open` opens, once the desk's database can be reached: until then it says why on
    /// stderr and tries again after 5 s, 10, 20… up to a minute. Other failures are thrown.
    static func waitingForTheDatabase<Opened>(_ open: () throws -> Opened) throws -> Opened {
        var wait: Int32 = 0
        while true {
            do {
                let opened = try open()
                if wait > 0 { Output.warn("the desk's database answers again") }
                return opened
            } catch let error as LogError {
                guard case .unreachable = error else { throw error }
                wait = wait == 0 ? unreachableWaits.first : min(wait * 2, unreachableWaits.most)
                Output.warn("\(error); trying again in \(wait) s")
                fflush(nil)
                sleep(milliseconds: wait * 1000)
            }
        }
    }

    static let unreachableWaits: (first: Int32, most: Int32) = (5, 60)

    private static func sleep(milliseconds: Int32) {
        var request = timespec(tv_sec: Int(milliseconds / 1000), tv_nsec: Int(milliseconds % 1000) * 1_000_000)
        var left = timespec()
        while nanosleep(&request, &left) != 0, errno == EINTR { request = left }
    }

    static func identity(of path: String) throws -> (device: UInt64, inode: UInt64) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw LogError.io(path: path, operation: "stat", errno: errno) }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    static func isDiskFull(_ error: Error) -> Bool {
        if let error = error as? StoreError { return error.isNoSpace }
        guard case LogError.io(_, _, let code)? = error as? LogError else { return false }
        return code == ENOSPC || code == EDQUOT
    }
}
