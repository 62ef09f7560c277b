import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// What tests that create real Unix accounts need first: root, the account tools, and a folder
/// the accounts can traverse (under /var/tmp, which is not private to root's session).
public enum ThrowawayAccounts {
    /// Skips the test, saying `why`, unless it runs as root and every tool in `tools` is found
    /// (a full path, or a name on PATH).
    public static func require(_ tools: [String], why: String) throws {
        guard geteuid() == 0 else { throw XCTSkip("\(why), so they run only as root (CI runs them as root)") }
        for tool in tools {
            let found = tool.hasPrefix("/") ? FileManager.default.isExecutableFile(atPath: tool) : Processes.which(tool) != nil
            if !found { throw XCTSkip("\(tool) is missing: .ci/run installs what these tests need") }
        }
    }

    /// A new folder under /var/tmp, mode 0711 with a umask of 022, for the accounts' homes, the
    /// desk and a copy of the binary.
    public static func folder(_ prefix: String) throws -> TemporaryFolder {
        umask(0o022)
        let folder = try TemporaryFolder(prefix, in: "/var/tmp")
        chmod(folder.path, 0o711)
        return folder
    }
}
