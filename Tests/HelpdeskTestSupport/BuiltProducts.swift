import Foundation

/// The package's built executables (`helpdesk`, `log-stress-writer`): in the folder that holds
/// the running test bundle (…/.build/debug), else `.build/debug` of the package.
public enum BuiltProducts {
    public static let directory: String = {
        let fileManager = FileManager.default
        var folders: [URL] = []
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        // On Linux the bundle is .build/debug/helpdeskPackageTests.xctest; elsewhere a folder inside it.
        var folder = Bundle(for: BundleAnchor.self).bundleURL
        for _ in 0..<4 {
            folders.append(folder)
            folder = folder.deletingLastPathComponent()
        }
        if let found = folders.first(where: { fileManager.isExecutableFile(atPath: $0.appendingPathComponent("helpdesk").path) }) {
            return found.standardizedFileURL.path
        }
        // Tests/HelpdeskTestSupport/BuiltProducts.swift → the package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug").path
    }()

    public static var helpdesk: String { directory + "/helpdesk" }
    public static var stressWriter: String { directory + "/log-stress-writer" }
}

final class BundleAnchor {}
