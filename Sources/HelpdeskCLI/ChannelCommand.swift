import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskMail

/// `channel set|list`: the commands that take replies to customers on chat, social and web tickets.
struct ChannelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channel",
        abstract: "How replies reach customers who wrote on chat, social media or a web form.",
        discussion: """
            A reply on such a ticket goes through the outbox like mail: helpdesk deliver (and the reply itself) runs \
            the channel's command with /bin/sh, one JSON object on stdin: {"id","channel","external_id","ticket",\
            "customer":{"email","name","phone"},"body","attachments":[{"name","type","size","sha256","content_base64"}]}; \
            exit 0 means delivered, anything else is retried with backoff; "id" is the same on every try. A channel \
            without a command records its replies as NOT SENT (reach the customer another way). The commands are kept \
            in LOG.mail/channels.yaml and, like the mail configuration, only root or the desk's owner may set them.
            """,
        subcommands: [Set.self, List.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Set (or with --none remove) a channel's delivery command.")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "chat, social or web.") var channel: Channel
        @Option(help: "The command (run by /bin/sh) that takes one reply as JSON on stdin.") var send: String?
        @Flag(help: "Remove the channel's command: its replies are recorded as not sent.") var none = false

        func validate() throws {
            guard (send != nil) != none else { throw ValidationError("give --send COMMAND or --none") }
            guard ChannelCommands.deliverable.contains(channel) else {
                throw ValidationError("replies on \(channel.rawValue) are not delivered by a command; "
                                      + "use one of \(ChannelCommands.deliverable.map(\.rawValue).joined(separator: ", "))")
            }
            if let send, send.trimmingCharacters(in: .whitespaces).isEmpty || send.contains(where: \.isNewline) {
                throw ValidationError("--send takes one line of shell")
            }
        }

        func run() throws {
            var commands = try ChannelCommand.commands(desk)
            commands[channel] = send
            try ChannelCommands.save(commands, logPath: desk.logPath, location: desk.location)
            Output.say(send.map { "replies on \(channel.rawValue) go to: \($0)" }
                       ?? "replies on \(channel.rawValue) are recorded as not sent")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The channels' delivery commands.")
        @OptionGroup var desk: DeskOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let commands = try ChannelCommand.commands(desk)
            if json {
                Output.printJSON(.array(ChannelCommands.deliverable.map {
                    .object([("channel", .string($0.rawValue)), ("send", JSONValue(commands[$0]))])
                }))
                return
            }
            Output.printTable(header: ["CHANNEL", "DELIVERY"], rows: ChannelCommands.deliverable.map {
                [$0.rawValue, commands[$0] ?? "(none: replies are recorded as not sent)"]
            })
        }
    }

    static func commands(_ desk: DeskOptions) throws -> [Channel: String] {
        do {
            return try ChannelCommands.load(logPath: desk.logPath, location: desk.location)
        } catch {
            throw UserError(message: error.message, code: error.unsafe ? ExitStatus.unsafe : ExitStatus.usage)
        }
    }
}
