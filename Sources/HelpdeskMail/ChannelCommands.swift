import Foundation
import HelpdeskCore
import HelpdeskLog
import Yams
#if canImport(Glibc)
import Glibc
#endif

/// The commands that take replies to chat, social and web customers (`helpdesk channel set`):
/// `<log>.mail/channels.yaml`, one `channel: command` a line. The desk runs them for whoever
/// replies, so, like the mail configuration, the file is read only when no one but root and the
/// desk's owner can have written it, and only they may set it.
public enum ChannelCommands {
    public static let fileName = "channels.yaml"
    /// The channels a bridge can deliver to (mail has sendmail; phone and in person have none).
    public static let deliverable: [Channel] = [.chat, .social, .web]

    /// The commands set for the desk whose log (or, for a database desk, files on this host) is at `logPath`.
    public static func load(logPath: String, location: StoreLocation) throws(MailConfig.Invalid) -> [Channel: String] {
        let bytes: [UInt8]?
        do {
            guard let folder = try mailFolder(logPath: logPath, location: location, create: false) else { return [:] }
            bytes = try TrustedFile.read(fileName, in: folder, what: "the channels' delivery commands",
                                         owner: try TrustedFile.deskOwner(location, logPath: logPath))
        } catch {
            throw MailConfig.Invalid(message: "\(error)", unsafe: { if case LogError.unsafe = error { true } else { false } }())
        }
        guard let bytes else { return [:] }
        return try parse(String(decoding: bytes, as: UTF8.self), path: logPath + ".mail/" + fileName)
    }

    static func parse(_ text: String, path: String) throws(MailConfig.Invalid) -> [Channel: String] {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw MailConfig.Invalid(message: "\(path): not YAML: \(error)")
        }
        guard let node else { return [:] }
        guard let mapping = node.mapping else { throw MailConfig.Invalid(message: "\(path): should map channels to commands") }
        var commands: [Channel: String] = [:]
        for (key, value) in mapping {
            let line = key.mark.map { "line \($0.line)" } ?? "?"
            guard let name = key.string, let channel = Channel(rawValue: name), deliverable.contains(channel) else {
                throw MailConfig.Invalid(message: "\(path), \(line): \(key.string ?? "?") is not a channel replies are "
                                         + "delivered to by a command (\(deliverable.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let command = value.string, !command.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw MailConfig.Invalid(message: "\(path), \(line): \(name) should be a command")
            }
            commands[channel] = command
        }
        return commands
    }

    /// Writes `commands` in place of the file's (a new file renamed over it, so a reader sees the
    /// old or the new). Refused unless this account is root or the desk's owner: only their file is read.
    public static func save(_ commands: [Channel: String], logPath: String, location: StoreLocation) throws {
        let owner = try TrustedFile.deskOwner(location, logPath: logPath)
        guard geteuid() == 0 || geteuid() == owner else {
            throw LogError.unsafe(path: logPath + ".mail/" + fileName, reason: "is read only when root or the desk's owner "
                + "(\(Account.name(of: owner))) wrote it: the desk runs its commands for everyone; ask them to set it")
        }
        guard let folder = try mailFolder(logPath: logPath, location: location, create: true) else {
            throw LogError.io(path: logPath + ".mail", operation: "create directory", errno: ENOENT)
        }
        var text = "# Written by helpdesk channel set: the command that takes each reply on a channel (JSON on stdin).\n"
        for channel in deliverable {
            guard let command = commands[channel] else { continue }
            text += "\(channel.rawValue): \(try Yams.serialize(node: Node(command)).trimmingCharacters(in: .newlines))\n"
        }
        let (name, fd) = try folder.createTemporary(prefix: ".channels.", mode: 0o640)
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced else {
            _ = folder.removeOwnFile(name)
            throw LogError.io(path: folder.pathOf(fileName), operation: "write", errno: errno)
        }
        try folder.rename(name, to: fileName)
        try folder.sync()
    }

    /// `<log>.mail`, the folder of the desk's mail files.
    private static func mailFolder(logPath: String, location: StoreLocation, create: Bool) throws -> DeskFolder? {
        if location.filePath == nil, !create, !FileManager.default.fileExists(atPath: logPath + ".mail") { return nil }
        return try DeskFolder.containing(logPath).folder(DeskFolder.name(of: logPath) + ".mail", create: create)
    }
}
