/// Tells whoever asked how far a long scan of the log has come: the bytes done and the log's size,
/// every 4 MiB rather than every record.
struct ScanProgress {
    private let report: ((Int64, Int64) -> Void)?
    private let total: Int64
    private var next: Int64

    init(_ report: ((Int64, Int64) -> Void)?, file: any LogStore, from start: Int64) throws {
        self.report = report
        self.total = report == nil ? 0 : try file.size()
        self.next = start
    }

    mutating func reached(_ offset: Int64) {
        guard let report, offset >= next else { return }
        report(offset, total)
        next = offset + (4 << 20)
    }
}
