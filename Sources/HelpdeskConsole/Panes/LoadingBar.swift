import Foundation

/// What the console shows while a long replay loads the desk: how far it got, as a bar.
enum LoadingBar {
    static func draw(done: Int64, total: Int64, path: String, on grid: CellGrid) {
        grid.clear()
        guard grid.rows > 2, grid.columns > 10 else { return }
        let fraction = total > 0 ? min(max(Double(done) / Double(total), 0), 1) : 0
        let width = min(grid.columns - 4, 60)
        let filled = Int(Double(width) * fraction)
        let row = grid.rows / 2 - 1
        let megabytes = { (bytes: Int64) in String(format: "%.0f MB", Double(bytes) / 1_000_000) }
        let title = "loading \((path as NSString).lastPathComponent): \(Int(fraction * 100))% (\(megabytes(done)) of \(megabytes(total)))"
        let left = max((grid.columns - width) / 2, 0)
        grid.draw(title, row: row, column: left, width: grid.columns - left, role: .header, ellipsis: true)
        grid.draw(String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled),
                  row: row + 1, column: left, width: width, role: .normal)
    }
}
