import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A progress line on stderr for work that can take more than a second, redrawn at most ten
/// times a second, and only when stderr is a terminal: scripts and logs get nothing.
final class ProgressLine {
    private let label: String
    private var lastDrawn = 0.0
    private var drawn = false
    private let enabled: Bool

    init(_ label: String, enabled: Bool = isatty(2) == 1) {
        self.label = label
        self.enabled = enabled
    }

    /// `done` of `total` units, named by `unit` ("tickets", "MB").
    func update(_ done: Int64, of total: Int64, unit: String) {
        guard enabled else { return }
        let now = ProcessInfo.processInfo.systemUptime
        guard now - lastDrawn >= 0.1 else { return }
        lastDrawn = now
        let percent = total > 0 ? min(100, done * 100 / total) : 100
        write("\r\u{1B}[K\(label): \(percent)% (\(done) of \(total) \(unit))")
        drawn = true
    }

    /// Removes the line, so that what is printed next starts clean.
    func finish() {
        guard enabled, drawn else { return }
        write("\r\u{1B}[K")
        drawn = false
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
