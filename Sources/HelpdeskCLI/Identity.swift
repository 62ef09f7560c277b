import Foundation
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// Who is acting: the Unix account running the command, or the agent it acts as.
struct Identity {
    var actor: String
    /// The real account, when it acts as someone else.
    var via: String?

    static func currentAccount() throws -> String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else {
            throw UserError(message: "cannot find the name of account \(geteuid()) (getpwuid failed)")
        }
        return String(cString: name)
    }

    /// `--as` is for root and the log file's owner: they can write the file directly anyway.
    static func resolve(actingAs other: String?, logOwner: UInt32) throws -> Identity {
        let account = try currentAccount()
        guard let other, other != account else { return Identity(actor: account, via: nil) }
        let uid = geteuid()
        guard uid == 0 || uid == logOwner else {
            throw UserError(message: "--as is only for root or the owner of the log file; \(account) is neither")
        }
        return Identity(actor: other, via: account)
    }
}
