import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A fresh folder (mkdtemp: a name nobody else chose) for one test, removed with `remove`.
/// Short by default, under /tmp: sockets (sshd's, tmux's) must fit in 108 bytes.
public final class TemporaryFolder: @unchecked Sendable {
    public let path: String
    public var url: URL { URL(fileURLWithPath: path, isDirectory: true) }

    public init(_ prefix: String = "hd", in parent: String = "/tmp") throws {
        var template = Array("\(parent)/\(prefix)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw TestStop("cannot make a temporary folder in \(parent): \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
    }

    public func file(_ name: String) -> String { path + "/" + name }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

extension XCTestCase {
    /// A temporary folder (named after the test case unless `prefix` is given), removed after the test.
    public func makeTemporaryDirectory(_ prefix: String? = nil, in parent: String = "/tmp") throws -> TemporaryFolder {
        let folder = try TemporaryFolder(prefix ?? String(describing: type(of: self)), in: parent)
        addTeardownBlock { folder.remove() }
        return folder
    }
}
