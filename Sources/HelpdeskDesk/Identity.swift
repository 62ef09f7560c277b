import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who is acting: the Unix account running the program, or the roster agent it acts as.
public struct Identity: Equatable, Sendable {
    public var actor: String
    /// The real account, when it acts as someone else.
    public var via: String?

    public init(actor: String, via: String? = nil) {
        self.actor = actor
        self.via = via
    }

    /// Why an identity could not be worked out.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The account has no name (getpwuid failed).
        case unnamedAccount(uid: UInt32)
        /// `--as` by an account that is neither root nor the log file's owner.
        case mayNotActAsOthers(account: String)

        public var description: String {
            switch self {
            case .unnamedAccount(let uid): "cannot find the name of account \(uid) (getpwuid failed)"
            case .mayNotActAsOthers(let account): "--as is only for root or the owner of the log file; \(account) is neither"
            }
        }
    }

    /// The name of the account running the program.
    public static func currentAccount() throws(Failure) -> String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else {
            throw .unnamedAccount(uid: geteuid())
        }
        return String(cString: name)
    }

    /// `actingAs` is for root and the log file's owner: they can write the file directly anyway.
    public static func resolve(actingAs other: String?, logOwner: UInt32) throws(Failure) -> Identity {
        let account = try currentAccount()
        guard let other, other != account else { return Identity(actor: account) }
        let uid = geteuid()
        guard uid == 0 || uid == logOwner else { throw .mayNotActAsOthers(account: account) }
        return Identity(actor: other, via: account)
    }
}
