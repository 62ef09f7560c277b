import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A shared library hidden from one command, as on a machine that lacks it: /dev/null is
/// bind-mounted over its file in a mount namespace of the command's own (unshare(1), as root).
/// For the libraries the binary loads on their first use (Sources/CLoadOnFirstUse).
public struct HiddenLibrary {
    public let soname: String
    private let file: String
    private let unshare: String

    /// Skips the test when not root or without unshare(1); throws when `soname` is not installed.
    public init(_ soname: String) throws {
        guard geteuid() == 0 else { throw XCTSkip("hiding a library needs a mount namespace: run as root") }
        guard let unshare = Processes.which("unshare") else { throw XCTSkip("unshare(1) is not installed (util-linux)") }
        self.soname = soname
        self.unshare = unshare
        file = try XCTUnwrap(Self.installed(soname), "\(soname) is not installed")
    }

    /// The command line that runs `helpdesk ARGUMENTS` with the library hidden.
    private func commandLine(_ arguments: [String]) -> [String] {
        let hide = "mount --bind /dev/null \"$0\" && exec \"$@\""
        return [unshare, "--mount", "sh", "-c", hide, file, BuiltProducts.helpdesk] + arguments
    }

    /// Runs `helpdesk ARGUMENTS` in `desk`'s folder, with its environment.
    public func run(_ arguments: [String], in desk: TemporaryDesk, stdin: Data? = nil) throws -> Ran {
        let command = commandLine(arguments)
        return try Processes.run(command[0], Array(command.dropFirst()), environment: desk.environment(), in: desk.path, input: stdin)
    }

    /// The same with a pseudo-terminal (script(1)'s) as its standard input, output and error.
    public func runInTerminal(_ arguments: [String], in desk: TemporaryDesk) throws -> Ran {
        guard let script = Processes.which("script") else {
            throw XCTSkip("script(1) is not installed (bsdutils); cannot give the command a terminal")
        }
        let command = commandLine(arguments).map(shellQuoted).joined(separator: " ")
        return try Processes.run(script, ["-qec", command, "/dev/null"], environment: desk.environment(), in: desk.path)
    }

    /// The file the dynamic loader would open for `soname`, symlinks resolved.
    private static func installed(_ soname: String) -> String? {
        let folders = ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"]
        return folders.map { $0 + "/" + soname }.first { FileManager.default.fileExists(atPath: $0) }
            .map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    }
}
