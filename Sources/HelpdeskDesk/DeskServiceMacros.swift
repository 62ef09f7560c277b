import Foundation
import HelpdeskCore
import HelpdeskLog
import HelpdeskMail

extension DeskService {
    /// How the desk signs (`{{desk.name}}`): the mail configuration's name, else its address.
    public var deskName: String {
        let setup = mail ?? MailSetup.beside(logPath: log.path, location: log.location)
        return (try? setup.load(logPath: log.path))?.deskName ?? MailConfig().deskName
    }

    /// The text of macro `name` for ticket `id` of `desk`, as this service's agent would send it;
    /// nil for a macro without text.
    public func macroText(_ name: String, ticket id: Int, on desk: Desk) throws(Refusal) -> String? {
        guard let macro = desk.macros[name] else { throw Refusal(.notFound, "no macro \(name)") }
        guard let text = macro.text else { return nil }
        guard let ticket = desk.ticket(id) else { throw Refusal(.notFound, .noSuchTicket(id)) }
        let values = Macro.placeholderValues(ticket: ticket, agent: identity.actor, deskName: deskName, on: desk)
        return try MacroTemplate(text.template).render(values)
    }

    /// What the road does to a command before the rules decide it, on the same fresh desk: a
    /// macro's placeholders are checked as it is saved, and its text rendered as it is applied
    /// (unless the caller brings the text, rendered and perhaps edited), for each ticket of a bulk too.
    func prepared(_ command: Command, on desk: Desk) throws(Refusal) -> Command {
        if case .saveMacro(let macro, _) = command, let text = macro.text {
            _ = try MacroTemplate(text.template)
        }
        if case .applyMacro(let id, let name, nil) = command {
            return .applyMacro(ticket: id, name: name, text: try macroText(name, ticket: id, on: desk))
        }
        if case .bulk(let steps, let partial) = command {
            // A step that cannot be prepared is left for the rules to refuse, naming its ticket.
            return .bulk(steps.map { (try? prepared($0, on: desk)) ?? $0 }, partial: partial)
        }
        return command
    }

    /// The events `command` would come to now, decided as `perform` would on the desk caught up,
    /// and nothing written (`macro apply --dry-run`).
    public func decideWithoutWriting(_ command: Command) throws -> [Event] {
        try decisionWithoutWriting(command).events
    }

    /// The same, with what the rules report beyond the events (which tickets of a bulk may change).
    public func decisionWithoutWriting(_ command: Command) throws -> Rules.Decision {
        try log.catchUp()
        let desk = log.desk
        return try Rules.decision(try prepared(command, on: desk), by: identity.actor, at: clock(), on: desk)
    }
}
