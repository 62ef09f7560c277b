import ArgumentParser
import Foundation
import HelpdeskCore

extension LinkKind: ExpressibleByArgument {}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge a ticket into another: its conversation, attachments and mail move there; it ends closed.")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "The ticket merged (it ends closed, merged into TARGET).") var source: Int
    @Argument(help: "The ticket that takes its conversation and mail.") var target: Int

    func run() throws {
        try desk.perform(.merge(source: source, target: target))
        print("merged ticket \(source) into \(target)")
    }
}

struct LinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link", abstract: "Link two tickets: OTHER becomes ID's related ticket, parent, child or duplicate.")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "Ticket id.") var id: Int
    @Argument(help: "The ticket linked to it.") var other: Int
    @Option(help: "What OTHER is to ID: \(LinkKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: LinkKind = .related

    func run() throws {
        try desk.perform(.link(ticket: id, other: other, kind: kind))
        print("linked: \(kind.sentence(other, of: id))")
    }
}

struct UnlinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unlink", abstract: "Remove the link between two tickets.")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "Ticket id.") var id: Int
    @Argument(help: "The ticket linked to it.") var other: Int

    func run() throws {
        try desk.perform(.unlink(ticket: id, other: other))
        print("unlinked tickets \(id) and \(other)")
    }
}

struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Undo your own last change on a ticket (within 10 minutes, when nobody changed it since).",
        discussion: "Without ID: your last change on any ticket. Mail that went out cannot be unsent; a note is withdrawn.")
    @OptionGroup var desk: DeskOptions
    @Argument(help: "Ticket id (default: the ticket you changed last).") var id: Int?

    func run() throws {
        let performed = try desk.perform(.undo(ticket: id))
        guard case .changeUndone(let ticket, _, let what, _)? = performed.record?.events.first else { return }
        Output.say("undid your last change on ticket \(ticket): \(what)")
    }
}

/// Solving a parent whose children are still open is allowed, with a word about them.
enum OpenChildren {
    static func warning(_ desk: Desk, solved id: Int) -> String? {
        let children = desk.openChildren(of: id)
        guard !children.isEmpty else { return nil }
        return "warning: ticket \(id) has open children: " + children.map { "#\($0)" }.joined(separator: ", ")
    }
}
