import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskLog

/// `view save|list|remove`: listings saved under a name for the whole desk; `list --view NAME`.
struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Saved views: list's filters under a name, for the whole desk (supervisors save them).",
        subcommands: [Save.self, List.self, Remove.self])

    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "save",
            abstract: "Save list's filters and order under a name (supervisors); `helpdesk list --view NAME` uses them.",
            discussion: "--mine is kept as such: it means whoever uses the view.")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The view's name: one word.") var name: String
        @OptionGroup var filters: ListFilters
        @Flag(help: "Replace the view of that name.") var replace = false

        func run() throws {
            let performed = try desk.perform(.saveView(filters.savedView(name: name), replacing: replace))
            let saved = performed.desk.views[name]
            Output.say("saved the view \(name)" + (saved.map { ": " + ViewCommand.described($0) } ?? ""))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the saved views.")
        @OptionGroup var desk: DeskOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let state = try desk.openForReading().desk
            let views = state.views.keys.sorted().compactMap { state.views[$0] }
            if json {
                Output.printJSON(.array(views.map(ViewCommand.json)))
                return
            }
            Output.printTable(header: ["NAME", "FILTERS"], rows: views.map { [$0.name, ViewCommand.described($0)] })
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a saved view (supervisors).")
        @OptionGroup var desk: DeskOptions
        @Argument(help: "The view's name.") var name: String

        func run() throws {
            try desk.perform(.removeView(name: name))
            Output.say("removed the view \(name)")
        }
    }

    /// Its filters as list's flags, or what it shows without any.
    static func described(_ view: SavedView) -> String {
        view.arguments.isEmpty ? "(every ticket that is not closed, by id)" : view.arguments.joined(separator: " ")
    }

    static func json(_ view: SavedView) -> JSONValue {
        .object([
            ("name", .string(view.name)),
            ("status", JSONValue(view.allStatuses ? "all" : view.status?.rawValue)),
            ("mine", .bool(view.assignment == .mine)), ("assignee", JSONValue(view.agent)),
            ("unassigned", .bool(view.assignment == .unassigned)), ("tier", JSONValue(view.tier)),
            ("priority", JSONValue(view.priority?.rawValue)), ("tags", .array(view.tags.map(JSONValue.string))),
            ("channel", JSONValue(view.channel?.rawValue)), ("sort", JSONValue(view.sort?.rawValue)),
            ("group", JSONValue(view.group)),
            ("text", JSONValue(view.text)),
            ("arguments", .array(view.arguments.map(JSONValue.string))),
        ])
    }
}
