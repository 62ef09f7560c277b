import Foundation
import HelpdeskCore

/// The bottom line: who and where, whether the desk is live, counts; or the prompt or message.
struct StatusLine {
    let console: Console
    let live: Bool

    func draw(in rect: Rect, grid: CellGrid) {
        grid.fill(row: rect.row, column: rect.column, width: rect.columns, role: .statusLine)
        let state = console.state
        switch state.mode {
        case .prompt(let kind, let text):
            let label: String = switch kind {
            case .filter: "/"
            case .give(let id): "give \(console.targetWords(id)) to (Tab completes): "
            case .followUp(let id): "follow up \(console.targetWords(id)) in/at (2h, tomorrow 09:00, fri; empty clears): "
            case .escalate(let id): "escalate \(console.targetWords(id)), reason: "
            case .tags(let id): "tags for \(console.targetWords(id)) (+tag -tag): "
            case .merge(let id): "merge #\(id) into ticket: "
            case .link(let id): "link #\(id) to (OTHER [related|parent|child|duplicate]; -OTHER unlinks): "
            case .attach(let id): "attach to the reply on #\(id), file: "
            }
            grid.draw(label + text + "▏", row: rect.row, column: rect.column, width: rect.columns, role: .prompt)
            return
        case .question(.applyToOthers(let refusal, let steps, _)):
            // The offer stays in sight however long the refusals are.
            drawEnding(refusal, with: " · apply to the other \(steps.count)? [y/n]", in: rect, grid: grid)
            return
        case .question(let question):
            let text: String = switch question {
            case .priority(let id): "priority of \(console.targetWords(id)): [l]ow [n]ormal [h]igh [u]rgent"
            case .view: "view: " + (QueueViewKind.allCases.map { "[\($0.key)] \($0.rawValue)" }
                                    + console.savedViewChoices.enumerated().map { "[\($0.offset + 1)] \($0.element.name)" })
                .joined(separator: "  ")
            case .steal(let id, let from): "take #\(id) from \(from)? [y/n]"
            case .solveParent(let id, let children):
                "#\(id) has open children " + children.map { "#\($0)" }.joined(separator: ", ") + ": solve it anyway? [y/n]"
            case .quit: "unsent drafts on " + state.drafts.keys.sorted().map { "#\($0)" }.joined(separator: ", ") + ": quit anyway? [y/n]"
            case .collision: "the conversation moved on: [s]end anyway, [e]dit again, [d]iscard"
            case .applyToOthers: ""  // drawn above
            }
            grid.draw(text, row: rect.row, column: rect.column, width: rect.columns, role: .prompt)
            return
        case .compose:
            grid.draw("writing: " + KeyTable.standard.hints([.compose], separator: " · ", allKeys: true), row: rect.row, column: rect.column,
                      width: rect.columns, role: .statusLine)
            return
        case .pickMacro(let picker):
            grid.draw("macro for \(console.targetWords(picker.ticket)): type to filter · ↑↓ choose · " + KeyTable.standard.hints([.picker], separator: " · "),
                      row: rect.row, column: rect.column, width: rect.columns, role: .prompt)
            return
        case .waitingForLog:
            grid.draw("waiting for the log… \(console.secondsWaitedForLog ?? 0) s (another process holds its lock) · Esc cancels",
                      row: rect.row, column: rect.column, width: rect.columns, role: .prompt)
            return
        case .normal, .help:
            break
        }
        if let reason = state.reconnecting {
            grid.fill(row: rect.row, column: rect.column, width: rect.columns, role: .warning)
            grid.draw("reconnecting… " + (state.message?.text ?? reason), row: rect.row, column: rect.column,
                      width: rect.columns, role: .warning)
            return
        }
        if let message = state.message {
            grid.draw(message.text, row: rect.row, column: rect.column, width: rect.columns,
                      role: message.isError ? .error : .statusLine)
            return
        }
        let mine = console.queue.mine
        // A console looking at the past starts with the moment, in the warning colour.
        let moment = console.travel.map { " looking at \($0.words) · read-only " } ?? ""
        let momentWidth = min(TextWidth.columns(of: moment), rect.columns)
        let following = console.travel == nil ? " · \(live ? "live" : "not following")" : ""
        let left = " \(console.me) · \((console.log.path as NSString).lastPathComponent)\(following)"
            + " · \(console.queue.ids.count) in view · \(mine) mine" + (console.availabilityWord.map { " · \($0)" } ?? "")
            + (state.marks.isEmpty ? "" : " · \(state.marks.count) marked")
        let right = KeyTable.standard.hints([.console], separator: "  ") + " "
        if momentWidth > 0 {
            grid.draw(moment, row: rect.row, column: rect.column, width: momentWidth, role: .warning)
        }
        grid.draw(left, row: rect.row, column: rect.column + momentWidth, width: rect.columns - momentWidth, role: .statusLine)
        let rightWidth = TextWidth.columns(of: right)
        if rect.columns > momentWidth + TextWidth.columns(of: left) + rightWidth {
            grid.draw(right, row: rect.row, column: rect.column + rect.columns - rightWidth, width: rightWidth, role: .statusLine)
        }
    }

    /// `text` cut to leave room for `ending`, which is always drawn whole after it.
    private func drawEnding(_ text: String, with ending: String, in rect: Rect, grid: CellGrid) {
        let endingWidth = min(TextWidth.columns(of: ending), rect.columns)
        let room = rect.columns - endingWidth
        let shown = TextWidth.columns(of: text) <= room ? text : TextWidth.truncate(text, to: max(room - 1, 0)) + "…"
        grid.draw(shown + ending, row: rect.row, column: rect.column, width: rect.columns, role: .prompt)
    }
}
