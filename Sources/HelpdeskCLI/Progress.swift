import Foundation
import HelpdeskLog
#if canImport(Glibc)
import Glibc
#endif

/// A progress line on stderr for work that can take more than a second: drawn once the work
/// has run half a second, redrawn at most ten times a second, and only when stderr is a
/// terminal: scripts and logs get nothing.
final class ProgressLine {
    private let label: String
    private let started = ProgressLine.secondsSinceBoot()
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
        let now = Self.secondsSinceBoot()
        guard now - started >= 0.5, now - lastDrawn >= 0.1 else { return }
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

    /// The monotonic clock, read directly: `ProcessInfo`'s first use costs a small command about
    /// 2% of its whole process.
    private static func secondsSinceBoot() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

extension DeskLog {
    /// Opens the desk, with a progress line while a long replay runs (no snapshot yet, or an
    /// old one).
    static func openShowingProgress(path: String, writable: Bool) throws -> DeskLog {
        try openShowingProgress(.file(path: path), writable: writable)
    }

    static func openShowingProgress(_ location: StoreLocation, writable: Bool) throws -> DeskLog {
        try loadingShowingProgress({ try DeskLog(location: location, writable: writable, progress: $0) }, log: { $0 })
    }

    /// Runs `open` with a progress line for its replay, and keeps the log it opened to the end of
    /// the process, which follows the command at once: handing a desk's million objects back to
    /// malloc one by one took a tenth of a large desk's start-up.
    static func loadingShowingProgress<T>(_ open: (@escaping (_ done: Int64, _ total: Int64) -> Void) throws -> T,
                                          log: (T) -> DeskLog) throws -> T {
        let line = ProgressLine("loading the desk")
        defer { line.finish() }
        let opened = try open { done, total in line.update(done >> 20, of: total >> 20, unit: "MB") }
        _ = Unmanaged.passRetained(log(opened))
        return opened
    }
}
