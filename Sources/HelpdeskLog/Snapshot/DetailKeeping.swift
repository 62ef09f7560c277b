import HelpdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// What reading a desk from its snapshot keeps in memory, for a process that reads much of it
/// once (a console walking every active ticket's clocks at open, a pass over every ticket).
extension DeskLog {
    /// Runs `body` with the messages and history of tickets read from the snapshot meanwhile not
    /// kept once read: a console works out every active ticket's SLA clocks at open, and would
    /// otherwise hold the history of all of them. Those already kept stay.
    public func readingDetailsOnce<T>(_ body: () throws -> T) rethrows -> T {
        guard let saved = desk.tickets.saved as? SavedTickets else { return try body() }
        saved.stopKeepingDetails()
        defer { saved.keepDetails() }
        return try body()
    }
}

public enum SnapshotPages {
    /// Gives back the pages of the snapshot file `desk` reads its tickets from: a pass over every
    /// ticket would otherwise leave the whole file in the process's memory. They are read again
    /// from the file (the page cache) when next asked for. Nothing for a desk not read so.
    public static func release(of desk: Desk) {
        (desk.tickets.saved as? SavedTickets)?.payload.releasePages()
    }
}

extension SnapshotPayload {
    func releasePages() {
        // Only a mapping of the file: bytes in memory would be lost.
        guard owner is MappedFile, let base = bytes.baseAddress else { return }
        let page = max(Int(sysconf(Int32(_SC_PAGESIZE))), 1)
        let start = (Int(bitPattern: base) + page - 1) / page * page
        let end = (Int(bitPattern: base) + bytes.count) / page * page
        guard end > start, let address = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(address, end - start, MADV_DONTNEED)
    }
}
