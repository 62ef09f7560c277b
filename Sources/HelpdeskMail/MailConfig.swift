import Foundation
import HelpdeskCore
import HelpdeskLog
import Yams

/// The desk's mail settings: a YAML file, `<log>.mail/config.yaml` unless told otherwise.
///
/// ```yaml
/// address: support@acme.example      # From of every mail the desk sends; mail from it is a loop
/// name: Acme Support                 # the name that goes with it
/// reply_to: support@acme.example     # Reply-To (default: address)
/// subject_tag: "Acme #"              # subjects carry [Acme #42] (default "#": [#42])
/// sendmail: /usr/sbin/sendmail -t -i # the command that takes a message on stdin
/// sendmail_timeout: 60               # seconds before it is stopped
/// envelope_sender: bounces@acme.example  # sendmail -f (default: address; none: not passed)
/// acknowledge: false                 # mail the customer when their mail opens a ticket
/// acknowledgement:
///   subject: "We have your message: {subject}"
///   body: |
///     Hello {name}, … {tag} …
/// survey:                            # the satisfaction survey (helpdesk survey set), Mustache like macros
///   subject: "How did we do? {{ticket.subject}}"
///   body: "Hello {{customer.first_name}}, … 1 (poor) to 5 (great) …"
/// nps:                               # the recommendation survey (helpdesk survey nps)
///   subject: …
///   body: …
/// ```
public struct MailConfig: Equatable, Sendable {
    public var address: String?
    public var name: String?
    public var replyTo: String?
    public var subjectTag: String = "#"
    public var sendmail: String = Sendmail.defaultCommand
    public var sendmailTimeout: TimeInterval = 60
    /// The envelope sender (where bounces go) when it is not `address`; `none` in the file sets
    /// `passesEnvelopeSender` false.
    public var envelopeSender: String?
    public var passesEnvelopeSender = true
    public var acknowledge = false
    public var acknowledgementSubject = "We have your message: {subject} {tag}"
    public var acknowledgementBody = """
        Hello {name},

        Thank you for writing to us. Your message is ticket {ticket}; we will answer it as soon as we can.
        Please keep {tag} in the subject when you write about it again.

        {desk}
        """
    /// The surveys' texts: Mustache templates with the macros' placeholders.
    public var surveySubject = "How did we do? {{ticket.subject}}"
    public var surveyBody = """
        Hello {{customer.first_name}},

        Your request "{{ticket.subject}}" is solved. How did we do? Reply with a number from 1 (poor) to 5 (great), \
        and any comment.

        {{desk.name}}
        """
    public var npsSubject = "A quick question from {{desk.name}}"
    public var npsBody = """
        Hello {{customer.first_name}},

        How likely are you to recommend us to a friend or colleague? Reply with a number from 0 (not at all likely) \
        to 10 (extremely likely), and any comment.

        {{desk.name}}
        """
    /// The commands that deliver replies on chat, social and web tickets (`ChannelCommands`).
    public var channelCommands: [Channel: String] = [:]
    /// The largest file a reply may attach (`attachment_limit: 20MB`).
    public var attachmentLimit = 20 << 20
    /// Where it was read from, if anywhere.
    public var path: String?

    public init() {}

    public struct Invalid: Error, CustomStringConvertible {
        public var message: String
        /// Refused as unsafe (others could have written it), rather than wrong.
        public var unsafe = false
        public var description: String { message }
    }

    public static func defaultPath(forLog logPath: String) -> String {
        logPath + ".mail/config.yaml"
    }

    public var intakeSettings: IntakeSettings {
        IntakeSettings(subjectTag: subjectTag, acknowledge: acknowledge)
    }

    /// The desk's own addresses (mail from them is a loop).
    public var ownAddresses: [String] {
        [address, replyTo].compactMap { $0 }
    }

    /// The domain of the desk's Message-IDs.
    public var domain: String {
        address.flatMap { $0.split(separator: "@").last.map(String.init) } ?? "helpdesk.invalid"
    }

    /// Reads the file at `path` of the desk whose log is `logPath`; a missing file gives the
    /// defaults (mail in works without one). Its `sendmail:` line runs as whoever sends mail, so
    /// the file is read only when no one but root and the desk's owner can have written it (see
    /// `TrustedFile`); otherwise it is refused, naming the file and the fix. A database desk's
    /// configuration is always such a file of the host's, never in the database (anyone who may
    /// write there could make every host run their command): `logPath` is then where this host
    /// keeps the desk's files, and the owner it must have is root or the account running.
    public static func load(path: String, logPath: String, location: StoreLocation? = nil,
                            required: Bool = false) throws(Invalid) -> MailConfig {
        let bytes: [UInt8]?
        do {
            let location = location ?? .file(path: logPath)
            let owner = try TrustedFile.deskOwner(location, logPath: logPath)
            let folder: DeskFolder?
            if path == defaultPath(forLog: logPath) {
                // A host that keeps no files for a database desk has no configuration for it.
                let beside = location.filePath == nil && !FileManager.default.fileExists(atPath: logPath + ".mail")
                    ? nil : try DeskFolder.containing(logPath)
                folder = try beside?.folder(DeskFolder.name(of: logPath) + ".mail", create: false)
            } else {
                folder = try DeskFolder.containing(path)
            }
            bytes = try folder.flatMap { folder in
                try TrustedFile.read(DeskFolder.name(of: path), in: folder, what: "the mail configuration", owner: owner)
            }
        } catch {
            var unsafe = false
            if case LogError.unsafe = error { unsafe = true }
            throw Invalid(message: "\(error)", unsafe: unsafe)
        }
        let commands = try ChannelCommands.load(logPath: logPath, location: location ?? .file(path: logPath))
        guard let bytes else {
            if required { throw Invalid(message: "cannot read the mail configuration \(path): no such file") }
            var config = MailConfig()
            config.channelCommands = commands
            return config
        }
        var config = try parse(String(decoding: bytes, as: UTF8.self), path: path)
        config.channelCommands = commands
        return config
    }

    public static func parse(_ text: String, path: String) throws(Invalid) -> MailConfig {
        var config = MailConfig()
        config.path = path
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw Invalid(message: "\(path): not YAML: \(error)")
        }
        guard let node else { return config }
        guard let mapping = node.mapping else { throw Invalid(message: "\(path): expected keys such as address: and sendmail:") }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let line = keyNode.mark.map { "line \($0.line)" } ?? "?"
            func text() throws(Invalid) -> String {
                guard let string = value.string else { throw Invalid(message: "\(path), \(line): \(key) should be text") }
                return string
            }
            switch key {
            case "address":
                let address = try text().trimmingCharacters(in: .whitespaces)
                guard address.split(separator: "@").count == 2 else {
                    throw Invalid(message: "\(path), \(line): address '\(address)' is not an email address")
                }
                config.address = address
            case "name": config.name = try text()
            case "reply_to": config.replyTo = try text().trimmingCharacters(in: .whitespaces)
            case "subject_tag":
                let tag = try text()
                guard !tag.trimmingCharacters(in: .whitespaces).isEmpty, !tag.contains("["), !tag.contains("]") else {
                    throw Invalid(message: "\(path), \(line): subject_tag should be text such as \"#\" or \"Acme #\"")
                }
                config.subjectTag = tag
            case "sendmail": config.sendmail = try text()
            case "envelope_sender":
                let sender = try text().trimmingCharacters(in: .whitespaces)
                if sender == "none" {
                    config.passesEnvelopeSender = false
                } else {
                    guard sender.split(separator: "@").count == 2, Sendmail.isPlainAddress(sender) else {
                        throw Invalid(message: "\(path), \(line): envelope_sender '\(sender)' is not an email address (or none)")
                    }
                    config.envelopeSender = sender
                }
            case "sendmail_timeout":
                guard let seconds = value.float, seconds > 0 else {
                    throw Invalid(message: "\(path), \(line): sendmail_timeout should be a number of seconds")
                }
                config.sendmailTimeout = seconds
            case "attachment_limit":
                guard let text = value.string, let bytes = ByteSize.parse(text), bytes > 0 else {
                    throw Invalid(message: "\(path), \(line): attachment_limit should be a size, like 20MB or 500KB")
                }
                config.attachmentLimit = bytes
            case "acknowledge":
                guard let flag = value.bool else { throw Invalid(message: "\(path), \(line): acknowledge should be true or false") }
                config.acknowledge = flag
            case "acknowledgement":
                let texts = try subjectAndBody(key, value, path: path, line: line)
                config.acknowledgementSubject = texts.subject ?? config.acknowledgementSubject
                config.acknowledgementBody = texts.body ?? config.acknowledgementBody
            case "survey":
                let texts = try subjectAndBody(key, value, path: path, line: line)
                config.surveySubject = texts.subject ?? config.surveySubject
                config.surveyBody = texts.body ?? config.surveyBody
            case "nps":
                let texts = try subjectAndBody(key, value, path: path, line: line)
                config.npsSubject = texts.subject ?? config.npsSubject
                config.npsBody = texts.body ?? config.npsBody
            default:
                throw Invalid(message: "\(path), \(line): unknown key \(key)")
            }
        }
        return config
    }

    /// `subject:` and `body:` under `key` (each optional).
    private static func subjectAndBody(_ key: String, _ value: Node, path: String,
                                       line: String) throws(Invalid) -> (subject: String?, body: String?) {
        guard let inner = value.mapping else { throw Invalid(message: "\(path), \(line): \(key) should have subject: and body:") }
        var texts: (subject: String?, body: String?) = (nil, nil)
        for (innerKey, innerValue) in inner {
            let innerLine = innerKey.mark.map { "line \($0.line)" } ?? "?"
            guard let string = innerValue.string else {
                throw Invalid(message: "\(path), \(innerLine): \(key).\(innerKey.string ?? "") should be text")
            }
            switch innerKey.string {
            case "subject": texts.subject = string
            case "body": texts.body = string
            default: throw Invalid(message: "\(path), \(innerLine): unknown key \(key).\(innerKey.string ?? "")")
            }
        }
        return texts
    }

    /// The command that sends a mail: `sendmail:`, with `-f` and the envelope sender (so bounces
    /// come back to the desk, not to the account that sent) when the command is sendmail's or
    /// msmtp's and does not name a sender itself.
    public var sendmailCommand: String {
        guard passesEnvelopeSender, let sender = envelopeSender ?? address else { return sendmail }
        return Sendmail.withEnvelopeSender(sender, command: sendmail)
    }

    /// Fills `{name}`, `{ticket}`, `{tag}`, `{subject}`, `{desk}` in a template.
    public func render(_ template: String, customerName: String, ticket: Int, subject: String) -> String {
        template.replacingOccurrences(of: "{name}", with: customerName)
            .replacingOccurrences(of: "{ticket}", with: String(ticket))
            .replacingOccurrences(of: "{tag}", with: Intake.tag(ticket, prefix: subjectTag))
            .replacingOccurrences(of: "{subject}", with: subject)
            .replacingOccurrences(of: "{desk}", with: deskName)
    }

    /// How the desk signs: its name, else its address.
    public var deskName: String { name ?? address ?? "The support team" }
}
