import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A folder of the desk (the log's, or one beside it) held by its descriptor. Every file and
/// folder the desk creates, writes, chmods or deletes in it is reached relative to that
/// descriptor and never through a symlink, so a member of the desk's group (who may create
/// entries here) cannot send the desk's writes, modes or deletions to someone else's file.
public final class DeskFolder: @unchecked Sendable {
    public let path: String
    public let fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// The folder holding `file` (the log's folder: the user chose it, so it may be reached through symlinks).
    public static func containing(_ file: String) throws -> DeskFolder {
        let directory = (file as NSString).deletingLastPathComponent
        let path = directory.isEmpty ? "." : directory
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw LogError.io(path: path, operation: "open directory", errno: errno) }
        return DeskFolder(path: path, fd: fd)
    }

    /// The last component of `file`: its name in the folder `containing(file)` opens.
    public static func name(of file: String) -> String {
        (file as NSString).lastPathComponent
    }

    public func pathOf(_ name: String) -> String {
        path == "." ? name : path + "/" + name
    }

    /// The folder's own status (owner, mode).
    public func status() throws -> stat {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw LogError.io(path: path, operation: "stat", errno: errno) }
        return info
    }

    /// The entry `name` as it is, a symlink included (never followed); nil when there is none.
    public func status(of name: String) -> stat? {
        var info = stat()
        return fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 ? info : nil
    }

    /// The folder `name` in this one; with `create`, made when missing. It is shared: members of
    /// the group create files in it, so it must be sticky (none can remove or replace another's
    /// file) when others may write in it. A missing sticky bit is added when this account owns the
    /// folder (or is root); otherwise the folder is refused, with the command that fixes it.
    public func folder(_ name: String, create: Bool) throws -> DeskFolder? {
        let shown = pathOf(name)
        if create, mkdirat(fd, name, 0o3770) == 0 {
            let made = try folder(name, create: false)!
            guard fchmod(made.fd, 0o3770) == 0 else { throw LogError.io(path: shown, operation: "chmod", errno: errno) }
            try sync()
            return made
        } else if create, errno != EEXIST {
            throw LogError.io(path: shown, operation: "create directory", errno: errno)
        }
        let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard child >= 0 else {
            if errno == ENOENT { return nil }
            if errno == ELOOP || errno == ENOTDIR {
                throw LogError.unsafe(path: shown, reason: "is not a folder (a symlink or a file); remove it")
            }
            throw LogError.io(path: shown, operation: "open directory", errno: errno)
        }
        let folder = DeskFolder(path: shown, fd: child)
        let info = try folder.status()
        if info.st_mode & 0o022 != 0, info.st_mode & S_ISVTX == 0 {
            if info.st_uid == geteuid() || geteuid() == 0 {
                guard fchmod(child, (info.st_mode & 0o7777) | S_ISVTX) == 0 else {
                    throw LogError.io(path: shown, operation: "chmod +t", errno: errno)
                }
            } else {
                throw LogError.unsafe(path: shown, reason: "lets any member of its group replace others' files; "
                    + "its owner (\(Account.name(of: info.st_uid))) or root must run: chmod +t \(shown)")
            }
        }
        return folder
    }

    /// Opens the regular file `name` (never through a symlink, never a device or a pipe);
    /// nil when there is none.
    public func openFile(_ name: String, flags: Int32) throws -> Int32? {
        let fd = openat(fd, name, flags | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            if errno == ELOOP { throw LogError.unsafe(path: pathOf(name), reason: "is a symlink; remove it") }
            throw LogError.io(path: pathOf(name), operation: "open", errno: errno)
        }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw LogError.unsafe(path: pathOf(name), reason: "is not a regular file; remove it")
        }
        return fd
    }

    /// Creates the file `name`, which must not exist yet, with `mode` whatever the umask.
    public func createFile(_ name: String, mode: mode_t = 0o660, flags: Int32 = O_RDWR) throws -> Int32 {
        let fd = openat(fd, name, flags | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else {
            if errno == EEXIST { throw LogError.alreadyExists(path: pathOf(name)) }
            throw LogError.io(path: pathOf(name), operation: "create", errno: errno)
        }
        guard fchmod(fd, mode) == 0 else {
            let code = errno
            close(fd)
            unlinkat(self.fd, name, 0)
            throw LogError.io(path: pathOf(name), operation: "chmod", errno: code)
        }
        return fd
    }

    /// A new file named `prefix` and a random suffix, as mkstemp makes it: created only if no
    /// entry has that name, so no one can have planted anything under it.
    public func createTemporary(prefix: String, mode: mode_t = 0o660) throws -> (name: String, fd: Int32) {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        for _ in 0..<100 {
            let name = prefix + String((0..<12).map { _ in letters.randomElement()! })
            do {
                return (name, try createFile(name, mode: mode))
            } catch LogError.alreadyExists {
                continue
            }
        }
        throw LogError.io(path: pathOf(prefix + "…"), operation: "create a temporary file", errno: EEXIST)
    }

    /// Opens the lock file `name` that every member of the group opens, creating it (mode 0660
    /// whatever the umask, so any member can lock it) when missing. Refused when it is not a
    /// regular file with one link (a symlink or a hard link planted to reach another file).
    public func openShared(_ name: String) throws -> Int32 {
        while true {
            // An existing file is opened (`openFile`: O_NOFOLLOW, a regular file only), never
            // created over: in a sticky folder fs.protected_regular refuses that for a file of
            // another's. Only a missing one is created (`createFile`: O_EXCL|O_NOFOLLOW).
            if let fd = try openFile(name, flags: O_RDWR) {
                var info = stat()
                guard fstat(fd, &info) == 0, info.st_nlink == 1 else {
                    close(fd)
                    throw LogError.unsafe(path: pathOf(name), reason: "has other names (a hard link); remove it")
                }
                if info.st_uid == geteuid(), info.st_mode & 0o777 != 0o660 { _ = fchmod(fd, 0o660) }
                return fd
            }
            do {
                return try createFile(name)
            } catch LogError.alreadyExists {
                continue
            }
        }
    }

    /// Renames `from` (in this folder) to `to` in `target` (this folder unless told).
    public func rename(_ from: String, to: String, in target: DeskFolder? = nil) throws {
        let destination = target ?? self
        guard renameat(fd, from, destination.fd, to) == 0 else {
            throw LogError.io(path: destination.pathOf(to), operation: "rename", errno: errno)
        }
    }

    /// Links `from` (in this folder) as `to` in `target`, never replacing what is there;
    /// false when `to` exists.
    public func link(_ from: String, to: String, in target: DeskFolder) throws -> Bool {
        if linkat(fd, from, target.fd, to, 0) == 0 { return true }
        if errno == EEXIST { return false }
        throw LogError.io(path: target.pathOf(to), operation: "link", errno: errno)
    }

    /// Removes `name` if it is a regular file owned by this account (or one of `owners`): a
    /// symlink or anyone else's file is left alone. Returns whether it did.
    @discardableResult
    public func removeOwnFile(_ name: String, owners: Set<uid_t>? = nil) -> Bool {
        guard let info = status(of: name), info.st_mode & S_IFMT == S_IFREG,
              (owners ?? [geteuid()]).contains(info.st_uid) else { return false }
        return unlinkat(fd, name, 0) == 0
    }

    /// The names in the folder.
    public func names() -> [String] {
        let copy = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard copy >= 0, let directory = fdopendir(copy) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// The bytes of the regular file `name` (at most `limit`), never through a symlink; nil when
    /// it is missing or unreadable.
    public func read(_ name: String, limit: Int = 1 << 20) -> (bytes: [UInt8], owner: uid_t)? {
        guard let fd = try? openFile(name, flags: O_RDONLY) else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: min(Int(info.st_size), limit))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, $0.count - done, off_t(done)) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { break }
            done += n
        }
        bytes.removeSubrange(done...)
        return (bytes, info.st_uid)
    }

    public func sync() throws {
        guard fsync(fd) == 0 else { throw LogError.io(path: path, operation: "fsync directory", errno: errno) }
    }
}

/// Account names and ids, from the password database.
public enum Account {
    public static func name(of uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }

    public static func uid(of name: String) -> uid_t? {
        getpwnam(name).map { $0.pointee.pw_uid }
    }
}
