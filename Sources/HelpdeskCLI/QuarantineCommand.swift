import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog
import HelpdeskMail

/// `helpdesk quarantine list|show|release`: mail that ingest kept aside instead of dropping.
struct QuarantineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "Mail kept aside by ingest (unreadable, or automatic mail for no ticket): list, show, release.",
        subcommands: [QuarantineList.self, QuarantineShow.self, QuarantineRelease.self],
        defaultSubcommand: QuarantineList.self)
}

struct QuarantineList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List quarantined mail, oldest first.")
    @OptionGroup var desk: DeskOptions
    @Flag(help: "Also list mail released from the quarantine.") var released = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = MailStore(location: desk.location)
        let waiting = try reading { () throws(StoreError) in try store.quarantined() }
        let entries = waiting + (released ? try reading { () throws(StoreError) in try store.released() } : [])
        if json {
            Output.printJSON(.array(entries.map { entry in
                .object([("id", .string(entry.sha256)), ("received_at", Output.time(entry.receivedAt)),
                         ("size", JSONValue(entry.size)), ("from", JSONValue(entry.from)),
                         ("subject", JSONValue(entry.subject)), ("reason", .string(entry.reason)),
                         ("released", .bool(!waiting.contains(entry)))])
            }))
            return
        }
        if entries.isEmpty {
            print("the quarantine is empty")
            return
        }
        Output.printTable(header: ["ID", "RECEIVED", "SIZE", "FROM", "SUBJECT", "REASON"], rows: entries.map {
            [String($0.sha256.prefix(12)), Timestamp.format($0.receivedAt), ChannelOutput.size($0.size), $0.from ?? "-",
             $0.subject ?? "-", $0.reason]
        }, maxWidth: [3: 32, 4: 40])
    }
}

/// Finds one quarantined entry by the start of its id.
func quarantineEntry(_ prefix: String, in store: MailStore) throws -> QuarantineEntry {
    let matches = try reading { () throws(StoreError) in try store.quarantined(matching: prefix) }
    guard matches.count == 1 else {
        throw Refusal(matches.isEmpty ? .notFound : .invalid, matches.isEmpty
                      ? "no quarantined mail \(prefix) (ids are listed by helpdesk quarantine list; give at least 4 characters)"
                      : "\(prefix) names \(matches.count) quarantined mails; give more of the id")
    }
    return matches[0]
}

/// The quarantine as the store has it; a store that cannot be read is an I/O error (exit 74).
func reading<T>(_ body: () throws(StoreError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw UserError(message: "\(error)", code: ExitStatus.io)
    }
}

struct QuarantineShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a quarantined mail, headers and all.")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "Its id (the first characters are enough).") var id: String
    @Flag(help: "Write the raw message, byte for byte, to standard output (or to -o FILE).") var raw = false
    @Option(name: .shortAndLong, help: "With --raw: write it to this file instead.") var output: String?
    @Flag(help: "With --raw: write it to standard output even when it is a terminal.") var force = false

    func validate() throws {
        if !raw, output != nil || force { throw ValidationError("-o and --force go with --raw") }
    }

    func run() throws {
        let store = MailStore(location: desk.location)
        let entry = try quarantineEntry(id, in: store)
        let bytes: [UInt8]
        do {
            bytes = try store.get(entry.sha256)
        } catch {
            throw UserError(message: "\(error)", code: ExitStatus.io)
        }
        if raw {
            try BinaryOutput.write(bytes, what: "the raw message", to: output, force: force)
            return
        }
        print("id \(entry.sha256)")
        print("received \(Timestamp.format(entry.receivedAt)) · \(ChannelOutput.size(entry.size))")
        print(VisibleText.sanitize("reason: \(entry.reason)"))
        if let from = entry.from { print(VisibleText.sanitize("from \(from)")) }
        if let subject = entry.subject { print(VisibleText.sanitize("subject \(subject)")) }
        print("")
        let shown = bytes.prefix(64 * 1024)
        print(VisibleText.sanitize(Charset.decode(Array(shown), charset: nil), keepNewlines: true))
        if bytes.count > shown.count { print("… (\(bytes.count - shown.count) more bytes: use --raw)") }
    }
}

struct QuarantineRelease: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Put a quarantined mail on a ticket after all.",
        discussion: """
            A mail that can be read is taken as ingest would, except that automatic mail is treated as \
            a person's (it opens a ticket if it belongs to none). A mail that cannot be read needs \
            --from: it opens a ticket for that customer with the raw message attached.
            """)
    @OptionGroup var desk: DeskOptions
    @OptionGroup var mail: MailOptions
    @Argument(help: "Its id (the first characters are enough).") var id: String
    @Option(help: "The customer it is from (required when the mail cannot be read).") var from: String?
    @Option(help: "The ticket it belongs to.") var ticket: Int?

    func run() throws {
        let store = MailStore(location: desk.location)
        let entry = try quarantineEntry(id, in: store)
        let config = try mail.load(logPath: desk.logPath, location: desk.location)
        let result: IntakeResult?
        do {
            result = try ReleaseFromQuarantine(desk: try desk.service(), config: config, store: store)
                .release(entry, from: from, ticket: ticket)
        } catch let failure as ReleaseFromQuarantine.Failure {
            switch failure {
            case .unreadableWithoutSender: throw UserError(message: failure.description, code: ExitStatus.usage)
            case .store: throw UserError(message: failure.description, code: ExitStatus.io)
            }
        }
        switch result {
        case .opened(let id)?: print("released \(entry.sha256.prefix(12)): opened ticket \(id)")
        case .added(let id, _)?: print("released \(entry.sha256.prefix(12)): added to ticket \(id)")
        case .duplicate(let id)?: print("released \(entry.sha256.prefix(12)): it was already on ticket \(id)")
        case .setAside, nil: print("released \(entry.sha256.prefix(12))")
        }
    }
}
