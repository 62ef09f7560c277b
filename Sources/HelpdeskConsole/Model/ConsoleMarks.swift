import Foundation
import HelpdeskCore

/// Marks (`Space`, `*`, `Esc`): with tickets marked, the keys for assigning and changing act on
/// every marked ticket in the queue's list in one record, all or none. When the rules refuse
/// some, nothing is applied, each refusal is named, and the console offers to apply the change
/// to the others.
extension Console {
    /// The marked tickets in the queue's list, in its order: what a key acts on while any are marked.
    public var markedInList: [Int] {
        state.marks.isEmpty ? [] : queue.ids.filter(state.marks.contains)
    }

    /// What a prompt or question about `id` acts on, in words: "#4", or "3 marked tickets".
    public func targetWords(_ id: Int) -> String {
        state.marks.isEmpty ? "#\(id)" : Console.ticketWords(markedInList.count, marked: true)
    }

    static func ticketWords(_ count: Int, marked: Bool = false) -> String {
        "\(count) \(marked ? "marked " : "")ticket" + (count == 1 ? "" : "s")
    }

    func toggleMark() {
        guard let id = state.selected, queueIndex(of: id) != nil else { return }
        if state.marks.remove(id) == nil { state.marks.insert(id) }
    }

    func markAll() {
        state.marks.formUnion(queue.ids)
        state.message = StatusMessage(text: "marked \(Console.ticketWords(state.marks.count))", isError: false)
    }

    /// `Esc` in the queue: the marks go first, then the filter.
    func clearMarksOrFilter() {
        if !state.marks.isEmpty {
            state.marks = []
            state.message = StatusMessage(text: "cleared the marks", isError: false)
        } else if !state.filter.isEmpty {
            setFilter("")
        } else {
            lookAtNow()
        }
    }

    /// `step` for the selected ticket `id`, or for every marked ticket in the list when any are
    /// marked; `done` says it of one ticket ("#4") or of several ("3 tickets").
    func act(on id: Int, done: @escaping (String) -> String, _ step: @escaping (Int) -> Command) {
        guard !state.marks.isEmpty else {
            append(step(id), done: done("#\(id)"))
            return
        }
        let ids = markedInList
        guard !ids.isEmpty else {
            state.message = StatusMessage(text: "none of the \(Console.ticketWords(state.marks.count, marked: true)) is in this list",
                                          isError: true)
            return
        }
        appendBulk(ids.map { ($0, step($0)) }, done: done)
    }

    func appendBulk(_ steps: [(id: Int, step: Command)], done: @escaping (String) -> String) {
        appendDeciding(done: done(Console.ticketWords(steps.count)), { _, _ in .bulk(steps.map(\.step), partial: false) }) {
            [unowned self] appended in
            if appended { state.marks.subtract(steps.map(\.id)) } else { offerTheOthers(steps, done: done) }
        }
    }

    /// After a refused bulk: when the rules would let some of its tickets change, asks whether
    /// to change those (decided afresh, all or none, when answered yes).
    private func offerTheOthers(_ steps: [(id: Int, step: Command)], done: (String) -> String) {
        guard let refusal = state.message, refusal.isError,
              let decision = try? service.decisionWithoutWriting(.bulk(steps.map(\.step), partial: true)),
              case .bulk(let result)? = decision.outcome, !result.refused.isEmpty, !result.applied.isEmpty
        else { return }
        refresh()
        let others = steps.filter { result.applied.contains($0.id) }
        var words = refusal.text
        if words.hasSuffix("; nothing applied") { words.removeLast("; nothing applied".count) }
        state.message = nil
        state.mode = .question(.applyToOthers(refusal: words + "; nothing applied",
                                              steps: others.map(\.step), done: done(Console.ticketWords(others.count))))
    }

    /// The answer to the offer: `y` applies the change to the others.
    func applyToOthers(_ steps: [Command], done: String, answer: Character) {
        guard answer == "y" else {
            state.message = StatusMessage(text: "nothing applied", isError: false)
            return
        }
        appendDeciding(done: done, { _, _ in .bulk(steps, partial: false) }) { [unowned self] appended in
            if appended { state.marks = [] }
        }
    }
}
