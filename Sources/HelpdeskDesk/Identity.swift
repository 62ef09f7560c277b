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
        /// `--as` by an account other than root.
        case mayNotActAsOthers(account: String)

        public var description: String {
            switch self {
            case .unnamedAccount(let uid): "cannot find the name of account \(uid) (getpwuid failed)"
            case .mayNotActAsOthers(let account):
                "--as is only for root, or over a database role the desk names (helpdesk acting-role); \(account) is not root"
            }
        }
    }

    /// The name of the person running the program: the real uid, which a setgid (or setuid)
    /// binary cannot be made to mistake for anyone else.
    public static func currentAccount() throws(Failure) -> String {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else {
            throw .unnamedAccount(uid: getuid())
        }
        return String(cString: name)
    }

    /// `actingAs` is for root alone: installed setgid, the binary is the only writer of the log,
    /// so no one else (the log file's owner included) may record a deed under another's name.
    public static func resolve(actingAs other: String?) throws(Failure) -> Identity {
        let account = try currentAccount()
        guard let other, other != account else { return Identity(actor: account) }
        guard getuid() == 0 else { throw .mayNotActAsOthers(account: account) }
        return Identity(actor: other, via: account)
    }

    /// `resolve`, for a desk whose database role may act as others: a role the desk names
    /// (`Desk.actingRoles`) lets the account act as anyone, as root may.
    public static func resolve(actingAs other: String?, databaseRole: String?, actingRoles: Set<String>) throws(Failure) -> Identity {
        let account = try currentAccount()
        if let other, other != account, getuid() != 0, let databaseRole, actingRoles.contains(databaseRole) {
            return Identity(actor: other, via: account)
        }
        return try resolve(actingAs: other)
    }
}
