import Foundation
import HelpdeskCore
import HelpdeskDesk
import HelpdeskMail

/// `reply --attach FILE`: the agent's files, checked and kept beside the log before the reply is
/// recorded (see `ReplyFiles`, which the console's attach prompt shares).
enum ReplyAttachments {
    static func store(_ paths: [String], desk: DeskOptions, mail: MailOptions) throws -> [AttachmentRef] {
        guard !paths.isEmpty else { return [] }
        let limit = try mail.load(logPath: desk.logPath, location: desk.location).attachmentLimit
        let files: [ReplyFiles.File]
        do {
            files = try ReplyFiles.read(paths, limit: limit)
        } catch {
            throw UserError(message: error.description, code: exitStatus(of: error))
        }
        return try ReplyFiles.keep(files, in: MailStore(location: desk.location))
    }

    static func exitStatus(of problem: ReplyFiles.Problem) -> Int32 {
        switch problem {
        case .cannotOpen: ExitStatus.noLog
        case .notRegular, .badConfiguration: ExitStatus.usage
        case .tooLarge: ExitStatus.refused
        case .unreadable, .notKept: ExitStatus.io
        }
    }
}
