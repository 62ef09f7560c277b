import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file whose content decides what the desk runs (the mail configuration's `sendmail:` line):
/// read only when, as with ssh's StrictModes, no one but root and the desk's owner can have
/// written it. Members of the desk's group are not trusted with other accounts.
public enum TrustedFile {
    /// The desk's owner: the log's owner when no one else can replace the log (its folder is not
    /// writable by others than its owner, or is sticky); otherwise the owner of the log's folder,
    /// since any member of the group could have put a log of their own in its place.
    public static func deskOwner(logPath: String) throws -> uid_t {
        let desk = try DeskFolder.containing(logPath)
        let folder = try desk.status()
        guard folder.st_mode & 0o022 == 0 || folder.st_mode & S_ISVTX != 0,
              let log = desk.status(of: DeskFolder.name(of: logPath)), log.st_mode & S_IFMT == S_IFREG else {
            return folder.st_uid
        }
        return log.st_uid
    }

    /// The owner of the desk at `location`: for a database desk, which has no log file to own
    /// the files this host keeps beside it, the account running the command (root is trusted
    /// besides, as always).
    public static func deskOwner(_ location: StoreLocation, logPath: String) throws -> uid_t {
        location.filePath == nil ? geteuid() : try deskOwner(logPath: logPath)
    }

    /// The bytes of `name` in `folder` (nil when there is none), refused unless the file and its
    /// folder are owned by root or `owner` and no one else may change them: the file not writable
    /// by group or others, the folder neither, or sticky (then no one may replace a file of
    /// theirs). A refusal names the file, `what` it is, and the commands that make it safe.
    public static func read(_ name: String, in folder: DeskFolder, what: String, owner: uid_t) throws -> [UInt8]? {
        let trusted: Set<uid_t> = [0, owner]
        let ownerName = Account.name(of: owner)
        let folderInfo = try folder.status()
        if !trusted.contains(folderInfo.st_uid) {
            throw LogError.unsafe(path: folder.path, reason: "(the folder of \(what)) belongs to \(Account.name(of: folderInfo.st_uid)), "
                + "not to root or the desk's owner \(ownerName); as root run: chown \(ownerName) \(folder.path)")
        }
        if folderInfo.st_mode & 0o022 != 0, folderInfo.st_mode & S_ISVTX == 0 {
            throw LogError.unsafe(path: folder.path, reason: "(the folder of \(what)) lets others replace files in it; "
                + "run: chmod +t \(folder.path)")
        }
        guard let fd = try folder.openFile(name, flags: O_RDONLY) else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw LogError.io(path: folder.pathOf(name), operation: "stat", errno: errno) }
        let path = folder.pathOf(name)
        if !trusted.contains(info.st_uid) {
            throw LogError.unsafe(path: path, reason: "(\(what)) belongs to \(Account.name(of: info.st_uid)), not to root or "
                + "the desk's owner \(ownerName), so it may not say what runs; check it, then as root run: "
                + "chown \(ownerName) \(path); chmod 640 \(path)")
        }
        if info.st_mode & 0o022 != 0 {
            throw LogError.unsafe(path: path, reason: "(\(what)) may be changed by others than its owner, so it may not say "
                + "what runs; check it, then run: chmod 640 \(path)")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { throw LogError.io(path: path, operation: "read", errno: errno) }
        bytes.removeSubrange(count...)
        return bytes
    }
}
