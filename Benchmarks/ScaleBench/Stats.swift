import Foundation

/// Timings of one measurement, in seconds.
struct Samples {
    var values: [Double] = []

    mutating func add(_ value: Double) { values.append(value) }

    /// The value below which `fraction` of the samples lie (nearest rank).
    func percentile(_ fraction: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    var median: Double { percentile(0.5) }
    var p99: Double { percentile(0.99) }
}

/// Seconds taken by `work`, on the monotonic clock.
func seconds(_ work: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try work()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The CPU time (user and system, every thread) the process has used so far, in seconds: on a
/// shared machine it moves less than the wall clock when others compete for the cores.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// CPU time of the calling thread alone (a replay applies on it while another thread scans).
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func milliseconds(_ value: Double) -> String {
    value.isNaN ? "-" : value >= 10 ? String(format: "%.0f ms", value * 1000) : String(format: "%.1f ms", value * 1000)
}

func megabytes(_ bytes: Int64) -> String { String(format: "%.0f MB", Double(bytes) / 1_000_000) }

/// The results table: one row per measurement.
struct Table {
    var rows: [[String]] = [["benchmark", "median", "p99", "ratio / note", "target", "met"]]

    mutating func add(_ name: String, median: String, p99: String = "-", note: String = "", target: String = "",
                      met: Bool? = nil) {
        rows.append([name, median, p99, note, target, met.map { $0 ? "yes" : "NO" } ?? ""])
        say("  " + rows.last!.filter { !$0.isEmpty }.joined(separator: "  ·  "))
    }

    /// A Markdown table, so README can take it as printed.
    var markdown: String {
        var lines = ["| " + rows[0].joined(separator: " | ") + " |",
                     "|" + rows[0].map { _ in "---" }.joined(separator: "|") + "|"]
        for row in rows.dropFirst() { lines.append("| " + row.joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }
}

/// Prints a line at once (unbuffered), so a run written to a file shows each row as it is measured.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
