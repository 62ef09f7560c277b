import ArgumentParser
import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskLog

/// `helpdesk bulk ACTION [ARGS] (--ids 3,4,5 | --view NAME | --stdin)`: one action on many
/// tickets in one record, all or none (or `--partial`), one line per ticket.
struct BulkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulk", abstract: "Do one action on many tickets in one record: all of them or none.",
        discussion: """
            ACTION is \(BulkAction.names). If any ticket is refused nothing is written and every refusal \
            is named (exit 1); --partial applies to the tickets that may be changed and reports the rest \
            (exit 0 when at least one was changed).
            """)
    @OptionGroup var desk: DeskOptions
    @Argument(help: "The action.") var action: String
    @Argument(parsing: .allUnrecognized, help: "The action's words: AGENT, P, +TAG/-TAG or NAME.") var words: [String] = []
    @Option(help: "Ticket ids, separated by commas.") var ids: String?
    @Option(help: "The tickets a saved view lists (see `helpdesk view`).") var view: String?
    @Flag(help: "Read ticket ids from standard input (separated by lines, spaces or commas).") var stdin = false
    @Option(help: "Why the tickets need a higher tier (escalate).") var reason: String?
    @Option(help: "The tier to escalate to (escalate; default: one up).") var tier: Int?
    @Option(name: .customLong("in"), help: "Due after this long (follow-up): 90s, 15m, 2h, 3d or 1h30m.",
            transform: { try DurationText.parse($0) })
    var after: TimeInterval?
    @Flag(help: "Apply to the tickets that may be changed and report the others.") var partial = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var mail: MailOptions

    func validate() throws {
        guard [ids != nil, view != nil, stdin].filter({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --ids, --view or --stdin")
        }
        _ = try BulkAction(action, words: words, reason: reason, tier: tier, after: after)
    }

    func run() throws {
        let action = try BulkAction(action, words: words, reason: reason, tier: tier, after: after)
        let given: [Int]? = if let ids { try TicketIDList.parse(ids, from: "--ids") }
            else if stdin { try TicketIDList.parse(String(decoding: FileHandle.standardInput.readDataToEndOfFile(),
                                                                 as: UTF8.self), from: "standard input") }
            else { nil }
        let me = given == nil ? try desk.actAs ?? Identity.currentAccount() : ""
        let viewName = view
        var chosen: [Int] = []
        let performed = try desk.perform(mail: mail) { desk, now throws(Refusal) in
            if let given { chosen = given } else { chosen = try Self.tickets(ofView: viewName ?? "", for: me, on: desk, now: now) }
            return .bulk(chosen.map { action.step($0, now: now) }, partial: partial)
        }
        guard case .bulk(let result)? = performed.outcome else { return }
        let reasons = Dictionary(result.refused.map { ($0.ticket, $0.reason) }, uniquingKeysWith: { first, _ in first })
        var answer = Answer()
        if json {
            answer.json(.array(chosen.map { id in
                .object([("id", .int(Int64(id))), ("result", .string(reasons[id] == nil ? "applied" : "refused")),
                         ("error", reasons[id].map { .string($0) } ?? .null)])
            }))
        } else {
            for id in chosen { answer.line("#\(id) " + (reasons[id].map { "refused: \($0)" } ?? action.done)) }
            if let mail = performed.mail { answer.line(mail.words) }
        }
        answer.write()
    }

    /// The tickets a saved view lists now, as `list --view` shows them.
    private static func tickets(ofView name: String, for me: String, on desk: Desk, now: Date) throws(Refusal) -> [Int] {
        guard let saved = desk.views[name] else { throw Refusal(.notFound, "no view \(name)") }
        return desk.tickets(matching: saved.query(for: saved.assignment == .mine ? me : ""), now: now).map(\.id)
    }
}
