import Foundation
import HelpdeskCore
import HelpdeskDesk

/// `a`: a file for the ticket's reply, checked as `helpdesk reply --attach` checks it and kept
/// beside the log at once; the reply draft carries it until the reply is sent (`r`).
extension Console {
    func attach(_ path: String, toReplyOn id: Int) {
        guard !path.isEmpty else { return }
        if let other = state.drafts[id], other.kind != .reply || other.macro != nil {
            let what = other.macro.map { "the macro \($0)" } ?? "a \(other.kind.rawValue)"
            state.message = StatusMessage(text: "files go with a reply; #\(id) has an unsent draft of \(what): send it first",
                                          isError: true)
            return
        }
        let expanded = NSString(string: path).expandingTildeInPath
        let attached: [AttachmentRef]
        do {
            attached = try ReplyFiles.attach([expanded], setup: service.mail, logPath: log.location.filePath ?? log.path,
                                             location: log.location)
        } catch {
            state.message = StatusMessage(text: (error as? ReplyFiles.Problem)?.description ?? "cannot attach \(path): \(error)",
                                          isError: true)
            return
        }
        let seen = desk.ticket(id)?.messages.count ?? 0
        var draft = state.drafts[id] ?? Draft(kind: .reply, ticket: id, text: "", seenMessages: seen)
        draft.attachments += attached
        state.drafts[id] = draft
        let file = attached[0]
        state.message = StatusMessage(text: "attached \(file.name) (\(ByteSize.words(file.size))) to the reply on #\(id)"
                                      + " (\(Console.fileWords(draft.attachments.count))); r writes it", isError: false)
    }

    static func fileWords(_ count: Int) -> String { "\(count) file" + (count == 1 ? "" : "s") }
}
