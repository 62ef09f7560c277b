import Foundation
import HelpdeskCore

/// The macro picker (`m`): the desk's macros filtered as you type over their names and texts;
/// Enter on one with a reply or note opens the editor on its text rendered for the ticket (sent,
/// it applies the macro with that text; an empty file applies nothing), and applies one without
/// text at once, saying what it did.
extension Console {
    /// The macros whose name or text holds every word of `filter` (any case), by name.
    public func macros(matching filter: String) -> [Macro] {
        let words = filter.lowercased().split(whereSeparator: \.isWhitespace)
        return desk.macros.values.filter { macro in
            let searched = (macro.name + "\n" + (macro.text?.template ?? "")).lowercased()
            return words.allSatisfy { searched.contains($0) }
        }.sorted { $0.name < $1.name }
    }

    func openMacroPicker(_ ticket: Ticket) {
        guard !desk.macros.isEmpty else {
            state.message = StatusMessage(text: "no macros yet: a supervisor saves them with helpdesk macro add", isError: true)
            return
        }
        state.mode = .pickMacro(MacroPicker(ticket: ticket.id))
    }

    func handlePicker(_ key: Key, _ picker: MacroPicker) -> Effect {
        var picker = picker
        switch (KeyTable.pickerKeys[key], key) {
        case (.cancel?, _):
            state.mode = .normal
            return .none
        case (.submit?, _):
            state.mode = .normal
            let matches = macros(matching: picker.filter)
            guard matches.indices.contains(picker.selection) else {
                state.message = StatusMessage(text: "no macro matches '\(picker.filter)'", isError: true)
                return .none
            }
            return apply(matches[picker.selection], to: picker.ticket)
        case (.moveDown?, _): picker.selection += 1
        case (.moveUp?, _): picker.selection -= 1
        case (_, .backspace):
            if !picker.filter.isEmpty { picker.filter.removeLast() }
            picker.selection = 0
        case (_, .character(let character)):
            picker.filter.append(character)
            picker.selection = 0
        default:
            return .none
        }
        picker.selection = min(max(picker.selection, 0), max(macros(matching: picker.filter).count - 1, 0))
        state.mode = .pickMacro(picker)
        return .none
    }

    private func apply(_ macro: Macro, to id: Int) -> Effect {
        if !state.marks.isEmpty {
            // On several tickets at once: its text rendered for each, not edited.
            let name = macro.name
            act(on: id, done: { "applied the macro \(name) to \($0)" }) { .applyMacro(ticket: $0, name: name, text: nil) }
            return .none
        }
        guard let ticket = desk.ticket(id) else {
            state.message = StatusMessage(text: Refusal(.notFound, .noSuchTicket(id)).message, isError: true)
            return .none
        }
        guard let kind = macro.text?.kind else {
            let name = macro.name
            appendDeciding(done: "applied the macro \(name) to #\(id)", { _, _ in .applyMacro(ticket: id, name: name, text: nil) },
                           finished: { [unowned self] appended in if appended { sayWhatWasApplied(name, to: id) } })
            return .none
        }
        let text: String
        do {
            text = try service.macroText(macro.name, ticket: id, on: desk) ?? ""
        } catch {
            state.message = StatusMessage(text: error.message, isError: true)
            return .none
        }
        return beginEditing(Draft(kind: kind == .note ? .note : .reply, ticket: id, text: text,
                                  seenMessages: ticket.messages.count, macro: macro.name))
    }

    /// "applied the macro triage to #4: changed priority normal → urgent; changed tags +vip": the
    /// ticket's events of its latest record.
    private func sayWhatWasApplied(_ name: String, to id: Int) {
        guard let history = desk.ticket(id)?.history, let last = history.last?.seq else { return }
        let done = history.filter { $0.seq == last }.map(\.event.summary)
        state.message = StatusMessage(text: "applied the macro \(name) to #\(id): " + done.joined(separator: "; "), isError: false)
    }
}
